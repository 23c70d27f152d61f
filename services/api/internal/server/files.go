package server

import (
	"context"
	"fmt"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
	"github.com/caseroom/caseroom/pkg/storage"
)

// DefaultMaxUpload is the largest file the API accepts unless configured (bytes).
const DefaultMaxUpload = 25 << 20

func fileResource(f *model.File) *jsonapi.Resource {
	id := strconv.FormatInt(f.ID, 10)
	attrs := map[string]any{"kind": f.Kind, "name": f.Name, "version": f.Version, "createdAt": f.CreatedAt.UTC()}
	links := &jsonapi.Links{Self: apiBase + "/files/" + id}
	if f.Kind == "link" {
		attrs["url"] = f.URL
	} else {
		attrs["contentType"], attrs["size"], attrs["sha256"] = f.ContentType, f.SizeBytes, f.SHA256
		links.Related = apiBase + "/files/" + id + "/content"
	}
	return &jsonapi.Resource{Type: "files", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{
			"case":              toOne("files", id, "case", "cases", f.CaseID),
			"phase":             optRel("files", id, "phase", "phases", f.PhaseID),
			"uploadedByUser":    optRel("files", id, "uploadedByUser", "users", f.UploadedByUserID),
			"uploadedByContact": optRel("files", id, "uploadedByContact", "contacts", f.UploadedByContactID),
		},
		Links: links}
}

func fileSnapshot(f *model.File) map[string]any {
	return map[string]any{"kind": f.Kind, "name": f.Name, "url": f.URL, "contentType": f.ContentType, "size": f.SizeBytes, "phase": f.PhaseID}
}

// listFiles answers GET /api/v1/files: files and links of cases the caller may view.
func (s *Server) listFiles(c *fiber.Ctx) error {
	return collection[model.File]{table: "files AS f", scope: scope.FileView(caller(c).Subject, "f"),
		sorts:   map[string]string{"name": "f.name", "createdAt": "f.created_at"},
		filters: map[string]string{"case": "f.case_id", "kind": "f.kind", "phase": "f.phase_id"},
		include: []string{"case", "phase"}, resource: fileResource}.run(s, c)
}

// loadFile loads a file and decides a on its case; an invisible case makes it missing.
func (s *Server) loadFile(ctx context.Context, db bun.IDB, p *principal, a rights.CaseAction, rawID string) (*model.File, error) {
	var f model.File
	if err := s.loadCasePart(ctx, db, p, a, "file", "files AS f", rawID, &f, func() int64 { return f.CaseID }); err != nil {
		return nil, err
	}
	return &f, nil
}

func (s *Server) getFile(c *fiber.Ctx) error {
	f, err := s.loadFile(c.UserContext(), s.db, caller(c), rights.CaseView, c.Params("id"))
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, fileResource(f))
}

