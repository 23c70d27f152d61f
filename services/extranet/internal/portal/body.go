package portal

import (
	"io"
	"regexp"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// maxFormBody bounds every request body except uploads: JSON:API documents and HTML forms.
const maxFormBody = 1 << 20

// multipartSlack is what a multipart upload may carry beyond the file: boundaries, part
// headers and the CSRF field.
const multipartSlack = 64 << 10

var (
	uploadPath   = regexp.MustCompile(`^(/portal/v1)?/cases/[^/]+/files$`)
	downloadPath = regexp.MustCompile(`^/portal/v1/files/[^/]+/download$`)
)

// isUploadRoute reports whether the request is a file upload, whose body is streamed to
// the store by its handler rather than read here.
func isUploadRoute(c *fiber.Ctx) bool {
	return c.Method() == fiber.MethodPost && uploadPath.MatchString(c.Path())
}

// isRawBodyRoute marks the API routes that are not JSON:API documents: the multipart upload
// and the file download. Negotiate leaves them alone; they answer errors as JSON:API.
func isRawBodyRoute(c *fiber.Ctx) bool {
	return isUploadRoute(c) || (c.Method() == fiber.MethodGet && downloadPath.MatchString(c.Path()))
}

// limitBody reads every non-upload body into memory up to maxFormBody (413 beyond). The
// server streams request bodies so that uploads need not be buffered; without this limit a
// JSON route would read any body whole. An upload announcing more than the upload limit is
// refused before a byte of it is read; one that does not say is cut off by the upload's
// own limit while streaming.
func (h *handler) limitBody(c *fiber.Ctx) error {
	req := c.Request()
	cl := int64(req.Header.ContentLength())
	if isUploadRoute(c) {
		// The handler may answer before it has read the whole body; the connection cannot
		// carry another request after that.
		c.Context().SetConnectionClose()
		if cl > h.deps.MaxUploadBytes+multipartSlack {
			return apperr.E(apperr.TooLarge, "The file is larger than the limit of %d bytes.", h.deps.MaxUploadBytes)
		}
		return c.Next()
	}
	if !req.IsBodyStream() {
		return c.Next()
	}
	if cl > maxFormBody {
		c.Context().SetConnectionClose()
		return apperr.E(apperr.TooLarge, "The request body is larger than %d bytes.", maxFormBody)
	}
	body, err := io.ReadAll(io.LimitReader(req.BodyStream(), maxFormBody+1))
	if err != nil {
		c.Context().SetConnectionClose()
		return &apperr.Error{Code: apperr.Invalid, Detail: "The request body could not be read.", Err: err}
	}
	if len(body) > maxFormBody {
		c.Context().SetConnectionClose()
		return apperr.E(apperr.TooLarge, "The request body is larger than %d bytes.", maxFormBody)
	}
	req.SetBody(body)
	return c.Next()
}
