package extranet

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
)

// maxNameLength bounds a stored file name, in characters.
const maxNameLength = 255

// Upload is a file a contact sends: its name and declared type as the client gave them,
// and its content as a stream that has not been read yet.
type Upload struct {
	CaseID       int64
	Name         string
	DeclaredType string
	Body         io.Reader
}

// CheckUpload answers whether who may add files to the case, before any byte of the body
// is read: apperr.NotFound when files of the case are not visible to them, apperr.Forbidden
// without the Upload right (EXT-2, EXT-6), apperr.Unavailable when no store is configured.
func (s *Service) CheckUpload(ctx context.Context, who *Contact, caseID int64) error {
	g, err := s.grant(ctx, s.db, who, caseID)
	if err != nil {
		return err
	}
	if err := g.Check(UploadFiles, "No files are shared on this case."); err != nil {
		return err
	}
	if s.files == nil {
		return apperr.E(apperr.Unavailable, "Files cannot be stored right now.")
	}
	return nil
}

// AddFile stores an upload and its files row together (EXT-2, EXT-7), so that neither is
// left without the other:
//
//   - the content streams to the store under a key the server makes (storage.NewKey); the
//     client's name is kept only as the row's name, cleaned of paths and control characters;
//   - the content is limited to MaxUpload bytes (apperr.TooLarge) and checked against its
//     declared type (storage.Sniff: apperr.Invalid for active content declared as
//     something else); an empty file is apperr.Invalid;
//   - when the store fails nothing is written to the database (apperr.Unavailable);
//   - when the database fails after the content was stored, the object is deleted again.
func (s *Service) AddFile(ctx context.Context, who *Contact, up Upload) (FileView, error) {
	if err := s.CheckUpload(ctx, who, up.CaseID); err != nil {
		return FileView{}, err
	}
	name := CleanFileName(up.Name)
	if name == "" {
		return FileView{}, apperr.E(apperr.Invalid, "The file needs a name.")
	}
	stored, err := s.putContent(ctx, up)
	if err != nil {
		return FileView{}, err
	}
	var out FileView
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := s.grant(ctx, tx, who, up.CaseID)
		if err != nil {
			return err
		}
		if err := g.Check(UploadFiles, "No files are shared on this case."); err != nil {
			return err
		}
		f := &model.File{Version: 1, CaseID: up.CaseID, Kind: "file", Name: name, StorageKey: &stored.key, ContentType: stored.contentType,
			SizeBytes: stored.size, SHA256: stored.sha256, UploadedByContactID: &who.ID, CreatedAt: s.now().UTC()}
		if _, err := tx.NewInsert().Model(f).Returning("id").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert file row")
		}
		out = FileView{File: *f, UploaderName: who.Name, Mine: true, Grant: g}
		return s.record(ctx, tx, who, "create", "files", f.ID, f.CaseID, history.Diff(nil, map[string]any{
			"name": f.Name, "contentType": f.ContentType, "size": f.SizeBytes, "uploadedByContact": who.ID}))
	})
	if err != nil {
		// The row is not there, so the object must go too. The request may be cancelled
		// already; the clean-up must still run.
		if derr := s.files.Delete(context.WithoutCancel(ctx), stored.key); derr != nil {
			return FileView{}, errors.Join(err, fmt.Errorf("remove orphaned object %s: %w", stored.key, derr))
		}
		return FileView{}, err
	}
	return out, nil
}

// storedContent describes content that is in the store.
type storedContent struct {
	key, contentType, sha256 string
	size                     int64
}

// putContent streams an upload into the store: limited, sniffed, hashed on the way.
func (s *Service) putContent(ctx context.Context, up Upload) (storedContent, error) {
	br := bufio.NewReader(storage.LimitReader(up.Body, s.maxUpload))
	if _, err := br.Peek(1); err != nil {
		if errors.Is(err, io.EOF) {
			return storedContent{}, apperr.E(apperr.Invalid, "The file is empty.")
		}
		return storedContent{}, uploadErr(err)
	}
	contentType, body, err := storage.Sniff(br, up.DeclaredType)
	if err != nil {
		return storedContent{}, uploadErr(err)
	}
	hash := sha256.New()
	counter := &countingWriter{}
	key := storage.NewKey(up.CaseID)
	if err := s.files.Put(ctx, key, io.TeeReader(body, io.MultiWriter(hash, counter)), -1, contentType); err != nil {
		if c := apperr.CodeOf(err); c == apperr.TooLarge || c == apperr.Invalid {
			// The client's fault; a store that took part of it must not keep it.
			_ = s.files.Delete(context.WithoutCancel(ctx), key)
		}
		return storedContent{}, uploadErr(err)
	}
	return storedContent{key: key, contentType: contentType, sha256: hex.EncodeToString(hash.Sum(nil)), size: counter.n}, nil
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

// CleanFileName keeps the last path element of a client's file name, without control or
// format characters, trimmed to 255 characters. It returns "" when nothing usable is left.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "." || name == ".." {
		return ""
	}
	if utf8.RuneCountInString(name) > maxNameLength {
		name = string([]rune(name)[:maxNameLength])
	}
	return name
}
