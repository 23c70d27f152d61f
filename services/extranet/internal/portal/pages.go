package portal

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/notice"
	"github.com/caseroom/caseroom/pkg/work"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// backKey holds the page an error page links back to (the case a failed action was on).
const backKey = "back"

//go:embed web/templates/*.html web/static/*
var webFiles embed.FS

// pageData is what every page template gets; Data is the page's own content. L is the
// reader's language and time zone, Brand the firm's name, logo and accent. Path is the
// page's own address (relative), where the language switcher returns to.
type pageData struct {
	L       *i18n.Locale
	Brand   notice.Brand
	Title   string
	Contact *extranet.Contact // nil on the pages before login
	CSRF    string
	Flash   string
	Error   string
	Back    string
	Path    string
	Data    any
}

// Languages are the languages the switcher offers, each in its own words.
func (d *pageData) Languages() []i18n.Language { return i18n.Languages() }

var pageFuncs = template.FuncMap{
	"day":      day,
	"size":     sizeText,
	"hourName": hourName,
	"pick":     func(h work.Hour) string { return fmt.Sprintf("%d:%d", h.ID, h.Version) },
	"spot":     spot,
	"int64":    func(n int) int64 { return int64(n) },
	"dict":     dict,
}

// dict makes a map of name and value pairs, to hand a partial template several values.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		k, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
		}
		m[k] = pairs[i+1]
	}
	return m, nil
}

// day writes a stored date (model.Date, a string type) or a time the reader's way.
func day(l *i18n.Locale, v any) string {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return l.Date(rv.String())
	}
	return l.Date(v)
}

// shared are the template files parsed with every page: the base layout, and the parts that
// several pages show.
var shared = []string{"web/templates/base.html", "web/templates/parts.html"}

// parsePages parses each page together with the shared files. A template error is a bug
// found by the first test, so it panics.
func parsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	names, err := fs.Glob(webFiles, "web/templates/*.html")
	if err != nil {
		panic(err)
	}
	for _, name := range names {
		if slices.Contains(shared, name) {
			continue
		}
		base := strings.TrimSuffix(strings.TrimPrefix(name, "web/templates/"), ".html")
		pages[base] = template.Must(template.New(base).Funcs(pageFuncs).ParseFS(webFiles, append(slices.Clone(shared), name)...))
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
	if d.Path == "" && c.Method() == fiber.MethodGet {
		d.Path = c.OriginalURL()
	}
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

// errorPage renders an error as a page with its status, in the reader's words (pageWords,
// through toJSONAPI), never in the English detail of the API. An ended session goes back to
// the login page instead; the error of a form of a case page is shown in the case page where
// the form was (formErrorPage); an upload refused as too large before its session was even
// looked at goes back to its case page with the message.
func (h *handler) errorPage(c *fiber.Ctx, err error) error {
	je := h.toJSONAPI(c, err)
	if je.Status == http.StatusUnauthorized {
		h.clearSession(c)
		return c.Redirect("/login", http.StatusSeeOther)
	}
	if f, ok := c.Locals(formKey).(*formCtx); ok && inPage[je.Status] && h.formErrorPage(c, f, je.Status, err) {
		return nil
	}
	if id, ok := uploadCase(c); ok && je.Status == http.StatusRequestEntityTooLarge {
		return c.Redirect(fmt.Sprintf("/cases/%d?failed=too-large&at=upload-form#note", id), http.StatusSeeOther)
	}
	title, text := je.Objects[0].Title, je.Objects[0].Detail // pageWords, in the reader's language
	d := &pageData{Title: title, Data: errorView{Title: title, Text: text, Reference: httpx.RequestID(c)}}
	if who, ok := c.Locals(contactKey).(*extranet.Contact); ok {
		d.Contact = who
	}
	d.Back, _ = c.Locals(backKey).(string)
	return h.render(c, je.Status, "error", d)
}

// uploadCase returns the case of a post to the upload form of a case page.
func uploadCase(c *fiber.Ctx) (int64, bool) {
	raw, ok := strings.CutPrefix(c.Path(), "/cases/")
	if !ok || c.Method() != fiber.MethodPost {
		return 0, false
	}
	raw, ok = strings.CutSuffix(raw, "/files")
	id, err := strconv.ParseInt(raw, 10, 64)
	return id, ok && err == nil && id > 0
}

// errorView is the content of an error page: what happened and what to do, in words, and
// the request's reference for the firm's support.
type errorView struct {
	Title, Text, Reference string
}

// sizeText writes a byte count as people read it, with the reader's decimal sign.
func sizeText(l *i18n.Locale, n int64) string {
	switch {
	case n >= 1<<20:
		return l.T("size.mib", "n", l.Decimal(n*100/(1<<20)))
	case n >= 1<<10:
		return l.T("size.kib", "n", l.Decimal(n*100/(1<<10)))
	}
	return l.N("size.bytes", n)
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
	// BrandOf admits only #rrggbb. The text on the accent is white or black, whichever
	// contrasts more (WCAG AA whatever colour the firm chose).
	return c.SendString(":root { --accent: " + b.Accent + "; --on-accent: " + onAccent(b.Accent) + "; }\n")
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

// onAccent returns the text colour for a background of colour hex (#rrggbb): white when it
// contrasts at least as much as black (WCAG relative luminance), black otherwise.
func onAccent(hex string) string {
	if len(hex) != 7 {
		return "#fff"
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return "#fff"
	}
	lum := 0.0
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		c := float64((v>>(16-8*i))&0xff) / 255
		if c <= 0.04045 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		lum += w * c
	}
	if (1.05)/(lum+0.05) >= (lum+0.05)/0.05 {
		return "#fff"
	}
	return "#000"
}
