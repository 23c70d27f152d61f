package storage_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/pkg/storage/storagetest"
)

func TestMain(m *testing.M) { storagetest.Main(m) }

var (
	errNotFound    = apperr.ErrNotFound
	errInvalid     = apperr.ErrInvalid
	errTooLarge    = &apperr.Error{Code: apperr.TooLarge}
	errUnavailable = &apperr.Error{Code: apperr.Unavailable}
)

// testStore is the contract every Store keeps; the S3 and Disk tests both run it.
func testStore(t *testing.T, s storage.Store) {
	ctx := context.Background()

	t.Run("round trip", func(t *testing.T) {
		key := storage.NewKey(42)
		content := bytes.Repeat([]byte("Caseroom file content\n"), 1000)
		mustPut(t, s, key, content, "application/pdf")
		got, info := mustGet(t, s, key)
		if !bytes.Equal(got, content) {
			t.Fatalf("content differs: got %d bytes, want %d", len(got), len(content))
		}
		if info.Key != key || info.Size != int64(len(content)) || info.ContentType != "application/pdf" || info.ModTime.IsZero() {
			t.Fatalf("info = %+v; want key, size %d, application/pdf, a time", info, len(content))
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		if _, _, err := s.Get(ctx, key); !errors.Is(err, errNotFound) {
			t.Fatalf("Get after Delete = %v, want apperr.NotFound", err)
		}
	})
	t.Run("overwrite", func(t *testing.T) {
		key := storage.NewKey(42)
		mustPut(t, s, key, []byte("first"), "text/plain")
		mustPut(t, s, key, []byte("second version"), "text/csv")
		got, info := mustGet(t, s, key)
		if string(got) != "second version" || info.ContentType != "text/csv" {
			t.Fatalf("got %q as %s, want the second version as text/csv", got, info.ContentType)
		}
	})
	t.Run("unknown size", func(t *testing.T) {
		key := storage.NewKey(42)
		if err := s.Put(ctx, key, strings.NewReader("streamed"), -1, "text/plain"); err != nil {
			t.Fatalf("Put: %v", err)
		}
		if got, info := mustGet(t, s, key); string(got) != "streamed" || info.Size != 8 {
			t.Fatalf("got %q (%d bytes)", got, info.Size)
		}
	})
	t.Run("missing key", func(t *testing.T) {
		if _, _, err := s.Get(ctx, storage.NewKey(42)); !errors.Is(err, errNotFound) {
			t.Fatalf("Get = %v, want apperr.NotFound", err)
		}
		if err := s.Delete(ctx, storage.NewKey(42)); err != nil {
			t.Fatalf("Delete of a missing key = %v, want nil", err)
		}
	})
	t.Run("body shorter than its size", func(t *testing.T) {
		key := storage.NewKey(42)
		if err := s.Put(ctx, key, strings.NewReader("short"), 100, "text/plain"); !errors.Is(err, errInvalid) {
			t.Fatalf("Put = %v, want apperr.Invalid", err)
		}
		if _, _, err := s.Get(ctx, key); !errors.Is(err, errNotFound) {
			t.Fatalf("Get after a failed Put = %v, want apperr.NotFound", err)
		}
	})
	t.Run("body over the limit", func(t *testing.T) {
		key := storage.NewKey(42)
		body := storage.LimitReader(bytes.NewReader(make([]byte, 10<<10)), 4<<10)
		if err := s.Put(ctx, key, body, -1, "application/octet-stream"); !errors.Is(err, errTooLarge) {
			t.Fatalf("Put = %v, want apperr.TooLarge", err)
		}
		if _, _, err := s.Get(ctx, key); !errors.Is(err, errNotFound) {
			t.Fatalf("Get after a refused Put = %v, want apperr.NotFound", err)
		}
	})
	t.Run("bad keys", func(t *testing.T) {
		for _, key := range badKeys {
			if err := s.Put(ctx, key, strings.NewReader("x"), 1, "text/plain"); !errors.Is(err, errInvalid) {
				t.Errorf("Put(%q) = %v, want apperr.Invalid", key, err)
			}
			if _, _, err := s.Get(ctx, key); !errors.Is(err, errInvalid) {
				t.Errorf("Get(%q) = %v, want apperr.Invalid", key, err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, errInvalid) {
				t.Errorf("Delete(%q) = %v, want apperr.Invalid", key, err)
			}
		}
	})
	t.Run("ping", func(t *testing.T) {
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
	})
}

// badKeys would escape a folder, hide in it, or are not keys at all.
var badKeys = []string{
	"",
	"../outside",
	"cases/1/../../../etc/passwd",
	"/etc/passwd",
	"cases//1",
	"cases/1/",
	`cases\1\x`,
	".hidden",
	"cases/1/.abc.meta",
	"cases/1/file name.pdf",
	strings.Repeat("a", 600),
}

func mustPut(t *testing.T, s storage.Store, key string, content []byte, contentType string) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(content), int64(len(content)), contentType); err != nil {
		t.Fatalf("Put %s: %v", key, err)
	}
}

func mustGet(t *testing.T, s storage.Store, key string) ([]byte, storage.Info) {
	t.Helper()
	rc, info, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return b, info
}
