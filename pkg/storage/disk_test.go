package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/storage"
)

func mustDisk(t *testing.T, dir string) *storage.Disk {
	t.Helper()
	d, err := storage.NewDisk(dir)
	if err != nil {
		t.Fatalf("NewDisk: %v", err)
	}
	return d
}

func TestDisk(t *testing.T) {
	testStore(t, mustDisk(t, filepath.Join(t.TempDir(), "files")))
}

func TestDiskStaysInsideItsFolder(t *testing.T) {
	ctx := context.Background()
	parent := t.TempDir()
	d := mustDisk(t, filepath.Join(parent, "files"))
	secret := filepath.Join(parent, "secret.txt")
	if err := os.WriteFile(secret, []byte("outside"), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("dot-dot key is refused", func(t *testing.T) {
		if _, _, err := d.Get(ctx, "../secret.txt"); !errors.Is(err, errInvalid) {
			t.Fatalf("Get = %v, want apperr.Invalid", err)
		}
		if err := d.Put(ctx, "../written.txt", strings.NewReader("x"), 1, "text/plain"); !errors.Is(err, errInvalid) {
			t.Fatalf("Put = %v, want apperr.Invalid", err)
		}
		if _, err := os.Stat(filepath.Join(parent, "written.txt")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a file was written outside the store: %v", err)
		}
	})
	t.Run("symbolic link out of the folder is not followed", func(t *testing.T) {
		if err := os.MkdirAll(filepath.Join(d.Dir(), "cases"), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(secret, filepath.Join(d.Dir(), "cases", "link")); err != nil {
			t.Fatal(err)
		}
		if rc, _, err := d.Get(ctx, "cases/link"); err == nil {
			rc.Close()
			t.Fatal("Get followed a symbolic link out of the store")
		}
		if err := os.Symlink(parent, filepath.Join(d.Dir(), "cases", "dirlink")); err != nil {
			t.Fatal(err)
		}
		if err := d.Put(ctx, "cases/dirlink/planted.txt", strings.NewReader("x"), 1, "text/plain"); err == nil {
			t.Fatal("Put wrote through a symbolic link out of the store")
		}
		if _, err := os.Stat(filepath.Join(parent, "planted.txt")); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("a file was written outside the store: %v", err)
		}
	})
}

func TestDiskLeavesNoTemporaryFiles(t *testing.T) {
	ctx := context.Background()
	d := mustDisk(t, t.TempDir())
	key := storage.NewKey(3)
	mustPut(t, d, key, []byte("kept"), "text/plain")
	_ = d.Put(ctx, storage.NewKey(3), strings.NewReader("short"), 99, "text/plain")
	_ = d.Ping(ctx)

	var names []string
	err := filepath.WalkDir(d.Dir(), func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			rel, _ := filepath.Rel(d.Dir(), p)
			names = append(names, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.ToSlash(filepath.Join(filepath.Dir(key), "."+filepath.Base(key)+".meta")), key}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("files = %v, want %v", names, want)
	}
}

func TestDiskPingFailsWithoutItsFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "files")
	d := mustDisk(t, dir)
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := d.Ping(context.Background()); !errors.Is(err, errUnavailable) {
		t.Fatalf("Ping = %v, want apperr.Unavailable", err)
	}
	if _, _, err := d.Get(context.Background(), storage.NewKey(1)); !errors.Is(err, errUnavailable) {
		t.Fatalf("Get = %v, want apperr.Unavailable", err)
	}
}