// uploadFile answers POST /api/v1/cases/:id/files (multipart/form-data, part "file", optional
// field "phase"): owner-like users add files (CASE-4). The object goes to storage under a
// server-made key first; the row is written after; if the row fails the object is removed,
// so neither is ever left without the other.
func (s *Server) uploadFile(c *fiber.Ctx) error {
	p := caller(c)
	ctx := c.UserContext()
	row, _, err := s.loadCase(ctx, p, c.Params("id"), rights.CaseManageFiles)
	if err != nil {
		return err
	}
	if s.files == nil {
		return apperr.E(apperr.Unavailable, "File storage is not configured.")
	}
	// The file streams to the store as it arrives; fields it needs come before it.
	part, fields, err := httpx.OpenUpload(c)
	if err != nil {
		return err
	}
	name := storage.CleanFileName(part.FileName())
	if name == "" {
		return apperr.E(apperr.Invalid, "The file needs a name.")
	}
	var phaseID *int64
	if v := fields["phase"]; v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return apperr.E(apperr.Invalid, "phase must be a phase id")
		}
		if ok, err := s.db.NewSelect().Model((*model.Phase)(nil)).Where("id = ? AND case_id = ?", id, row.ID).Exists(ctx); err != nil || !ok {
			return apperr.E(apperr.Invalid, "No phase %d on this case.", id)
		}
		phaseID = &id
	}
	stored, err := storage.Receive(ctx, s.files, row.ID, part, part.Header.Get("Content-Type"), s.maxUpload)
	if err != nil {
		return err
	}
	key := stored.Key
	f := &model.File{Version: 1, CaseID: row.ID, PhaseID: phaseID, Kind: "file", Name: name, StorageKey: &key, ContentType: stored.ContentType,
		SizeBytes: stored.Size, SHA256: stored.SHA256, UploadedByUserID: &p.User.ID, CreatedAt: s.now().UTC()}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(f).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert file")
		}
		return s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "files", ResourceID: f.ID, CaseID: f.CaseID,
			Changes: history.Diff(nil, fileSnapshot(f))})
	})
	if err != nil {
		if derr := s.files.Delete(context.WithoutCancel(ctx), key); derr != nil {
			s.log.Error("orphan object after a failed upload", "key", key, "err", derr)
		}
		return err
	}
	return writeOne(c, fiber.StatusCreated, fileResource(f))
}

type linkBody struct {
	Name    *string                       `jsonapi:"name"`
	URL     *string                       `jsonapi:"url"`
	Version *int64                        `jsonapi:"version"`
	Case    *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
	Phase   *jsonapi.IncomingRelationship `jsonapi:"phase,rel"`
}

// createLink answers POST /api/v1/files with a link (kind "link"), for owner-like users.
func (s *Server) createLink(c *fiber.Ctx) error {
	p := caller(c)
	var req linkBody
	if err := bind(c, "files", "", &req, "kind", "contentType", "size", "sha256", "uploadedByUser", "uploadedByContact", "createdAt", "version"); err != nil {
		return err
	}
	if req.Case == nil || req.URL == nil {
		return apperr.E(apperr.Invalid, "url and the case relationship are required; upload files to /cases/{id}/files").AtPointer("/data")
	}
	u, err := parseLinkURL(*req.URL)
	if err != nil {
		return err
	}
	caseID, err := req.Case.ToOne("cases")
	if err != nil {
		return err
	}
	name := u.Host
	if req.Name != nil && strings.TrimSpace(*req.Name) != "" {
		name = strings.TrimSpace(*req.Name)
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		row, _, err := s.loadCaseTx(ctx, tx, p, caseID, rights.CaseManageFiles)
		if err != nil {
			return err
		}
		f := &model.File{Version: 1, CaseID: row.ID, Kind: "link", Name: name, URL: u.String(), UploadedByUserID: &p.User.ID, CreatedAt: s.now().UTC()}
		if req.Phase != nil {
			return apperr.E(apperr.Invalid, "set a link's phase after creating it").AtPointer("/data/relationships/phase")
		}
		if _, err := tx.NewInsert().Model(f).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert link")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "files", ResourceID: f.ID, CaseID: f.CaseID,
			Changes: history.Diff(nil, fileSnapshot(f))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusCreated, fileResource(f))
	})
}

// parseLinkURL accepts only http and https addresses for links.
func parseLinkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, apperr.E(apperr.Invalid, "url must be an http or https address").AtPointer("/data/attributes/url")
	}
	return u, nil
}

