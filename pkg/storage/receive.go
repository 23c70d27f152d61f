package storage

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// Received describes an upload that is in the store.
type Received struct {
	Key, ContentType, SHA256 string
	Size                     int64
}

// Receive streams an upload of a case into store under a key the server makes (NewKey):
// limited to max bytes (apperr.TooLarge), checked against its declared type (Sniff), hashed
// and counted on the way. An empty file and a broken client stream are apperr.Invalid; a
// store that fails is apperr.Unavailable. When the client is at fault, whatever part the
// store took is removed again. The caller writes the row and, when that fails, deletes Key.
func Receive(ctx context.Context, store Store, caseID int64, body io.Reader, declared string, max int64) (Received, error) {
	br := bufio.NewReader(LimitReader(body, max))
	if _, err := br.Peek(1); err != nil {
		if errors.Is(err, io.EOF) {
			return Received{}, apperr.E(apperr.Invalid, "The file is empty.")
		}
		return Received{}, uploadErr(err)
	}
	contentType, sniffed, err := Sniff(br, declared)
	if err != nil {
		return Received{}, uploadErr(err)
	}
	hash := sha256.New()
	counter := &countingWriter{}
	key := NewKey(caseID)
	if err := store.Put(ctx, key, io.TeeReader(sniffed, io.MultiWriter(hash, counter)), -1, contentType); err != nil {
		if c := apperr.CodeOf(err); c == apperr.TooLarge || c == apperr.Invalid {
			// The client's fault; a store that took part of it must not keep it.
			_ = store.Delete(context.WithoutCancel(ctx), key)
		}
		return Received{}, uploadErr(err)
	}
	return Received{Key: key, ContentType: contentType, SHA256: hex.EncodeToString(hash.Sum(nil)), Size: counter.n}, nil
}

// uploadErr keeps domain errors and reports a broken client stream as a bad request.
func uploadErr(err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return &apperr.Error{Code: apperr.Invalid, Detail: "The upload was interrupted.", Err: err}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}
