package cases

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/sharing"
	"github.com/caseroom/caseroom/pkg/storage"
)

// DefaultMaxUpload is the largest upload a FileStore accepts when given no limit (bytes).
const DefaultMaxUpload = 20 << 20

// FileStore is the cases service with the store that keeps the content of files: the
// actions that read or write content (uploads, downloads, deletes). Build it with
// Service.WithFiles.
type FileStore struct {
	*Service
	store     storage.Store // nil: content can be neither stored nor read (apperr.Unavailable)
	maxUpload int64
}

// WithFiles returns the service with store (nil: none configured) for the content of files,
// accepting uploads of at most maxUpload bytes (DefaultMaxUpload when not positive).
func (s *Service) WithFiles(store storage.Store, maxUpload int64) *FileStore {
	if maxUpload <= 0 {
		maxUpload = DefaultMaxUpload
	}
	return &FileStore{Service: s, store: store, maxUpload: maxUpload}
}

// Upload is a file an actor sends: its name and declared type as the client gave them, the
// phase of the case it goes on (optional), and its content as a stream not read yet.
type Upload struct {
	CaseID       int64
	PhaseID      *int64
	Name         string
	DeclaredType string
	Body         io.Reader
}

// uploadAccess decides whether a may add files to case caseID: an owner-like employee
// (CASE-4), or a contact with the Upload right (EXT-2, EXT-6). Files of a case that are not
// visible to the contact are apperr.NotFound (EXT-3, EXT-8).
func (s *Service) uploadAccess(ctx context.Context, db bun.IDB, a domain.Actor, caseID int64) (*PartCase, sharing.Grant, error) {
	if a.IsContact() {
		g, err := s.partShared(ctx, db, a, caseID, sharing.UploadFiles, "No files are shared on this case.")
		return nil, g, err
	}
	pc, err := partCaseFor(ctx, db, a, caseID, rights.CaseManageFiles)
	if err != nil {
		return nil, sharing.Grant{}, err
	}
	return &pc, sharing.Grant{}, nil
}

func (f *FileStore) configured() error {
	if f.store == nil {
		return apperr.E(apperr.Unavailable, "File storage is not available right now.")
	}
	return nil
}

// CheckUpload answers whether a may add files to the case before any byte of the body is
// read (see uploadAccess): apperr.NotFound, apperr.Forbidden, or apperr.Unavailable when no
// store is configured.
func (f *FileStore) CheckUpload(ctx context.Context, a domain.Actor, caseID int64) error {
	if _, _, err := f.uploadAccess(ctx, f.env.DB, a, caseID); err != nil {
		return err
	}
	return f.configured()
}

// AddFile stores an upload and its files row together (CASE-4 for employees; EXT-2, EXT-7
// for contacts), so that neither is left without the other:
//
//   - the content streams to the store under a key the server makes (storage.NewKey); the
//     client's name is kept only as the row's name, cleaned of paths and control characters
//     (an empty one is apperr.Invalid);
//   - the content is limited to the store's maxUpload bytes (apperr.TooLarge) and checked
//     against its declared type (storage.Sniff: apperr.Invalid for active content declared
//     as something else); an empty file is apperr.Invalid;
//   - a phase, when given, must be one of the case (and, for a contact, in a shared section):
//     apperr.Invalid otherwise;
//   - when the store fails nothing is written to the database (apperr.Unavailable);
//   - when the database fails after the content was stored, the object is deleted again.
//
// Errors: apperr.NotFound, apperr.Forbidden, apperr.Invalid, apperr.TooLarge, apperr.Unavailable.
func (f *FileStore) AddFile(ctx context.Context, a domain.Actor, up Upload) (*File, error) {
	_, g, err := f.uploadAccess(ctx, f.env.DB, a, up.CaseID)
	if err != nil {
		return nil, err
	}
	if err := f.configured(); err != nil {
		return nil, err
	}
	name := storage.CleanFileName(up.Name)
	if name == "" {
		return nil, apperr.E(apperr.Invalid, "The file needs a name.")
	}
	if up.PhaseID != nil {
		if a.IsContact() && !g.Can(sharing.ViewPhases) {
			return nil, apperr.E(apperr.Invalid, "No phase %d on this case.", *up.PhaseID)
		}
		if err := partPhaseOf(ctx, f.env.DB, up.CaseID, *up.PhaseID, ""); err != nil {
			return nil, err
		}
	}
	stored, err := storage.Receive(ctx, f.store, up.CaseID, up.Body, up.DeclaredType, f.maxUpload)
	if err != nil {
		return nil, err
	}
	var out *File
	err = f.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		// The upload took a while: the actor's access is decided again with the row.
		pc, g, err := f.uploadAccess(ctx, tx, a, up.CaseID)
		if err != nil {
			return err
		}
		row := &File{File: model.File{Version: 1, CaseID: up.CaseID, PhaseID: up.PhaseID, Kind: KindFile, Name: name, StorageKey: &stored.Key,
			ContentType: stored.ContentType, SizeBytes: stored.Size, SHA256: stored.SHA256, CreatedAt: f.env.Now().UTC()}, Mine: true, Grant: g}
		if err := f.insertFile(ctx, tx, a, row, pc); err != nil {
			return err
		}
		out = row
		return nil
	})
	if err != nil {
		// The row is not there, so the object must go too. The request may be cancelled
		// already; the clean-up must still run.
		if derr := f.store.Delete(context.WithoutCancel(ctx), stored.Key); derr != nil {
			f.env.Log.Error("orphan object after a failed upload", "key", stored.Key, "case", up.CaseID, "err", derr)
		}
		return nil, err
	}
	return out, nil
}

