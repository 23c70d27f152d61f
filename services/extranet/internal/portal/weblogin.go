package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// webRoutes mounts the pages. Every form post carries a CSRF token; every page behind
// webSession re-checks the contact's access on each request (EXT-9).
func (h *handler) webRoutes(app *fiber.App) {
	app.Get("/static/portal.css", staticFile)
	app.Get("/static/brand.css", h.brandStyle)
	app.Get("/", func(c *fiber.Ctx) error { return seeOther(c, "/cases") })
	app.Get("/login", h.loginPage)
	// Form bodies are read only after the session is known (webSession, passwordCaller),
	// but for logging in and spending an invitation, which have none; all are capped.
	app.Post("/login", readForm, h.csrf, h.loginForm)
	app.Post("/logout", h.webSession, readForm, h.csrf, h.logoutForm)
	app.Get("/invite/:token", h.invitePage)
	app.Post("/invite/:token", readForm, h.csrf, h.inviteForm)
	app.Get("/password", h.passwordCaller, h.passwordPage)
	app.Post("/password", h.passwordCaller, readForm, h.csrf, h.passwordForm)
	app.Get("/cases", h.webSession, h.casesPage)
	app.Get("/cases/:id", h.webSession, h.casePage)
	app.Post("/cases/:id/status", h.webSession, readForm, h.csrf, h.statusForm)
	app.Post("/cases/:id/comments", h.webSession, readForm, h.csrf, h.commentForm)
	app.Post("/cases/:id/files", h.webSession, h.uploadForm)
	app.Post("/cases/:id/links", h.webSession, readForm, h.csrf, h.linkForm)
	app.Post("/cases/:id/hours/approve", h.webSession, readForm, h.csrf, h.bulkApproveForm)
	app.Post("/hours/:id/approve", h.webSession, readForm, h.csrf, h.hourForm(true))
	app.Post("/hours/:id/reject", h.webSession, readForm, h.csrf, h.hourForm(false))
	app.Post("/phases/:id/approve", h.webSession, readForm, h.csrf, h.phaseForm(true))
	app.Post("/phases/:id/reject", h.webSession, readForm, h.csrf, h.phaseForm(false))
	app.Get("/files/:id/download", h.webSession, h.downloadPage)
	app.Use(func(c *fiber.Ctx) error { return apperr.E(apperr.NotFound, "There is no such page.") })
}

// loginPage shows the login form, or skips it for a live session.
func (h *handler) loginPage(c *fiber.Ctx) error {
	if _, err := h.cookieContact(c); err == nil {
		return seeOther(c, "/cases")
	}
	return h.render(c, http.StatusOK, "login", &pageData{Title: "Log in"})
}

// loginForm logs in with the same checks, limits and answers as POST /portal/v1/sessions.
func (h *handler) loginForm(c *fiber.Ctx) error {
	email := httpx.FormValue(c, "email")
	who, err := h.svc.Login(c.UserContext(), email, httpx.FormValue(c, "password"), c.IP())
	if err != nil {
		je := h.toJSONAPI(c, err)
		if je.Status >= http.StatusInternalServerError {
			return err
		}
		return h.render(c, je.Status, "login", &pageData{Title: "Log in", Error: je.Objects[0].Detail, Data: email})
	}
	if err := h.startSession(c, who); err != nil {
		return err
	}
	h.clearCookie(c, inviteCookie)
	if who.PasswordTemporary {
		return seeOther(c, "/password")
	}
	return seeOther(c, "/cases")
}

// logoutForm ends the contact's sessions on the server, not only in this browser: a copied
// cookie is dead as well (EXT-9).
func (h *handler) logoutForm(c *fiber.Ctx) error {
	if who, err := h.cookieContact(c); err == nil {
		if err := h.svc.EndSessions(c.UserContext(), who.ID); err != nil {
			return err
		}
	}
	h.clearSession(c)
	h.clearCookie(c, inviteCookie)
	return seeOther(c, "/login")
}