// updateFile answers PATCH /api/v1/files/:id: owner-like users rename a file or link, move it
// to another phase of the case, or change a link's address (CASE-4). The stored bytes and the
// storage key never change.
func (s *Server) updateFile(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		f, err := s.loadFile(ctx, tx, p, rights.CaseManageFiles, c.Params("id"))
		if err != nil {
			return err
		}
		var req linkBody
		if err := bind(c, "files", strconv.FormatInt(f.ID, 10), &req, "kind", "contentType", "size", "sha256", "uploadedByUser",
			"uploadedByContact", "createdAt", "case"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, f.Version); err != nil {
			return err
		}
		before := fileSnapshot(f)
		if req.Name != nil {
			name := strings.TrimSpace(*req.Name)
			if name == "" || len(name) > 255 {
				return apperr.E(apperr.Invalid, "name is 1 to 255 characters").AtPointer("/data/attributes/name")
			}
			f.Name = name
		}
		if req.URL != nil {
			if f.Kind != "link" {
				return apperr.E(apperr.Invalid, "only a link has a url").AtPointer("/data/attributes/url")
			}
			u, err := parseLinkURL(*req.URL)
			if err != nil {
				return err
			}
			f.URL = u.String()
		}
		if req.Phase != nil {
			id, null, err := relID(req.Phase, "phases", "/data/relationships/phase")
			if err != nil {
				return err
			}
			f.PhaseID = nil
			if !null {
				if ok, err := tx.NewSelect().Model((*model.Phase)(nil)).Where("id = ? AND case_id = ?", id, f.CaseID).Exists(ctx); err != nil || !ok {
					return apperr.E(apperr.Invalid, "No phase %d on this case.", id).AtPointer("/data/relationships/phase")
				}
				f.PhaseID = &id
			}
		}
		if err := db.BumpVersion(ctx, tx, "files", f.ID, f.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("name = ?", f.Name).Set("url = ?", f.URL).Set("phase_id = ?", f.PhaseID)
		}); err != nil {
			return err
		}
		f.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "files", ResourceID: f.ID, CaseID: f.CaseID,
			Changes: history.Diff(before, fileSnapshot(f))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, fileResource(f))
	})
}

// downloadFile answers GET /api/v1/files/:id/content: the bytes, always as an attachment
// and never sniffed by the browser.
func (s *Server) downloadFile(c *fiber.Ctx) error {
	f, err := s.loadFile(c.UserContext(), s.db, caller(c), rights.CaseView, c.Params("id"))
	if err != nil {
		return err
	}
	if f.Kind != "file" || f.StorageKey == nil {
		return apperr.E(apperr.NotFound, "File %d is a link; it has no content here.", f.ID)
	}
	if s.files == nil {
		return apperr.E(apperr.Unavailable, "File storage is not configured.")
	}
	rc, info, err := s.files.Get(c.UserContext(), *f.StorageKey)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderContentLength, strconv.FormatInt(info.Size, 10))
	return c.SendStream(rc, int(info.Size))
}

// deleteFile answers DELETE /api/v1/files/:id (CASE-4). The row goes in a transaction; the
// object is removed after the commit (an object without a row is harmless and logged; a row
// without its object would be a broken download).
func (s *Server) deleteFile(c *fiber.Ctx) error {
	p := caller(c)
	ctx := c.UserContext()
	var f *model.File
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if f, err = s.loadFile(ctx, tx, p, rights.CaseManageFiles, c.Params("id")); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.Comment)(nil)).Where("target_type = 'file' AND target_id = ?", f.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete file comments")
		}
		if _, err := tx.NewDelete().Model((*model.File)(nil)).Where("id = ?", f.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete file")
		}
		return s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "files", ResourceID: f.ID, CaseID: f.CaseID,
			Changes: history.Diff(fileSnapshot(f), nil)})
	})
	if err != nil {
		return err
	}
	if f.StorageKey != nil && s.files != nil {
		if err := s.files.Delete(context.WithoutCancel(ctx), *f.StorageKey); err != nil {
			s.log.Warn("file object left behind", "key", *f.StorageKey, "err", fmt.Sprint(err))
		}
	}
	return jsonapi.NoContent(c)
}

// fileKind is the files type of the registry.
func (s *Server) fileKind() kind {
	return kind{name: "files", list: s.listFiles, create: s.createLink, get: s.getFile, update: s.updateFile, remove: s.deleteFile,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			f, err := s.loadFile(ctx, s.db, p, rights.CaseView, idString(id))
			if err != nil {
				return nil, err
			}
			return fileResource(f), nil
		})}
}