// storedFile returns a visible file that has content in the store (a link has none).
func (f *FileStore) storedFile(ctx context.Context, a domain.Actor, id int64) (*File, error) {
	v, err := f.File(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if v.Kind != KindFile || v.StorageKey == nil {
		return nil, apperr.E(apperr.NotFound, "File %d is a link; it has no content to download.", id)
	}
	return v, f.configured()
}

// Open returns the content of a file a may view, for streaming; the caller closes it and
// must serve it as an attachment with nosniff: an upload is never shown inline (CASE-2,
// CASE-4, EXT-2, EXT-3). Errors: apperr.NotFound (a link has no content),
// apperr.Unavailable when the store is down or not configured.
func (f *FileStore) Open(ctx context.Context, a domain.Actor, id int64) (*File, io.ReadCloser, storage.Info, error) {
	v, err := f.storedFile(ctx, a, id)
	if err != nil {
		return nil, nil, storage.Info{}, err
	}
	rc, info, err := f.store.Get(ctx, *v.StorageKey)
	if err != nil {
		return nil, nil, storage.Info{}, err
	}
	return v, rc, info, nil
}

// PresignDownload returns a link that downloads a file a may view straight from the store for
// ttl, as an attachment under its name; ok is false when the store cannot sign links (local
// disk), and the caller should stream with Open instead. Errors: as Open.
func (f *FileStore) PresignDownload(ctx context.Context, a domain.Actor, id int64, ttl time.Duration) (url string, ok bool, err error) {
	v, err := f.storedFile(ctx, a, id)
	if err != nil {
		return "", false, err
	}
	p, can := storage.AsPresigner(f.store)
	if !can {
		return "", false, nil
	}
	url, err = p.PresignGet(ctx, *v.StorageKey, v.Name, ttl)
	return url, err == nil, err
}

// DeleteFile deletes a file or link with its comments, for owner-like users (CASE-4). The
// row goes in a transaction; the object is removed after the commit: an object without a row
// is harmless and logged, a row without its object would be a broken download. Errors:
// apperr.NotFound, apperr.Forbidden.
func (f *FileStore) DeleteFile(ctx context.Context, a domain.Actor, id int64) error {
	var gone *File
	err := f.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		v, err := f.loadFile(ctx, tx, a, id, rights.CaseManageFiles)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.Comment)(nil)).Where("target_type = ? AND target_id = ?", TargetFile, v.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete comments of file")
		}
		if _, err := tx.NewDelete().Model((*model.File)(nil)).Where("id = ?", v.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete file")
		}
		gone = v
		return f.env.Record(ctx, tx, a, history.Entry{Action: "delete", ResourceType: "files", ResourceID: v.ID, CaseID: v.CaseID,
			Changes: history.Diff(fileSnapshot(v), nil)})
	})
	if err != nil {
		return err
	}
	if gone.StorageKey != nil && f.store != nil {
		if err := f.store.Delete(context.WithoutCancel(ctx), *gone.StorageKey); err != nil {
			f.env.Log.Warn("file object left behind", "key", *gone.StorageKey, "file", id, "err", err)
		}
	}
	return nil
}
