package storage_test

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/storage"
)

// blockingReader says when its upload started reading, then holds it open until released.
type blockingReader struct {
	started chan struct{}
	release chan struct{}
	once    *sync.Once
}

func (b blockingReader) Read([]byte) (int, error) {
	b.once.Do(func() { close(b.started) })
	<-b.release
	return 0, io.EOF
}

func TestLimitedCapsConcurrentUploads(t *testing.T) {
	disk, err := storage.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	l := storage.NewLimited(disk, 1, 50*time.Millisecond)
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- l.Put(ctx, "cases/1/aa", blockingReader{started, release, &sync.Once{}}, -1, "text/plain")
	}()
	<-started // the first upload holds the only slot
	err = l.Put(ctx, "cases/1/bb", strings.NewReader("x"), 1, "text/plain")
	if apperr.CodeOf(err) != apperr.Unavailable {
		t.Fatalf("second upload with no free slot: %v", err)
	}
	if _, _, err := l.Get(ctx, "cases/1/bb"); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("a refused upload left something behind: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("first upload: %v", err)
	}
	if err := l.Put(ctx, "cases/1/cc", strings.NewReader("x"), 1, "text/plain"); err != nil {
		t.Fatalf("after the slot is free: %v", err)
	}
}
