package httpx

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// DefaultDocumentLimit bounds every request body that is not a file upload: JSON:API
// documents and HTML forms.
const DefaultDocumentLimit = 1 << 20

// bodyReadKey marks a request whose body ReadBody has taken in whole; uploadKey one whose
// body its handler streams.
const (
	bodyReadKey = "httpx.body_read"
	uploadKey   = "httpx.upload"
)

// BodyLimits configures Bodies. Both services stream request bodies
// (fiber.Config.StreamRequestBody) so that nothing is buffered before a handler asks for
// it; these limits decide how much a handler may ask for.
type BodyLimits struct {
	// Document caps every body but an upload's (default DefaultDocumentLimit).
	Document int64
	// Upload caps an upload's body, multipart framing included.
	Upload int64
	// IsUpload tells the routes whose handlers stream the body to the file store.
	IsUpload func(*fiber.Ctx) bool
}

// StreamingConfig sets what Bodies relies on in a service's fiber configuration: bodies
// arrive as streams, a multipart body is never parsed ahead of the handler, and fasthttp's
// own limit (which it does not apply to streams) is only a backstop.
func StreamingConfig(cfg *fiber.Config, limits BodyLimits) {
	cfg.StreamRequestBody = true
	cfg.DisablePreParseMultipartForm = true
	cfg.BodyLimit = int(max(limits.Document, limits.Upload))
}

// Bodies is the first middleware of a service. It reads no body: it refuses a body that
// announces more than its route may carry, refuses query strings that are not text, and
// makes sure that a body a handler did not read in whole (a 401 before ReadBody, an upload
// that failed half-way) closes the connection instead of being parsed as the next request.
// Bodies are read, capped, by ReadBody, which routes mount after authentication, and by
// upload handlers, which stream them.
func Bodies(limits BodyLimits) fiber.Handler {
	if limits.Document <= 0 {
		limits.Document = DefaultDocumentLimit
	}
	return func(c *fiber.Ctx) error {
		if err := QueryText(c); err != nil {
			return err
		}
		upload := limits.IsUpload != nil && limits.IsUpload(c)
		limit := limits.Document
		if upload {
			limit = limits.Upload
			c.Locals(uploadKey, true)
		}
		declared := int64(c.Request().Header.ContentLength()) // -1 chunked, -2 none
		if declared > limit {
			c.Context().SetConnectionClose()
			return tooLarge(limit, upload)
		}
		err := c.Next()
		if (declared > 0 || declared == -1) && (upload || c.Locals(bodyReadKey) == nil) {
			c.Context().SetConnectionClose()
		}
		return err
	}
}

// ReadBody takes the request body into memory, at most limit bytes (apperr.TooLarge
// beyond, chunked bodies included), and refuses form fields that are not text
// (apperr.Invalid). Mount it after authentication, or on the few routes that have none
// (login, invitations), so that nobody can make the server read before it knows who they
// are. On an upload route (BodyLimits.IsUpload) it reads nothing: the handler streams the
// body to the file store.
func ReadBody(limit int64) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := readBody(c, limit); err != nil {
			return err
		}
		return c.Next()
	}
}

func readBody(c *fiber.Ctx, limit int64) error {
	if c.Locals(bodyReadKey) != nil || c.Locals(uploadKey) != nil {
		return nil
	}
	req := c.Request()
	if req.IsBodyStream() {
		body, err := io.ReadAll(io.LimitReader(req.BodyStream(), limit+1))
		if err != nil {
			c.Context().SetConnectionClose()
			return &apperr.Error{Code: apperr.Invalid, Detail: "The request body could not be read.", Err: err}
		}
		if int64(len(body)) > limit {
			c.Context().SetConnectionClose()
			return tooLarge(limit, false)
		}
		req.SetBody(body)
	} else if int64(len(req.Body())) > limit {
		return tooLarge(limit, false)
	}
	c.Locals(bodyReadKey, true)
	return formText(c)
}

// TooLargeError is the cause of a body refused for its size (apperr.TooLarge), for
// errors.As: a page can say it in its reader's words, with the limit.
type TooLargeError struct {
	Limit  int64 // the most the route takes, in bytes
	Upload bool  // the route streams uploads
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("body larger than %d bytes", e.Limit)
}

// ErrNotText is the cause of a form or query refused because a name or value is not text
// (apperr.Invalid), for errors.Is.
var ErrNotText = errors.New("form or query field not text")

func tooLarge(limit int64, upload bool) error {
	cause := &TooLargeError{Limit: limit, Upload: upload}
	if upload {
		return &apperr.Error{Code: apperr.TooLarge, Detail: fmt.Sprintf("The upload is larger than the limit of %d bytes.", limit), Err: cause}
	}
	return &apperr.Error{Code: apperr.TooLarge, Detail: fmt.Sprintf("The request body is larger than the limit of %d bytes.", limit), Err: cause}
}

// notText is the refusal of a form or query whose names or values are not text.
func notText(detail string) *apperr.Error {
	return &apperr.Error{Code: apperr.Invalid, Detail: detail, Err: ErrNotText}
}

// FormValue returns a field of a form body that ReadBody has read; unlike fiber's
// FormValue it never falls back to the query string, so that a value (a CSRF token, a
// password) cannot come from a URL.
func FormValue(c *fiber.Ctx, name string) string {
	if v := c.Request().PostArgs().Peek(name); v != nil {
		return string(v)
	}
	if form, err := c.Request().MultipartForm(); err == nil {
		if vs := form.Value[name]; len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// formText refuses url-encoded and multipart forms whose names or values are not text:
// databases refuse NUL characters and invalid UTF-8, so it is a client error answered with
// a 400 here rather than a server error later. JSON:API documents get the same check in
// pkg/jsonapi.
func formText(c *fiber.Ctx) error {
	ctype := c.Get(fiber.HeaderContentType)
	var bad bool
	switch {
	case strings.HasPrefix(ctype, fiber.MIMEApplicationForm):
		c.Request().PostArgs().VisitAll(func(k, v []byte) {
			bad = bad || !IsText(string(k)) || !IsText(string(v))
		})
	case strings.HasPrefix(ctype, fiber.MIMEMultipartForm):
		form, err := c.Request().MultipartForm()
		if err != nil {
			return &apperr.Error{Code: apperr.Invalid, Detail: "The multipart form is malformed.", Err: err}
		}
		for k, vs := range form.Value {
			for _, v := range append(vs, k) {
				bad = bad || !IsText(v)
			}
		}
	default:
		return nil
	}
	if bad {
		return notText("Form fields must be text without NUL characters.")
	}
	return nil
}

// QueryText refuses a query string whose names or values are not text.
func QueryText(c *fiber.Ctx) error {
	var bad *apperr.Error
	c.Request().URI().QueryArgs().VisitAll(func(k, v []byte) {
		if bad == nil && (!IsText(string(k)) || !IsText(string(v))) {
			bad = notText("Query parameters must be UTF-8 text without NUL characters.")
			if IsText(string(k)) {
				bad.Param = string(k)
			}
		}
	})
	if bad != nil {
		return bad
	}
	return nil
}

// IsText reports whether s is UTF-8 without NUL characters: what both databases store.
func IsText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}