// invitePage shows the start of an invitation. It does not use the link up, so that a mail
// scanner that opens links cannot spend it; the button does.
func (h *handler) invitePage(c *fiber.Ctx) error {
	return h.render(c, http.StatusOK, "invite", &pageData{Title: "Welcome", Data: c.Params("token")})
}

// inviteForm spends the single-use invitation link (EXT-4) and starts an invitation
// session: a token of its own audience in a cookie for /password only, good for setting
// the first password and nothing else.
func (h *handler) inviteForm(c *fiber.Ctx) error {
	who, err := h.svc.UseInvite(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	token, exp, err := h.invites.Mint(who.ID, who.TokenVersion)
	if err != nil {
		return err
	}
	h.clearSession(c)
	h.setCookie(c, inviteCookie, token, exp)
	return seeOther(c, "/password")
}

// inviteContact returns the contact of a live invitation session, or nil.
func (h *handler) inviteContact(c *fiber.Ctx) *extranet.Contact {
	raw := h.cookie(c, inviteCookie)
	if raw == "" {
		return nil
	}
	id, version, err := h.invites.Verify(raw)
	if err != nil {
		return nil
	}
	who, err := h.svc.InviteSession(c.UserContext(), id, version)
	if err != nil {
		return nil
	}
	return who
}

// invitedKey marks a /password request made in an invitation session.
const invitedKey = "invited"

// passwordCaller finds who is setting a password: the contact of a live invitation session,
// or else of a normal session; without either the browser goes to /login. It binds the
// forms to that session.
func (h *handler) passwordCaller(c *fiber.Ctx) error {
	if who := h.inviteContact(c); who != nil {
		c.Locals(contactKey, who)
		c.Locals(invitedKey, true)
		bindCSRF(c, "invite", who)
		return c.Next()
	}
	who, err := h.cookieContact(c)
	if err != nil {
		h.clearSession(c)
		return seeOther(c, "/login")
	}
	c.Locals(contactKey, who)
	bindCSRF(c, "session", who)
	return c.Next()
}

// passwordPage asks for a new password: without the current one in an invitation session,
// with it in a normal session.
func (h *handler) passwordPage(c *fiber.Ctx) error {
	if c.Locals(invitedKey) != nil {
		return h.render(c, http.StatusOK, "password", &pageData{Title: "Choose your password", Contact: caller(c), Data: true})
	}
	return h.render(c, http.StatusOK, "password", &pageData{Title: "Change your password", Contact: caller(c), Data: false})
}

// passwordForm sets the new password and starts a normal session with the new token
// version: every older session of the contact ends (EXT-9).
func (h *handler) passwordForm(c *fiber.Ctx) error {
	ctx := c.UserContext()
	newPassword := httpx.FormValue(c, "new")
	who := caller(c)
	var invited *extranet.Contact
	if c.Locals(invitedKey) != nil {
		invited = who
	}
	d := &pageData{Title: "Change your password", Contact: who, Data: invited != nil}
	if newPassword != httpx.FormValue(c, "confirm") {
		d.Error = "The two new passwords differ."
		return h.render(c, http.StatusBadRequest, "password", d)
	}
	var err error
	if invited != nil {
		who, err = h.svc.SetPasswordByInvite(ctx, invited.ID, invited.TokenVersion, newPassword)
	} else {
		who, err = h.svc.ChangePassword(ctx, who, httpx.FormValue(c, "current"), newPassword)
	}
	if err != nil {
		je := h.toJSONAPI(c, err)
		if je.Status >= http.StatusInternalServerError || je.Status == http.StatusUnauthorized {
			return err
		}
		d.Error = je.Objects[0].Detail
		return h.render(c, je.Status, "password", d)
	}
	h.clearCookie(c, inviteCookie)
	if err := h.startSession(c, who); err != nil {
		return err
	}
	return seeOther(c, "/cases?done=password")
}
