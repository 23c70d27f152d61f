package portal

import (
	"mime/multipart"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// uploadFile answers POST /portal/v1/cases/:id/files with a multipart/form-data body whose
// part "file" is the content (EXT-2, EXT-7). Access is checked before a byte of the body
// is read; the content then streams to the store (cases.FileStore.AddFile, the same action
// as the API's).
func (h *handler) uploadFile(c *fiber.Ctx) error {
	caseID, err := pathID(c, "case")
	if err != nil {
		return err
	}
	files := h.fileStore()
	part, _, err := h.openUpload(c, files, caseID)
	if err != nil {
		return err
	}
	v, err := files.AddFile(c.UserContext(), caller(c).Actor(), uploadOf(caseID, part))
	if err != nil {
		return err
	}
	return writeOne(c, http.StatusCreated, jsonapi.Query{}, fileResource(v))
}

// openUpload opens the multipart body of an upload to case caseID once the caller may
// upload there (cases.FileStore.CheckUpload): nothing of the body is read before. It returns
// the file part, unread, and the text fields sent before it.
func (h *handler) openUpload(c *fiber.Ctx, files *cases.FileStore, caseID int64) (*multipart.Part, map[string]string, error) {
	if err := files.CheckUpload(c.UserContext(), caller(c).Actor(), caseID); err != nil {
		return nil, nil, err
	}
	return httpx.OpenUpload(c)
}

// uploadOf is the upload of case caseID that part of a multipart body carries.
func uploadOf(caseID int64, part *multipart.Part) cases.Upload {
	return cases.Upload{CaseID: caseID, Name: part.FileName(), DeclaredType: part.Header.Get(fiber.HeaderContentType), Body: part}
}
