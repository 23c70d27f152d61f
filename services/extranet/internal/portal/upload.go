package portal

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// Limits of the form fields that may precede the file in a multipart upload.
const (
	maxUploadFields    = 8
	maxUploadFieldSize = 4 << 10
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
	part, _, err := openUpload(c)
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

// openUpload reads a multipart body as a stream up to its part named "file", and returns
// that part unread together with the small fields sent before it (the pages' CSRF token).
func openUpload(c *fiber.Ctx) (*multipart.Part, map[string]string, error) {
	mt, params, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, nil, jsonapi.UnsupportedMediaType("unsupported_media_type",
			"Send the file as multipart/form-data with a part named \"file\".").WithHeader("Content-Type")
	}
	body := c.Request().BodyStream()
	if body == nil {
		body = bytes.NewReader(c.Body())
	}
	mr := multipart.NewReader(body, params["boundary"])
	fields := map[string]string{}
	for i := 0; ; i++ {
		part, err := mr.NextPart()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, nil, apperr.E(apperr.Invalid, "The upload has no part named \"file\".")
			}
			return nil, nil, &apperr.Error{Code: apperr.Invalid, Detail: "The multipart body is malformed.", Err: err}
		}
		if part.FormName() == "file" {
			return part, fields, nil
		}
		if i >= maxUploadFields {
			return nil, nil, apperr.E(apperr.Invalid, "Too many fields before the file.")
		}
		v, err := io.ReadAll(io.LimitReader(part, maxUploadFieldSize+1))
		if err != nil || len(v) > maxUploadFieldSize {
			return nil, nil, apperr.E(apperr.Invalid, "The field %q is too long or malformed.", part.FormName())
		}
		fields[part.FormName()] = string(v)
	}
}
