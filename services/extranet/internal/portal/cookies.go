package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
)

// Cookie names. The session cookie holds the contact's JWT, the invite cookie an
// invitation session (path /password only), the CSRF cookie the browser's random secret.
const (
	sessionCookie = "caseroom_session"
	inviteCookie  = "caseroom_invite"
	csrfCookie    = "caseroom_csrf"
)

// setCookie sets an HttpOnly, SameSite=Lax cookie, Secure when the portal runs on HTTPS.
// Lax keeps the cookie off cross-site form posts; the CSRF token covers the rest.
func (h *handler) setCookie(c *fiber.Ctx, name, value, path string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: name, Value: value, Path: path, Expires: expires, HTTPOnly: true,
		Secure: h.deps.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
}

func (h *handler) clearCookie(c *fiber.Ctx, name, path string) {
	c.Cookie(&fiber.Cookie{Name: name, Value: "", Path: path, Expires: time.Unix(1, 0), MaxAge: -1, HTTPOnly: true,
		Secure: h.deps.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
}

func (h *handler) clearSession(c *fiber.Ctx) { h.clearCookie(c, sessionCookie, "/") }

// csrfToken returns the form token of this browser, setting its CSRF cookie first if it has
// none. The token is an HMAC of the cookie under a server key: a page of another site can
// neither read the cookie nor compute the token (signed double-submit).
func (h *handler) csrfToken(c *fiber.Ctx) string {
	secret := c.Cookies(csrfCookie)
	if len(secret) < 32 {
		secret = auth.RandomToken(32)
		h.setCookie(c, csrfCookie, secret, "/", time.Time{})
		c.Request().Header.SetCookie(csrfCookie, secret) // later reads in this request see it
	}
	return h.sign(secret)
}

func (h *handler) sign(secret string) string {
	m := hmac.New(sha256.New, h.csrfKey)
	m.Write([]byte(secret))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF refuses a form post whose token does not match the browser's CSRF cookie, or
// whose Origin is another site's.
func (h *handler) checkCSRF(c *fiber.Ctx, token string) error {
	if err := h.checkOrigin(c); err != nil {
		return err
	}
	secret := c.Cookies(csrfCookie)
	if len(secret) < 32 || token == "" || subtle.ConstantTimeCompare([]byte(h.sign(secret)), []byte(token)) != 1 {
		return apperr.E(apperr.Forbidden, "The form has expired or did not come from this portal. Reload the page and try again.")
	}
	return nil
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

// csrf is the middleware of every urlencoded form post. (The upload form is multipart and
// streamed; its handler checks the token itself.)
func (h *handler) csrf(c *fiber.Ctx) error {
	if err := h.checkCSRF(c, c.FormValue("csrf")); err != nil {
		return err
	}
	return c.Next()
}

// seeOther redirects after a successful post, so that reloading does not post again.
func seeOther(c *fiber.Ctx, to string) error {
	return c.Redirect(to, http.StatusSeeOther)
}
