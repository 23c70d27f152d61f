package server

import (
	"mime"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// DefaultMaxUpload is the largest file the API accepts unless configured (bytes).
const DefaultMaxUpload = 25 << 20

func fileResource(f *cases.File) *jsonapi.Resource {
	id := strconv.FormatInt(f.ID, 10)
	attrs := map[string]any{"kind": f.Kind, "name": f.Name, "version": f.Version, "createdAt": f.CreatedAt.UTC()}
	links := selfLink("files", id)
	if f.Kind == cases.KindLink {
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

// fileStore is the cases service with the API's store of file contents.
func (s *Server) fileStore() *cases.FileStore { return s.cases.WithFiles(s.files, s.maxUpload) }

// uploadFile answers POST /api/v1/cases/:id/files (multipart/form-data, part "file", optional
// field "phase" before it; cases.FileStore.AddFile, the same action as the portal's). Access
// is decided before a byte of the body is read; the file then streams to the store.
func (s *Server) uploadFile(c *fiber.Ctx) error {
	caseID, err := pathID(c, "case")
	if err != nil {
		return err
	}
	ctx, a, files := c.UserContext(), actorOf(c), s.fileStore()
	if err := files.CheckUpload(ctx, a, caseID); err != nil {
		return err
	}
	part, fields, err := httpx.OpenUpload(c)
	if err != nil {
		return err
	}
	up := cases.Upload{CaseID: caseID, Name: part.FileName(), DeclaredType: part.Header.Get(fiber.HeaderContentType), Body: part}
	if v := fields["phase"]; v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return apperr.E(apperr.Invalid, "phase must be a phase id")
		}
		up.PhaseID = &id
	}
	f, err := files.AddFile(ctx, a, up)
	if err != nil {
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

// serverOwnedFileFields: the content's description comes from the upload, the uploader from
// the caller.
var serverOwnedFileFields = []string{"kind", "contentType", "size", "sha256", "uploadedByUser", "uploadedByContact", "createdAt"}

// input converts the request to the service's input.
func (b *linkBody) input() (in cases.FileInput, err error) {
	in = cases.FileInput{Name: b.Name, URL: b.URL}
	if in.CaseID, err = relRequired(b.Case, "cases", "/data/relationships/case"); err != nil {
		return in, err
	}
	in.PhaseID, err = relRef(b.Phase, "phases", "/data/relationships/phase")
	return in, err
}

func (b *linkBody) edited() *int64 { return b.Version }

// downloadFile answers GET /api/v1/files/:id/content (cases.FileStore.Open): the bytes,
// always as an attachment and never sniffed by the browser.
func (s *Server) downloadFile(c *fiber.Ctx) error {
	id, err := pathID(c, "file")
	if err != nil {
		return err
	}
	f, rc, info, err := s.fileStore().Open(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, f.ContentType)
	c.Set(fiber.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set(fiber.HeaderContentLength, strconv.FormatInt(info.Size, 10))
	return c.SendStream(rc, int(info.Size))
}

// fileKind is the files type (pkg/cases).
func (s *Server) fileKind() kind {
	return kind{
		name:   "files",
		list:   lister(s, s.cases.FileList, fileResource),
		create: creator[linkBody]("files", append(serverOwnedFileFields, "version"), s.cases.CreateLink, fileResource),
		get:    getter(s, "file", s.cases.File, fileResource),
		update: updater[linkBody]("files", "file", append(serverOwnedFileFields, "case"), s.cases.UpdateFile, fileResource),
		remove: remover("file", s.fileStore().DeleteFile),
		batch:  batchOf(s.cases.FilesByID, fileResource),
	}
}
