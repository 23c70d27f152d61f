package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// webSession authenticates a page request from the session cookie, with the same checks as
// the API's Bearer tokens (EXT-9), and renews the cookie so that the session ends after
// the token lifetime of inactivity. Without a live session the browser goes to /login;
// with a temporary password, to /password.
func (h *handler) webSession(c *fiber.Ctx) error {
	who, ok := h.sessionCaller(c)
	if !ok {
		return seeOther(c, "/login")
	}
	if who.PasswordTemporary && c.Path() != "/password" && c.Path() != "/logout" {
		return seeOther(c, "/password")
	}
	if err := h.startSession(c, who); err != nil {
		return err
	}
	return c.Next()
}

// sessionCaller makes the contact of the session cookie the caller, with the forms bound to
// the session; without a live session it clears the cookie and reports false.
func (h *handler) sessionCaller(c *fiber.Ctx) (*extranet.Contact, bool) {
	who, err := h.cookieContact(c)
	if err != nil {
		h.clearSession(c)
		return nil, false
	}
	c.Locals(contactKey, who)
	bindCSRF(c, "session", who)
	return who, true
}

// cookieContact returns the contact of the session cookie, checked afresh.
func (h *handler) cookieContact(c *fiber.Ctx) (*extranet.Contact, error) {
	raw := h.cookie(c, sessionCookie)
	if raw == "" {
		return nil, extranet.ErrSessionEnded
	}
	id, version, err := h.tokens.Verify(raw)
	if err != nil {
		return nil, extranet.ErrSessionEnded
	}
	return h.svc.Authenticate(c.UserContext(), id, version)
}

// startSession sets a session cookie with a fresh token for who.
func (h *handler) startSession(c *fiber.Ctx, who *extranet.Contact) error {
	token, exp, err := h.tokens.Mint(who.ID, who.TokenVersion)
	if err != nil {
		return err
	}
	h.setCookie(c, sessionCookie, token, exp)
	return nil
}
