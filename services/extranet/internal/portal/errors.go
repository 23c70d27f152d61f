package portal

import (
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

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
func (h *handler) toJSONAPI(c *fiber.Ctx, err error) *jsonapi.Error {
	je := httpx.ToJSONAPI(h.log, httpx.RequestID(c), err)
	for _, ec := range errorCodes {
		if errors.Is(err, ec.err) {
			out := &jsonapi.Error{Status: je.Status, Objects: slices.Clone(je.Objects)}
			out.Objects[0].Code = ec.code
			return out
		}
	}
	return je
}

// errorHandler writes errors of the JSON:API as error documents and errors of the pages as
// an HTML page with the same status and caller-safe text.
func (h *handler) errorHandler() fiber.ErrorHandler {
	api := jsonapi.ErrorHandler(h.toJSONAPI)
	return func(c *fiber.Ctx, err error) error {
		if strings.HasPrefix(c.Path(), "/portal/v1") || c.Path() == "/openapi.yaml" {
			return api(c, err)
		}
		return h.errorPage(c, err)
	}
}
