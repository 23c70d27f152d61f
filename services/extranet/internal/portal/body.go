package portal

import (
	"regexp"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/httpx"
)

// readForm reads a form or JSON:API body into memory, capped; routes mount it after
// authentication (httpx.ReadBody).
var readForm = httpx.ReadBody(httpx.DefaultDocumentLimit)

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
