package portal

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

const contactKey = "contact"

// authenticate checks the Bearer token of a JSON:API request: a JWT of the extranet's own
// audience (an internal API token is refused, EXT-8), whose contact, credential, token
// version and shares are loaded afresh on every request (EXT-9).
func (h *handler) authenticate(c *fiber.Ctx) error {
	token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok || token == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="caseroom-extranet"`)
		return apperr.E(apperr.Unauthenticated, "A Bearer token is required.")
	}
	id, version, err := h.tokens.Verify(token)
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="caseroom-extranet", error="invalid_token"`)
		return apperr.E(apperr.Unauthenticated, "The token is invalid or expired.")
	}
	who, err := h.svc.Authenticate(c.UserContext(), id, version)
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="caseroom-extranet", error="invalid_token"`)
		return err
	}
	c.Locals(contactKey, who)
	return c.Next()
}

// requirePermanentPassword refuses every route while the contact's password is still the
// temporary one from the invitation: the only way on is to change it (EXT-9).
func (h *handler) requirePermanentPassword(c *fiber.Ctx) error {
	if caller(c).PasswordTemporary {
		return extranet.ErrPasswordChangeRequired
	}
	return c.Next()
}

// caller returns the authenticated contact; routes behind authenticate always have one.
func caller(c *fiber.Ctx) *extranet.Contact {
	return c.Locals(contactKey).(*extranet.Contact)
}
