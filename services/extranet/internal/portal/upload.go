package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// uploadFile answers POST /portal/v1/cases/:id/files with a multipart/form-data body whose
// part "file" is the content (EXT-2, EXT-7). Access is checked before a byte of the body
// is read; the content then streams to the store (extranet.Service.AddFile).
func (h *handler) uploadFile(c *fiber.Ctx) error {
	caseID, err := pathID(c, "case")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), caller(c)
	if err := h.svc.CheckUpload(ctx, who, caseID); err != nil {
		return err
	}
	part, _, err := httpx.OpenUpload(c)
	if err != nil {
		return err
	}
	v, err := h.svc.AddFile(ctx, who, extranet.Upload{CaseID: caseID, Name: part.FileName(),
		DeclaredType: part.Header.Get(fiber.HeaderContentType), Body: part})
	if err != nil {
		return err
	}
	return writeOne(c, http.StatusCreated, jsonapi.Query{}, fileResource(v))
}
