// Package storage keeps the content of uploaded files ("files & links" of a case) in an
// object store: S3 (MinIO in production) or, as the embedded default, a folder on disk.
//
// Keys are made by the server (NewKey) and never from a user's file name, so a name can
// neither collide with another file nor point outside the store. The name the user gave
// lives in the files table and comes back only as the download's Content-Disposition.
//
// Errors use the domain codes of pkg/apperr: a missing key is apperr.NotFound, a store
// that cannot be reached is apperr.Unavailable (wrapping the cause), a malformed key or a
// body that does not match its declared size or type is apperr.Invalid, and a body over
// the limit of LimitReader is apperr.TooLarge.
package storage

import (
	"context"
	"io"
	"time"
)

// Store holds file contents under server-generated keys.
type Store interface {
	// Put stores exactly size bytes of r under key, replacing what was there; size -1
	// means "until EOF". A body shorter than size is apperr.Invalid, and bytes past size
	// are not read. An error of r (such as LimitReader's apperr.TooLarge) is returned as is.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Get opens the content of key; the caller closes it.
	Get(ctx context.Context, key string) (io.ReadCloser, Info, error)
	// Delete removes key. Deleting a missing key is not an error, so that a retried
	// clean-up succeeds (S3 cannot tell the two apart without an extra request).
	Delete(ctx context.Context, key string) error
	// Ping reports whether the store can be used now; /readyz calls it.
	Ping(ctx context.Context) error
}

// Presigner is implemented by stores that can hand out a time-limited download link,
// so that large files go from the store to the browser without passing the API.
type Presigner interface {
	// PresignGet returns a URL that downloads key for ttl, offered to the browser as an
	// attachment named filename.
	PresignGet(ctx context.Context, key, filename string, ttl time.Duration) (string, error)
}

// Info describes stored content.
type Info struct {
	Key         string
	Size        int64
	ContentType string
	ModTime     time.Time
}

// The stores keep the interfaces; the compiler checks it here.
var (
	_ Store     = (*S3)(nil)
	_ Presigner = (*S3)(nil)
	_ Store     = (*Disk)(nil)
)
