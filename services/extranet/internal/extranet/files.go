package extranet

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
)

// FileView is a file or link of a case as a contact sees it.
type FileView struct {
	File         model.File
	UploaderName string
	Mine         bool
	Grant        Grant
}

type fileRow struct {
	model.File   `bun:",extend"`
	UploaderName string `bun:"uploader_name"`
}

func selectFiles(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("files AS f").ColumnExpr("f.*").
		ColumnExpr("COALESCE(u.name, ct.first_name || ' ' || ct.last_name, '') AS uploader_name").
		Join("LEFT JOIN users AS u ON u.id = f.uploaded_by_user_id").
		Join("LEFT JOIN contacts AS ct ON ct.id = f.uploaded_by_contact_id")
}

func (r *fileRow) view(who *Contact, g Grant) FileView {
	mine := r.UploadedByContactID != nil && *r.UploadedByContactID == who.ID
	return FileView{File: r.File, UploaderName: r.UploaderName, Mine: mine, Grant: g}
}

// Files lists the files & links of a shared case, newest first. They are visible with the
// Other section or the Upload right (EXT-2, EXT-3); otherwise the list is apperr.NotFound.
func (s *Service) Files(ctx context.Context, who *Contact, caseID int64, p Page) ([]FileView, int64, error) {
	g, err := s.grant(ctx, s.db, who, caseID)
	if err != nil {
		return nil, 0, err
	}
	if err := g.Check(ViewFiles, "No files are shared on this case."); err != nil {
		return nil, 0, err
	}
	var rows []fileRow
	n, err := selectFiles(s.db, &rows).Where("f.case_id = ?", caseID).OrderExpr("f.created_at DESC, f.id DESC").
		Limit(p.Limit).Offset(p.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list files")
	}
	out := make([]FileView, len(rows))
	for i := range rows {
		out[i] = rows[i].view(who, g)
	}
	return out, n, nil
}

// File returns one file or link, or apperr.NotFound when its case is not shared with who
// or files are not visible to them (EXT-8).
func (s *Service) File(ctx context.Context, who *Contact, id int64) (FileView, error) {
	var r fileRow
	if err := selectFiles(s.db, &r).Where("f.id = ?", id).Scan(ctx); err != nil {
		if isNoRows(err) {
			return FileView{}, notFound("file", id)
		}
		return FileView{}, apperr.Wrap(err, "load file")
	}
	g, err := s.objectGrant(ctx, s.db, who, r.CaseID, ViewFiles, "file", id)
	if err != nil {
		return FileView{}, err
	}
	return r.view(who, g), nil
}

// storedFile returns a visible file that has content in the store (a link has none).
func (s *Service) storedFile(ctx context.Context, who *Contact, id int64) (FileView, error) {
	v, err := s.File(ctx, who, id)
	if err != nil {
		return v, err
	}
	if v.File.Kind != "file" || v.File.StorageKey == nil {
		return v, apperr.E(apperr.NotFound, "File %d is a link; it has no content to download.", id)
	}
	if s.files == nil {
		return v, apperr.E(apperr.Unavailable, "Files cannot be downloaded right now.")
	}
	return v, nil
}

// Open returns the content of a visible file for streaming; the caller closes it. The
// caller must serve it as an attachment with nosniff: an upload is never shown inline.
// Errors: apperr.NotFound, apperr.Unavailable when the store is down.
func (s *Service) Open(ctx context.Context, who *Contact, id int64) (FileView, io.ReadCloser, storage.Info, error) {
	v, err := s.storedFile(ctx, who, id)
	if err != nil {
		return v, nil, storage.Info{}, err
	}
	rc, info, err := s.files.Get(ctx, *v.File.StorageKey)
	if err != nil {
		return v, nil, storage.Info{}, err
	}
	return v, rc, info, nil
}

// PresignDownload returns a link that downloads a visible file straight from the store for
// ttl, as an attachment under its original name; ok is false when the store cannot sign
// links (local disk), and the caller should stream with Open instead.
func (s *Service) PresignDownload(ctx context.Context, who *Contact, id int64, ttl time.Duration) (url string, ok bool, err error) {
	v, err := s.storedFile(ctx, who, id)
	if err != nil {
		return "", false, err
	}
	p, can := storage.AsPresigner(s.files)
	if !can {
		return "", false, nil
	}
	url, err = p.PresignGet(ctx, *v.File.StorageKey, v.File.Name, ttl)
	return url, err == nil, err
}
