package portal

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// prefsRoutes mounts the contact's preferences, the language switch and the unsubscribe
// links of mails. The switch and the links work without a session.
func (h *handler) prefsRoutes(app *fiber.App) {
	app.Get("/preferences", h.webSession, h.preferencesPage)
	app.Post("/preferences", h.webSession, readForm, h.csrf, h.preferencesForm)
	app.Post("/language", h.languageCaller, readForm, h.languageCSRF, h.languageForm)
	app.Get("/unsubscribe/:token", h.unsubscribePage)
	app.Post("/unsubscribe/:token", readForm, h.csrf, h.unsubscribeForm)
}

// zones are the time zones the preferences offer, besides the contact's own: the firm's
// customers are mostly in Europe, then North America and Asia.
var zones = []string{"UTC",
	"Europe/Helsinki", "Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Tallinn", "Europe/Riga",
	"Europe/Vilnius", "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris",
	"Europe/Brussels", "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Vienna", "Europe/Rome",
	"Europe/Prague", "Europe/Warsaw", "Europe/Budapest", "Europe/Bucharest", "Europe/Athens", "Europe/Istanbul",
	"Europe/Kyiv", "America/St_Johns", "America/Halifax", "America/New_York", "America/Toronto", "America/Chicago",
	"America/Mexico_City", "America/Denver", "America/Phoenix", "America/Los_Angeles", "America/Vancouver",
	"America/Anchorage", "Pacific/Honolulu", "America/Sao_Paulo", "Africa/Johannesburg", "Asia/Dubai",
	"Asia/Kolkata", "Asia/Bangkok", "Asia/Singapore", "Asia/Hong_Kong", "Asia/Shanghai", "Asia/Seoul",
	"Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland"}

// choice is one choice of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

// prefsView is what the preferences page shows: the choices, and which input an error is
// about ("locale", "zone").
type prefsView struct {
	Languages, Zones []choice
	PendingHours     bool
	NewFiles         bool
	ErrorAt          string
}

func (h *handler) prefsService() *crm.Service {
	return crm.New(domain.NewEnv(h.deps.DB, h.now).WithLog(h.log))
}

// viewOf lists the languages by their own names and the zones, the firm's defaults first.
func (h *handler) viewOf(c *fiber.Ctx, p *crm.Preferences) (*prefsView, error) {
	b, err := h.brand(c)
	if err != nil {
		return nil, err
	}
	l := h.locale(c)
	v := &prefsView{PendingHours: p.NotifyPendingHours, NewFiles: p.NotifyNewFiles,
		Languages: []choice{{Label: l.T("notify.prefs.default", "value", i18n.Choose(b.Locale, "", "", "").Name), Selected: p.Locale == ""}},
		Zones:     []choice{{Label: l.T("notify.prefs.default", "value", b.Zone), Selected: p.TimeZone == ""}}}
	for _, code := range i18n.Codes() {
		v.Languages = append(v.Languages, choice{Value: code, Label: i18n.Choose(code, "", "", "").Name, Selected: p.Locale == code})
	}
	list := zones
	if p.TimeZone != "" && i18n.ValidZone(p.TimeZone) && !slices.Contains(zones, p.TimeZone) {
		list = append([]string{p.TimeZone}, zones...)
	}
	for _, z := range list {
		v.Zones = append(v.Zones, choice{Value: z, Label: strings.ReplaceAll(z, "_", " "), Selected: p.TimeZone == z})
	}
	return v, nil
}

// preferencesPage shows the contact's language, time zone and opt-in mails.
func (h *handler) preferencesPage(c *fiber.Ctx) error {
	p, err := h.prefsService().Preferences(c.UserContext(), caller(c).Actor())
	if err != nil {
		return err
	}
	v, err := h.viewOf(c, p)
	if err != nil {
		return err
	}
	l := h.locale(c)
	d := &pageData{Title: l.T("notify.prefs.title"), Data: v}
	if c.Query("done") == "saved" {
		d.Flash = l.T("notify.prefs.saved")
	}
	return h.render(c, http.StatusOK, "preferences", d)
}

// preferencesForm saves the preferences; a language or zone the portal does not know shows
// the form again, as sent, with the error in words beside the input.
func (h *handler) preferencesForm(c *fiber.Ctx) error {
	sent := crm.Preferences{Locale: httpx.FormValue(c, "locale"), TimeZone: httpx.FormValue(c, "zone"),
		NotifyPendingHours: httpx.FormValue(c, "pending_hours") == "on", NotifyNewFiles: httpx.FormValue(c, "new_files") == "on"}
	_, err := h.prefsService().SetPreferences(c.UserContext(), caller(c).Actor(), crm.PreferencesInput{Locale: &sent.Locale,
		TimeZone: &sent.TimeZone, NotifyPendingHours: &sent.NotifyPendingHours, NotifyNewFiles: &sent.NotifyNewFiles})
	var bad *apperr.Error
	if apperr.CodeOf(err) != apperr.Invalid || !errors.As(err, &bad) {
		if err != nil {
			return err
		}
		return seeOther(c, "/preferences?done=saved")
	}
	l := h.locale(c)
	d := &pageData{Title: l.T("notify.prefs.title")}
	v, err := h.viewOf(c, &sent)
	if err != nil {
		return err
	}
	switch bad.Pointer {
	case crm.PointerLocale:
		v.ErrorAt, d.Error = "locale", l.T("notify.prefs.bad_language")
	case crm.PointerTimeZone:
		v.ErrorAt, d.Error = "zone", l.T("notify.prefs.bad_zone")
	default:
		d.Error = l.T("error.form")
	}
	d.Data = v
	return h.render(c, http.StatusBadRequest, "preferences", d)
}

