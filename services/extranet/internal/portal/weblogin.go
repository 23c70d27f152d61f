package portal

import (
	"errors"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/throttle"
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
	// but for logging in, spending an invitation and the password links, which have none;
	// all are capped.
	app.Post("/login", readForm, h.csrf, h.loginForm)
	app.Post("/logout", h.webSession, readForm, h.csrf, h.logoutForm)
	app.Get("/invite/:token", h.invitePage)
	app.Post("/invite/:token", readForm, h.csrf, h.inviteForm)
	app.Get("/forgot", h.forgotPage)
	app.Post("/forgot", readForm, h.csrf, h.forgotForm)
	app.Get("/reset/:token", h.resetPage)
	app.Post("/reset/:token", readForm, h.csrf, h.resetForm)
	app.Get("/password", h.passwordCaller, h.passwordPage)
	app.Post("/password", h.passwordCaller, readForm, h.csrf, h.passwordForm)
	app.Get("/cases", h.webSession, h.casesPage)
	app.Get("/cases/:id", h.webSession, h.casePage)
	app.Post("/cases/:id/status", h.webSession, readForm, h.csrf, h.statusForm)
	app.Post("/cases/:id/comments", h.webSession, readForm, h.csrf, h.commentForm)
	app.Post("/cases/:id/files", h.webSession, h.uploadForm)
	app.Post("/cases/:id/links", h.webSession, readForm, h.csrf, h.linkForm)
	app.Post("/cases/:id/hours/approve", h.webSession, readForm, h.csrf, h.bulkApproveForm)
	app.Post("/cases/:id/hours/reject", h.webSession, readForm, h.csrf, h.bulkRejectForm)
	app.Post("/hours/:id/approve", h.webSession, readForm, h.csrf, h.hourForm(true))
	app.Post("/hours/:id/reject", h.webSession, readForm, h.csrf, h.hourForm(false))
	app.Post("/phases/:id/approve", h.webSession, readForm, h.csrf, h.phaseForm(true))
	app.Post("/phases/:id/reject", h.webSession, readForm, h.csrf, h.phaseForm(false))
	app.Get("/files/:id/download", h.webSession, h.downloadPage)
	h.prefsRoutes(app)
	app.Use(func(c *fiber.Ctx) error { return apperr.E(apperr.NotFound, "There is no such page.") })
}

// loginPage shows the login form, or skips it for a live session.
func (h *handler) loginPage(c *fiber.Ctx) error {
	if _, err := h.cookieContact(c); err == nil {
		return seeOther(c, "/cases")
	}
	return h.render(c, http.StatusOK, "login", &pageData{Title: h.locale(c).T("auth.login.title"), Data: ""})
}

// loginForm logs in with the same checks, limits and answers as POST /portal/v1/sessions;
// a refusal is said in the reader's language on the login page.
func (h *handler) loginForm(c *fiber.Ctx) error {
	email := httpx.FormValue(c, "email")
	who, err := h.svc.Login(c.UserContext(), email, httpx.FormValue(c, "password"), c.IP())
	if err != nil {
		return h.refuse(c, err, "login", &pageData{Title: h.locale(c).T("auth.login.title"), Data: email})
	}
	if err := h.startSession(c, who); err != nil {
		return err
	}
	h.clearCookie(c, inviteCookie)
	if who.PasswordTemporary {
		token, exp, err := h.fresh.Mint(who.ID, who.TokenVersion)
		if err != nil {
			return err
		}
		h.setCookie(c, freshCookie, token, exp)
		return seeOther(c, "/password")
	}
	return seeOther(c, "/cases")
}

// freshLogin reports whether this browser logged in with who's temporary password within
// freshLoginTTL: a copied session cookie alone, later, does not set a password without it.
func (h *handler) freshLogin(c *fiber.Ctx, who *extranet.Contact) bool {
	raw := h.cookie(c, freshCookie)
	if raw == "" || !who.PasswordTemporary {
		return false
	}
	id, version, err := h.fresh.Verify(raw)
	return err == nil && id == who.ID && version == who.TokenVersion
}

// refusalWords are the catalogue keys of the refusals the sign-in pages show in the
// reader's language; any other error keeps the English words of the API.
var refusalWords = []struct {
	err error
	key string
}{
	{extranet.ErrBadLogin, "auth.error.bad_login"},
	{extranet.ErrTemporaryExpired, "auth.error.temporary_expired"},
	{extranet.ErrSessionEnded, "auth.error.session_ended"},
	{extranet.ErrNothingShared, "auth.error.nothing_shared"},
	{extranet.ErrWrongPassword, "auth.error.wrong_password"},
	{extranet.ErrPasswordTooShort, "auth.error.too_short"},
	{extranet.ErrPasswordTooLong, "auth.error.too_long"},
	{extranet.ErrPasswordUnchanged, "auth.error.unchanged"},
	{extranet.ErrInviteInvalid, "auth.error.invite_invalid"},
	{extranet.ErrResetInvalid, "auth.error.reset_invalid"},
	{extranet.ErrEmailRequired, "auth.error.email_required"},
	{auth.ErrBusy, "auth.error.busy"},
	{apperr.ErrStale, "auth.error.stale"},
}

