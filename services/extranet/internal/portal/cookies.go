package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// Cookie names. The session cookie holds the contact's JWT, the invite cookie an
// invitation session (good only for /password), the CSRF cookie the browser's random
// secret. On HTTPS every name carries the __Host- prefix, so that the browser keeps them
// Secure, host-only and on path /, out of reach of a sibling subdomain.
const (
	sessionCookie = "caseroom_session"
	inviteCookie  = "caseroom_invite"
	freshCookie   = "caseroom_fresh_login"
	csrfCookie    = "caseroom_csrf"
)

// csrfBindingKey holds what the CSRF token of a request is bound to: the session of the
// contact (or invitation) it serves, empty before login.
const csrfBindingKey = "csrf_binding"

// cookieName is name as the browser stores it.
func (h *handler) cookieName(name string) string {
	if h.deps.CookieSecure {
		return "__Host-" + name
	}
	return name
}

// cookie returns the value of one of the portal's cookies.
func (h *handler) cookie(c *fiber.Ctx, name string) string { return c.Cookies(h.cookieName(name)) }

// setCookie sets an HttpOnly, SameSite=Lax cookie on path /, Secure when the portal runs on
// HTTPS. Lax keeps the cookie off cross-site form posts; the CSRF token covers the rest.
func (h *handler) setCookie(c *fiber.Ctx, name, value string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: h.cookieName(name), Value: value, Path: "/", Expires: expires, HTTPOnly: true,
		Secure: h.deps.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
}

func (h *handler) clearCookie(c *fiber.Ctx, name string) {
	c.Cookie(&fiber.Cookie{Name: h.cookieName(name), Value: "", Path: "/", Expires: time.Unix(1, 0), MaxAge: -1, HTTPOnly: true,
		Secure: h.deps.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
}

func (h *handler) clearSession(c *fiber.Ctx) { h.clearCookie(c, sessionCookie) }

// bindCSRF ties the forms of this request to the session of who: a token taken from a page
// of one session is refused in another (after a logout, or in another contact's session).
func bindCSRF(c *fiber.Ctx, kind string, who *extranet.Contact) {
	c.Locals(csrfBindingKey, bindingOf(kind, who))
}

// bindingOf names the session of kind ("session", "invite") of who, for the CSRF token.
func bindingOf(kind string, who *extranet.Contact) string {
	return fmt.Sprintf("%s:%d:%d", kind, who.ID, who.TokenVersion)
}

// csrfToken returns the form token of this browser and session, setting the CSRF cookie
// first if the browser has none. The token is an HMAC, under a server key, of the cookie
// and the session: a page of another site can neither read the cookie nor compute the
// token (signed double-submit), and a token outlives neither the cookie nor the session.
func (h *handler) csrfToken(c *fiber.Ctx) string {
	secret := h.cookie(c, csrfCookie)
	if len(secret) < 32 {
		secret = auth.RandomToken(32)
		h.setCookie(c, csrfCookie, secret, time.Time{})
		c.Request().Header.SetCookie(h.cookieName(csrfCookie), secret) // later reads in this request see it
	}
	return h.sign(c, secret)
}

func (h *handler) sign(c *fiber.Ctx, secret string) string {
	binding, _ := c.Locals(csrfBindingKey).(string)
	return h.signFor(secret, binding)
}

// signFor returns the token of the browser's secret under binding.
func (h *handler) signFor(secret, binding string) string {
	m := hmac.New(sha256.New, h.csrfKey)
	m.Write([]byte(secret))
	m.Write([]byte{0})
	m.Write([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses a form post whose token does not match the browser's CSRF cookie and
// session, or whose Origin is another site's.
func (h *handler) checkCSRF(c *fiber.Ctx, token string) error {
	binding, _ := c.Locals(csrfBindingKey).(string)
	return h.checkCSRFUnder(c, token, binding)
}

// checkCSRFUnder is checkCSRF for a form that any of bindings may have issued: the token
// must still be this browser's, signed by the server, under one of them.
func (h *handler) checkCSRFUnder(c *fiber.Ctx, token string, bindings ...string) error {
	if err := h.checkOrigin(c); err != nil {
		return err
	}
	secret := h.cookie(c, csrfCookie)
	if len(secret) >= 32 && token != "" {
		for _, b := range bindings {
			if subtle.ConstantTimeCompare([]byte(h.signFor(secret, b)), []byte(token)) == 1 {
				return nil
			}
		}
	}
	return apperr.E(apperr.Forbidden, "The form has expired or did not come from this portal. Reload the page and try again.")
}

// checkOrigin refuses a post that the browser says came from another site: by
// Sec-Fetch-Site (sent by current browsers), or else by an Origin other than the portal's.
// Origin "null" says nothing (browsers send it for same-origin posts under the
// no-referrer policy), and older browsers send neither; the CSRF token decides then.
func (h *handler) checkOrigin(c *fiber.Ctx) error {
	if site := c.Get("Sec-Fetch-Site"); site != "" {
		if site == "same-origin" || site == "none" {
			return nil
		}
		return apperr.E(apperr.Forbidden, "This form was posted from another site.")
	}
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" || origin == "null" || origin == c.BaseURL() || origin == originOf(h.deps.PortalURL) {
		return nil
	}
	return apperr.E(apperr.Forbidden, "This form was posted from another site.")
}

func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + u.Host
}

// csrf is the middleware of every urlencoded form post, after the session is known and the
// body read. The token comes from the body only, never from the URL. (The upload form is
// multipart and streamed; its handler checks the token itself.)
func (h *handler) csrf(c *fiber.Ctx) error {
	if err := h.checkCSRF(c, httpx.FormValue(c, "csrf")); err != nil {
		return err
	}
	return c.Next()
}

// seeOther redirects after a successful post, so that reloading does not post again.
func seeOther(c *fiber.Ctx, to string) error {
	return c.Redirect(to, http.StatusSeeOther)
}