// languageBindingsKey holds the CSRF bindings the language form of this browser may carry.
const languageBindingsKey = "language_bindings"

// languageCaller finds whom the language form is for: the contact of a live session, but
// not in an invitation session (nothing is saved for an invited contact), or nobody. It
// never turns anyone away. It notes the bindings the form's token may have: every page has
// the form, and each page binds its token as its own route does (a session page to the
// session, an invitation's /password to the invitation, /forgot, /reset, /invite,
// /unsubscribe and a page not found to nothing, whoever is logged in).
func (h *handler) languageCaller(c *fiber.Ctx) error {
	bindings := []string{""}
	invited := h.inviteContact(c)
	if invited != nil {
		bindings = append(bindings, bindingOf("invite", invited))
	}
	if who, err := h.cookieContact(c); err == nil {
		if invited == nil {
			c.Locals(contactKey, who)
		}
		bindings = append(bindings, bindingOf("session", who))
	}
	c.Locals(languageBindingsKey, bindings)
	return c.Next()
}

// languageCSRF checks the language form's token under the bindings of languageCaller: a
// token missing, forged, of another browser or of an ended session is refused as on any
// form. Taking a token of a page bound to nothing in a session weakens nothing that
// matters here: the token is still this browser's own, which no other site can read, and
// the form only switches the language.
func (h *handler) languageCSRF(c *fiber.Ctx) error {
	bindings, _ := c.Locals(languageBindingsKey).([]string)
	if err := h.checkCSRFUnder(c, httpx.FormValue(c, "csrf"), bindings...); err != nil {
		return err
	}
	return c.Next()
}

// langCookieLife is how long the language chosen before login is remembered.
const langCookieLife = 365 * 24 * time.Hour

// languageForm switches the language: saved as the contact's choice after login, and kept in
// a cookie for the pages before login. It returns to back, a page of the portal.
func (h *handler) languageForm(c *fiber.Ctx) error {
	back := httpx.FormValue(c, "back")
	if back == "" {
		back = "/"
	}
	if !portalPath(back) {
		return h.say(c, apperr.Invalid, "notify.lang.bad_back")
	}
	c.Locals(backKey, back)
	code := httpx.FormValue(c, "lang")
	if !i18n.Supported(code) {
		return h.say(c, apperr.Invalid, "notify.lang.bad")
	}
	if who, ok := c.Locals(contactKey).(*extranet.Contact); ok && !who.PasswordTemporary {
		if _, err := h.prefsService().SetPreferences(c.UserContext(), who.Actor(), crm.PreferencesInput{Locale: &code}); err != nil {
			return err
		}
	}
	// pages.go reads the cookie by its plain name, so it carries no __Host- prefix; it
	// holds a language code and nothing else.
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: code, Path: "/", Expires: h.now().Add(langCookieLife), HTTPOnly: true,
		Secure: h.deps.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
	return seeOther(c, back)
}

// portalPath reports whether back is a path of this portal: it starts with one slash, and
// names no scheme, host or anything a browser would read as one.
func portalPath(back string) bool {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\x00\r\n\t") || len(back) > 2000 {
		return false
	}
	u, err := url.Parse(back)
	return err == nil && u.Scheme == "" && u.Host == "" && u.User == nil
}

// unsubscribeView is what the unsubscribe page shows.
type unsubscribeView struct {
	Token   string
	Sub     *notify.Subscription
	Done    string // "stopped", "resumed" once the button was pressed
	Unknown bool
}

func (h *handler) unsubscribes() *notify.Service {
	return notify.NewService(domain.NewEnv(h.deps.DB, h.now).WithLog(h.log))
}

// unsubscribePage shows what the link stops, and a button that stops it. Opening the link
// stops nothing: mail scanners open links.
func (h *handler) unsubscribePage(c *fiber.Ctx) error {
	token := c.Params("token")
	sub, err := h.unsubscribes().Subscription(c.UserContext(), token)
	return h.unsubscribeResult(c, unsubscribeView{Token: token, Sub: sub}, err)
}

// unsubscribeForm stops the mails of the link, or (an employee's) starts them again.
func (h *handler) unsubscribeForm(c *fiber.Ctx) error {
	token, svc := c.Params("token"), h.unsubscribes()
	if httpx.FormValue(c, "resume") != "" {
		err := svc.Resume(c.UserContext(), token)
		return h.unsubscribeResult(c, unsubscribeView{Token: token, Done: "resumed"}, err)
	}
	sub, err := svc.Unsubscribe(c.UserContext(), token)
	return h.unsubscribeResult(c, unsubscribeView{Token: token, Sub: sub, Done: "stopped"}, err)
}

// unsubscribeResult renders the unsubscribe page; a link that stops nothing gets the page
// with the reason in words and 404.
func (h *handler) unsubscribeResult(c *fiber.Ctx, v unsubscribeView, err error) error {
	l := h.locale(c)
	d := &pageData{Title: l.T("notify.unsub.title"), Data: &v}
	status := http.StatusOK
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		v.Unknown, d.Error, status = true, l.T("notify.unsub.bad"), http.StatusNotFound
	case err != nil:
		return err
	}
	return h.render(c, status, "unsubscribe", d)
}
