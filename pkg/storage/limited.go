package storage

import (
	"context"
	"io"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// Limited caps how many uploads a replica streams at once: each holds a part buffer and a
// connection, so an unbounded number of slow uploads could exhaust memory. An upload that
// finds no free slot within wait is refused with apperr.Unavailable (503), and nothing is
// written; reads and deletes are not limited.
type Limited struct {
	Store
	slots chan struct{}
	wait  time.Duration
}

// NewLimited wraps s so that at most n uploads run at once.
func NewLimited(s Store, n int, wait time.Duration) *Limited {
	return &Limited{Store: s, slots: make(chan struct{}, n), wait: wait}
}

// Put stores r like the wrapped store once a slot is free.
func (l *Limited) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	timer := time.NewTimer(l.wait)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
	case <-timer.C:
		return apperr.E(apperr.Unavailable, "Too many uploads are running; try again in a moment.")
	case <-ctx.Done():
		return apperr.E(apperr.Unavailable, "The upload was cancelled while waiting.")
	}
	defer func() { <-l.slots }()
	return l.Store.Put(ctx, key, r, size, contentType)
}

// AsPresigner returns the presigner behind s, looking through Limited, so that capping
// uploads keeps presigned downloads available.
func AsPresigner(s Store) (Presigner, bool) {
	if l, ok := s.(*Limited); ok {
		s = l.Store
	}
	p, ok := s.(Presigner)
	return p, ok
}
