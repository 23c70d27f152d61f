package portal

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// errorCodes give the portal's own refusals stable codes, so that a client can tell an
// expired temporary password from a wrong one; the status still comes from httpx.
var errorCodes = []struct {
	err  error
	code string
}{
	{extranet.ErrBadLogin, "invalid_credentials"},
	{extranet.ErrTemporaryExpired, "temporary_password_expired"},
	{extranet.ErrSessionEnded, "session_ended"},
	{extranet.ErrNothingShared, "nothing_shared"},
	{extranet.ErrPasswordChangeRequired, "password_change_required"},
	{extranet.ErrWrongPassword, "wrong_password"},
	{extranet.ErrInviteInvalid, "invite_invalid"},
}

// toJSONAPI maps any error through the one mapping of pkg/httpx and applies errorCodes.
// For a page its title and detail are the page's words in the reader's language
// (pageWords): the English of the API is for the API's clients only.
func (h *handler) toJSONAPI(c *fiber.Ctx, err error) *jsonapi.Error {
	je := httpx.ToJSONAPI(h.log, httpx.RequestID(c), err)
	out := &jsonapi.Error{Status: je.Status, Objects: slices.Clone(je.Objects)}
	for _, ec := range errorCodes {
		if errors.Is(err, ec.err) {
			out.Objects[0].Code = ec.code
			break
		}
	}
	if !isAPI(c) {
		out.Objects[0].Title, out.Objects[0].Detail = h.pageWords(c, err, je.Status)
	}
	return out
}

// isAPI reports whether the request is one of the JSON:API, not of the pages.
func isAPI(c *fiber.Ctx) bool {
	return strings.HasPrefix(c.Path(), "/portal/v1") || c.Path() == "/openapi.yaml"
}

// errorHandler writes errors of the JSON:API as error documents and errors of the pages as
// an HTML page with the same status and caller-safe text.
func (h *handler) errorHandler() fiber.ErrorHandler {
	api := jsonapi.ErrorHandler(h.toJSONAPI)
	return func(c *fiber.Ctx, err error) error {
		if isAPI(c) {
			return api(c, err)
		}
		return h.errorPage(c, err)
	}
}

// said is an error of a page handler whose words are already the reader's, taken from the
// catalogue: a page shows them as they are.
type said struct{ err *apperr.Error }

func (s *said) Error() string { return s.err.Error() }
func (s *said) Unwrap() error { return s.err }

// say returns an error of code worded by the catalogue's key in the reader's language.
func (h *handler) say(c *fiber.Ctx, code apperr.Code, key string, args ...any) error {
	return &said{apperr.E(code, "%s", h.locale(c).T(key, args...))}
}

// pageWords returns the title and the text a page shows for err, answered with status, in
// the reader's language. The title is the catalogue's for the status. The text is the
// handler's own (say) where it worded the error; else the catalogue's for a cause the
// portal knows (a body larger than its route takes, a form or address that is not text);
// else the catalogue's for the status, which gives nothing away. The English detail of the
// API never reaches a page, whatever the reader's language.
func (h *handler) pageWords(c *fiber.Ctx, err error, status int) (title, text string) {
	l := h.locale(c)
	key := "error.page." + strconv.Itoa(status)
	if !l.Has(key + ".title") {
		key = "error.page.other"
		if status >= http.StatusInternalServerError {
			key = "error.page.500"
		}
	}
	title, text = l.T(key+".title"), l.T(key+".text")
	var own *said
	var large *httpx.TooLargeError
	switch {
	case errors.As(err, &own):
		text = own.err.Detail
	case errors.As(err, &large):
		text = l.T("error.page.body_too_large", "max", sizeText(l, large.Limit))
	case errors.Is(err, httpx.ErrNotText):
		text = l.T("error.page.not_text")
	}
	return title, text
}
