package extranet

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
)

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
	name := storage.CleanFileName(up.Name)
	if name == "" {
		return FileView{}, apperr.E(apperr.Invalid, "The file needs a name.")
	}
	stored, err := storage.Receive(ctx, s.files, up.CaseID, up.Body, up.DeclaredType, s.maxUpload)
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
		f := &model.File{Version: 1, CaseID: up.CaseID, Kind: "file", Name: name, StorageKey: &stored.Key, ContentType: stored.ContentType,
			SizeBytes: stored.Size, SHA256: stored.SHA256, UploadedByContactID: &who.ID, CreatedAt: s.now().UTC()}
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
		if derr := s.files.Delete(context.WithoutCancel(ctx), stored.Key); derr != nil {
			return FileView{}, errors.Join(err, fmt.Errorf("remove orphaned object %s: %w", stored.Key, derr))
		}
		return FileView{}, err
	}
	return out, nil
}
