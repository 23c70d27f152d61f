package portal

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/notice"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// backKey holds the page an error page links back to (the case a failed action was on).
const backKey = "back"

//go:embed web/templates/*.html web/static/*
var webFiles embed.FS

// pageData is what every page template gets; Data is the page's own content. L is the
// reader's language and time zone, Brand the firm's name, logo and accent.
type pageData struct {
	L       *i18n.Locale
	Brand   notice.Brand
	Title   string
	Contact *extranet.Contact // nil on the pages before login
	CSRF    string
	Flash   string
	Error   string
	Back    string
	Data    any
}

var pageFuncs = template.FuncMap{
	"money": money,
	"hours": func(minutes int) string { return fmt.Sprintf("%.2f", float64(minutes)/60) },
	"size":  humanSize,
}

// parsePages parses each page together with the base layout. A template error is a bug
// found by the first test, so it panics.
func parsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	names, err := fs.Glob(webFiles, "web/templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "web/templates/"), ".html")
		if base == "base" {
			continue
		}
		pages[base] = template.Must(template.New(base).Funcs(pageFuncs).ParseFS(webFiles, "web/templates/base.html", name))
	}
	return pages
}

// render writes a page with the given status. html/template escapes every value by its
// context, so nothing a contact or an employee typed can become markup.
func (h *handler) render(c *fiber.Ctx, status int, page string, d *pageData) error {
	d.CSRF = h.csrfToken(c)
	if d.Contact == nil {
		d.Contact, _ = c.Locals(contactKey).(*extranet.Contact)
	}
	var err error
	if d.Brand, err = h.brand(c); err != nil {
		return err
	}
	d.L = h.locale(c)
	var buf bytes.Buffer
	if err := h.pages[page].ExecuteTemplate(&buf, "base", d); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(status).Send(buf.Bytes())
}

// brandKey and localeKey cache the brand and the locale of a request.
const (
	brandKey  = "brand"
	localeKey = "locale"
	// langCookie keeps the language chosen on a page before login.
	langCookie = "caseroom_lang"
)

// brand returns the firm's brand, read once a request so that a change in settings shows on
// every replica at the next page.
func (h *handler) brand(c *fiber.Ctx) (notice.Brand, error) {
	if b, ok := c.Locals(brandKey).(notice.Brand); ok {
		return b, nil
	}
	b, err := notice.LoadBrand(c.UserContext(), h.deps.DB)
	if err != nil {
		return notice.Brand{}, err
	}
	c.Locals(brandKey, b)
	return b, nil
}

// locale returns the reader's language and time zone: the contact's own choice, else the
// language chosen before login, else the browser's Accept-Language, else the firm's.
func (h *handler) locale(c *fiber.Ctx) *i18n.Locale {
	if l, ok := c.Locals(localeKey).(*i18n.Locale); ok {
		return l
	}
	b, _ := h.brand(c) // a failure shows in render; the defaults serve meanwhile
	pref, zone := c.Cookies(langCookie), b.Zone
	if who, ok := c.Locals(contactKey).(*extranet.Contact); ok {
		if who.Locale != "" {
			pref = who.Locale
		}
		if who.TimeZone != "" {
			zone = who.TimeZone
		}
	}
	l := i18n.Choose(pref, c.Get(fiber.HeaderAcceptLanguage), b.Locale, zone)
	c.Locals(localeKey, l)
	return l
}

// errorPage renders an error as a page with its status and caller-safe text. An ended
// session goes back to the login page instead.
func (h *handler) errorPage(c *fiber.Ctx, err error) error {
	je := h.toJSONAPI(c, err)
	if je.Status == http.StatusUnauthorized {
		h.clearSession(c)
		return c.Redirect("/login", http.StatusSeeOther)
	}
	detail := je.Objects[0].Detail
	if detail == "" {
		detail = je.Objects[0].Title
	}
	d := &pageData{Title: je.Objects[0].Title, Error: detail, Data: je.Objects[0].Title}
	if who, ok := c.Locals(contactKey).(*extranet.Contact); ok {
		d.Contact = who
	}
	d.Back, _ = c.Locals(backKey).(string)
	return h.render(c, je.Status, "error", d)
}

// money formats minor units: 4500000 EUR is "45,000.00 EUR".
func money(minor int64, currency string) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	whole := fmt.Sprint(minor / 100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(fmt.Sprintf("%s%s.%02d %s", sign, b.String(), minor%100, currency))
}

// humanSize writes a byte count as people read it.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// brandStyle serves the firm's accent as a style sheet, so that pages keep a CSP without
// inline styles.
func (h *handler) brandStyle(c *fiber.Ctx) error {
	b, err := h.brand(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.SendString(":root { --accent: " + b.Accent + "; }\n") // BrandOf admits only #rrggbb
}

// staticFile serves the embedded style sheet.
func staticFile(c *fiber.Ctx) error {
	b, err := webFiles.ReadFile("web/static/portal.css")
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(b)
}
