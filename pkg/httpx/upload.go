package httpx

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// MultipartSlack is what a multipart upload may carry beyond the file: boundaries, part
// headers and the small fields before the file.
const MultipartSlack = 64 << 10

// Limits of the form fields that may precede the file in a multipart upload.
const (
	maxUploadFields    = 8
	maxUploadFieldSize = 4 << 10
)

// OpenUpload reads a multipart/form-data body as a stream up to its part named "file" and
// returns that part unread, with the small text fields sent before it (a CSRF token, a
// phase). Call it only after the caller is authenticated and allowed to upload: nothing of
// the body is read before. Fields after the file are not read.
func OpenUpload(c *fiber.Ctx) (*multipart.Part, map[string]string, error) {
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
		if !IsText(part.FormName()) || !IsText(string(v)) {
			return nil, nil, notText("Form fields must be text without NUL characters.")
		}
		fields[part.FormName()] = string(v)
	}
}