// refusalText says err in the reader's language: a lockout in whole minutes, rounded up
// ("Try again in 15 minutes."), the portal's own refusals in their words, anything else in
// the catalogue's words for its kind (toJSONAPI on a page request).
func (h *handler) refusalText(c *fiber.Ctx, err error) string {
	l := h.locale(c)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code == apperr.RateLimited && ae.RetryAfter > 0 {
		return l.N("auth.error.locked", throttle.WaitMinutes(ae.RetryAfter))
	}
	for _, w := range refusalWords {
		if errors.Is(err, w.err) {
			return l.T(w.key, "min", extranet.MinPasswordLength, "max", extranet.MaxPasswordLength)
		}
	}
	je := h.toJSONAPI(c, err)
	if je.Objects[0].Detail != "" {
		return je.Objects[0].Detail
	}
	return je.Objects[0].Title
}

// refuse shows a refusal on the page the person was on, with its status and words; an
// internal failure goes to the error handler instead.
func (h *handler) refuse(c *fiber.Ctx, err error, page string, d *pageData) error {
	je := h.toJSONAPI(c, err)
	if je.Status >= http.StatusInternalServerError {
		return err
	}
	httpx.SetRetryAfter(c, err)
	d.Error = h.refusalText(c, err)
	return h.render(c, je.Status, page, d)
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
	h.clearCookie(c, freshCookie)
	return seeOther(c, "/login")
}

// inviteData is what the invitation page shows: the button that spends the link, or why
// the link does not work.
type inviteData struct {
	Token   string
	Invalid bool
}

// invitePage shows the start of an invitation. It does not use the link up, so that a mail
// scanner that opens links cannot spend it; the button does.
func (h *handler) invitePage(c *fiber.Ctx) error {
	return h.render(c, http.StatusOK, "invite", &pageData{Title: h.locale(c).T("auth.invite.title"), Data: inviteData{Token: c.Params("token")}})
}

// inviteForm spends the single-use invitation link (EXT-4) and starts an invitation
// session: a token of its own audience in a cookie for /password only, good for setting
// the first password and nothing else.
func (h *handler) inviteForm(c *fiber.Ctx) error {
	who, err := h.svc.UseInvite(c.UserContext(), c.Params("token"))
	if err != nil {
		return h.refuse(c, err, "invite", &pageData{Title: h.locale(c).T("auth.invite.title"), Data: inviteData{Invalid: true}})
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
	if _, ok := h.sessionCaller(c); !ok {
		return seeOther(c, "/login")
	}
	return c.Next()
}

// passwordData is what the password page shows: whether this is the contact's first own
// password (no current one asked), and the shortest password taken.
type passwordData struct {
	First bool
	Min   int
}

// passwordPageData is the page for the caller: the first password, without the current one,
// in an invitation session and in a browser that logged in with the temporary password
// minutes ago (EXT-9: it was typed a moment ago); a change, with the current one, otherwise.
func (h *handler) passwordPageData(c *fiber.Ctx) *pageData {
	first := c.Locals(invitedKey) != nil || h.freshLogin(c, caller(c))
	title := "auth.password.title_change"
	if first {
		title = "auth.password.title_first"
	}
	return &pageData{Title: h.locale(c).T(title), Contact: caller(c), Data: passwordData{First: first, Min: extranet.MinPasswordLength}}
}

// passwordPage asks for a new password, and for the current one only where passwordPageData
// says so.
func (h *handler) passwordPage(c *fiber.Ctx) error {
	return h.render(c, http.StatusOK, "password", h.passwordPageData(c))
}

// passwordForm sets the new password and starts a normal session with the new token
// version: every older session of the contact ends (EXT-9).
func (h *handler) passwordForm(c *fiber.Ctx) error {
	ctx := c.UserContext()
	newPassword := httpx.FormValue(c, "new")
	who := caller(c)
	d := h.passwordPageData(c)
	if newPassword != httpx.FormValue(c, "confirm") {
		d.Error = h.locale(c).T("auth.password.mismatch")
		return h.render(c, http.StatusBadRequest, "password", d)
	}
	var err error
	switch {
	case c.Locals(invitedKey) != nil:
		who, err = h.svc.SetPasswordByInvite(ctx, who.ID, who.TokenVersion, newPassword)
	case h.freshLogin(c, who):
		who, err = h.svc.ReplaceTemporaryPassword(ctx, who, newPassword)
	default:
		who, err = h.svc.ChangePassword(ctx, who, httpx.FormValue(c, "current"), newPassword)
	}
	if err != nil {
		if h.toJSONAPI(c, err).Status == http.StatusUnauthorized {
			return err
		}
		return h.refuse(c, err, "password", d)
	}
	h.clearCookie(c, inviteCookie)
	h.clearCookie(c, freshCookie)
	if err := h.startSession(c, who); err != nil {
		return err
	}
	return seeOther(c, "/cases?done=password")
}
