package cases

import (
	"context"
	"net/url"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// The kinds of files: stored content, or a link to an address elsewhere.
const (
	KindFile = "file"
	KindLink = "link"
)

// File is a file or link of a case, as one actor sees it.
type File struct {
	model.File `bun:",extend"`
	PartCase
	UploaderName string `bun:"uploader_name"` // the employee's or the contact's name

	// Mine marks the actor's own uploads.
	Mine bool `bun:"-"`
	// Grant is a contact's grant on the file's case (EXT-2, EXT-3).
	Grant sharing.Grant `bun:"-"`
}

// Versioned implements domain.Versioned.
func (f *File) Versioned() (int64, *int64) { return f.ID, &f.Version }

// seenBy fills what depends on who reads the file.
func (f *File) seenBy(a domain.Actor) {
	f.UploaderName = strings.TrimSpace(f.UploaderName)
	f.Mine = partMine(a, f.UploadedByUserID, f.UploadedByContactID)
}

// fileColumns adds the uploader's name and the case of files aliased f.
var fileColumns = partMaker("f", "uploaded_by_user_id", "uploaded_by_contact_id", "uploader_name")

func (s *Service) selectFiles(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("files AS f").ColumnExpr("f.*").Apply(fileColumns)
}

// FileList is the collection of the files and links of the cases an employee may view
// (scope.FileView): whoever may view a case sees all its files (CASE-2, CASE-4).
func (s *Service) FileList(a domain.Actor) listing.Spec[File] {
	return listing.Spec[File]{DB: s.env.DB, Table: "files AS f", Scope: scope.FileView(a.Subject, "f"), Extend: fileColumns,
		Sorts:   map[string]string{"name": "f.name", "createdAt": "f.created_at"},
		Filters: map[string]string{"case": "f.case_id", "kind": "f.kind", "phase": "f.phase_id"},
		Include: []string{"case", "phase"},
		Keep: func(f *File) bool {
			f.seenBy(a)
			return s.partKeep(a, "file", f.ID, f.attrs(f.CaseID))
		}}
}

// CaseFiles lists the files and links of a case shared with a contact, newest first, and
// their number. They are visible with the Other section or the Upload right (EXT-2, EXT-3);
// otherwise the list is apperr.NotFound, like an unshared case (EXT-8).
func (s *Service) CaseFiles(ctx context.Context, a domain.Actor, caseID int64, w domain.Window) ([]*File, int64, error) {
	g, err := s.partShared(ctx, s.env.DB, a, caseID, sharing.ViewFiles, "No files are shared on this case.")
	if err != nil {
		return nil, 0, err
	}
	var rows []*File
	n, err := s.selectFiles(s.env.DB, &rows).Where("f.case_id = ?", caseID).OrderExpr("f.created_at DESC, f.id DESC").
		Limit(w.Limit).Offset(w.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list files of case")
	}
	for _, f := range rows {
		f.seenBy(a)
		f.Grant = g
	}
	return rows, int64(n), nil
}

// File returns one file or link as a sees it: apperr.NotFound when they may not view it
// (STYLE rule 3, EXT-8).
func (s *Service) File(ctx context.Context, a domain.Actor, id int64) (*File, error) {
	return s.loadFile(ctx, s.env.DB, a, id, rights.CaseView)
}

// FilesByID returns the files and links of ids that an employee may view, in one query
// (include).
func (s *Service) FilesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*File, error) {
	return domain.ByID(ctx, func(rows any) *bun.SelectQuery { return s.selectFiles(s.env.DB, rows) }, "f.id", ids, "files",
		func(f *File) bool {
			f.seenBy(a)
			return partVisible(a, f.attrs(f.CaseID))
		})
}

// loadFile loads one file or link and decides act on it: invisible → NotFound, visible but
// refused → Forbidden. An employee is decided by the case's rights (CaseView to view,
// CaseManageFiles for the rest: CASE-2, CASE-4); a contact only views files, with the Other
// section or the Upload right (EXT-2, EXT-3, EXT-6), and adds them with AddFile.
func (s *Service) loadFile(ctx context.Context, db bun.IDB, a domain.Actor, id int64, act rights.CaseAction) (*File, error) {
	var f File
	if err := s.selectFiles(db, &f).Where("f.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "file", id)
	}
	f.seenBy(a)
	if !a.IsContact() {
		return &f, partEmployee(a, act, f.attrs(f.CaseID), "file", id)
	}
	g, err := s.partGrant(ctx, db, a, f.CaseID, sharing.ViewFiles, "file", id)
	if err != nil {
		return nil, err
	}
	if act != rights.CaseView {
		return nil, partContactRefused("file")
	}
	f.Grant = g
	return &f, nil
}

// FileInput is a new link or a change of a file or link; nil fields stay as they are.
type FileInput struct {
	Name    *string
	URL     *string                 // a link's address
	PhaseID jsonapi.Nullable[int64] // a phase of the case, or null
	CaseID  *int64                  // create only
}

// maxLinkURL is the longest address a link keeps, as browsers and mail readers take it.
const maxLinkURL = 2000

// fileLinkURL accepts only http and https addresses of at most maxLinkURL bytes for links.
func fileLinkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(raw) > maxLinkURL {
		return nil, apperr.E(apperr.Invalid, "url must be an http or https address of at most %d characters", maxLinkURL).AtPointer("/data/attributes/url")
	}
	return u, nil
}

func (in *FileInput) apply(ctx context.Context, tx bun.IDB, f *File) error {
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		if name == "" || len(name) > 255 {
			return apperr.E(apperr.Invalid, "name is 1 to 255 characters").AtPointer("/data/attributes/name")
		}
		f.Name = name
	}
	if in.URL != nil {
		if f.Kind != KindLink {
			return apperr.E(apperr.Invalid, "only a link has a url").AtPointer("/data/attributes/url")
		}
		u, err := fileLinkURL(*in.URL)
		if err != nil {
			return err
		}
		f.URL = u.String()
	}
	switch {
	case !in.PhaseID.Set:
	case in.PhaseID.Null:
		f.PhaseID = nil
	default:
		id := in.PhaseID.Value
		if err := partPhaseOf(ctx, tx, f.CaseID, id, "/data/relationships/phase"); err != nil {
			return err
		}
		f.PhaseID = &id
	}
	return nil
}

func fileSnapshot(f *File) map[string]any {
	return map[string]any{"kind": f.Kind, "name": f.Name, "url": f.URL, "contentType": f.ContentType, "size": f.SizeBytes,
		"phase": f.PhaseID, "uploadedByUser": f.UploadedByUserID, "uploadedByContact": f.UploadedByContactID}
}

func fileEntry(f *File, e *history.Entry) { e.CaseID = f.CaseID }

// insertFile stores new file or link f of a case in tx, made by a, whose access to the case
// uploadAccess decided (pc: the case, for an employee): the row with its maker, the notice to
// whoever follows the case, and the creation in the history. CreateLink and AddFile both end
// here.
func (s *Service) insertFile(ctx context.Context, tx bun.IDB, a domain.Actor, f *File, pc *PartCase) error {
	if pc != nil {
		f.PartCase = *pc
	}
	if a.IsContact() {
		f.UploadedByContactID, f.UploaderName = &a.Contact.ID, a.Contact.Name
	} else {
		f.UploadedByUserID, f.UploaderName = &a.User.ID, a.User.Name
	}
	if _, err := tx.NewInsert().Model(&f.File).Returning("*").Exec(ctx); err != nil {
		return apperr.Wrap(err, "insert "+f.Kind) // KindFile, KindLink
	}
	if err := notify.Record(ctx, tx, a, s.env.Now(), notify.FileOrLink(f.CaseID, f.ID, f.Kind == KindLink, f.Name)); err != nil {
		return err
	}
	return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "files", ResourceID: f.ID, CaseID: f.CaseID,
		Changes: history.Diff(nil, fileSnapshot(f))})
}

// CreateLink adds a link to a case: for owner-like users (CASE-4) and for contacts with the
// Upload right (EXT-2, EXT-7), as for files. It is named after its host unless a name is
// given, and put on a phase only by a later change. Files with content come through
// AddFile. Errors: apperr.Invalid, apperr.NotFound (case), apperr.Forbidden.
func (s *Service) CreateLink(ctx context.Context, a domain.Actor, in FileInput) (*File, error) {
	if in.CaseID == nil || in.URL == nil {
		return nil, apperr.E(apperr.Invalid, "url and the case relationship are required; upload files to /cases/{id}/files").AtPointer("/data")
	}
	if _, _, err := s.uploadAccess(ctx, s.env.DB, a, *in.CaseID); err != nil {
		return nil, err // an invisible case stays 404 whatever the body holds
	}
	u, err := fileLinkURL(*in.URL)
	if err != nil {
		return nil, err
	}
	name := u.Host
	if in.Name != nil && strings.TrimSpace(*in.Name) != "" {
		name = strings.TrimSpace(*in.Name)
	}
	if len(name) > 255 {
		return nil, apperr.E(apperr.Invalid, "name is 1 to 255 characters").AtPointer("/data/attributes/name")
	}
	if in.PhaseID.Set {
		return nil, apperr.E(apperr.Invalid, "set a link's phase after creating it").AtPointer("/data/relationships/phase")
	}
	var out *File
	err = s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		pc, g, err := s.uploadAccess(ctx, tx, a, *in.CaseID)
		if err != nil {
			return err
		}
		f := &File{File: model.File{Version: 1, CaseID: *in.CaseID, Kind: KindLink, Name: name, URL: u.String(),
			CreatedAt: s.env.Now().UTC()}, Mine: true, Grant: g}
		if err := s.insertFile(ctx, tx, a, f, pc); err != nil {
			return err
		}
		out = f
		return nil
	})
	return out, err
}

// UpdateFile renames a file or link, moves it to another phase of its case, or changes a
// link's address, for owner-like users (CASE-4). The stored content and its key never
// change. Errors: apperr.NotFound, apperr.Forbidden, apperr.Invalid, apperr.Stale.
func (s *Service) UpdateFile(ctx context.Context, a domain.Actor, id int64, in FileInput, x domain.Expect) (*File, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*File]{Table: "files", Resource: "files", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*File, error) {
			return s.loadFile(ctx, tx, a, id, rights.CaseManageFiles)
		},
		Snapshot: fileSnapshot,
		Apply:    func(ctx context.Context, tx bun.IDB, f *File) error { return in.apply(ctx, tx, f) },
		Set: func(q *bun.UpdateQuery, f *File) *bun.UpdateQuery {
			return q.Set("name = ?", f.Name).Set("url = ?", f.URL).Set("phase_id = ?", f.PhaseID)
		},
		Entry: fileEntry,
	})
}
