// Package notice writes the mails people get from Caseroom: in the recipient's language,
// under the firm's brand, with a plain-text part that reads on its own and an HTML part
// that says the same.
package notice

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/outbox"
)

// Brand is how the firm shows itself on portal pages and in mails.
type Brand struct {
	Name    string // the organisation's name
	LogoURL string // an https address of the logo, or empty
	Accent  string // "#rrggbb"
	// Locale and Zone are the firm's defaults for people who chose none.
	Locale string
	Zone   string
	// SendsPassword says whether invitations carry a temporary password next to the link.
	SendsPassword bool
}

// DefaultAccent is the accent of a firm that chose none.
const DefaultAccent = "#1f3a5f"

var accentPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// ValidAccent reports whether s is a colour the portal accepts: "#rrggbb".
func ValidAccent(s string) bool { return accentPattern.MatchString(s) }

// BrandOf returns the brand of the firm's settings.
func BrandOf(s *model.Settings) Brand {
	b := Brand{Name: s.OrganizationName, LogoURL: s.BrandLogoURL, Accent: s.BrandAccent, Locale: s.Locale,
		Zone: s.TimeZone, SendsPassword: s.InviteSendsPassword}
	if !ValidAccent(b.Accent) {
		b.Accent = DefaultAccent
	}
	return b
}

// LoadBrand reads the firm's brand.
func LoadBrand(ctx context.Context, db bun.IDB) (Brand, error) {
	s, err := access.LoadSettings(ctx, db)
	if err != nil {
		return Brand{}, apperr.Wrap(err, "load the firm's brand")
	}
	return BrandOf(s), nil
}

// LocaleOf returns the locale of a contact under brand b.
func (b Brand) LocaleOf(ct *model.Contact) *i18n.Locale {
	zone := ct.TimeZone
	if zone == "" {
		zone = b.Zone
	}
	return i18n.Choose(ct.Locale, "", b.Locale, zone)
}

// Link is a button in a mail, written out as the address in the text part.
type Link struct {
	Label string
	URL   string
}

// Mail is a mail before it is written in both parts. Every text is already in the
// recipient's language.
type Mail struct {
	To       string
	Subject  string
	Greeting string   // "Hello Anna,"
	Lines    []string // paragraphs
	Action   *Link    // the one thing to do, if any
	Facts    [][2]string
	// Items is a list (a digest's news), each one line.
	Items []string
	// After are paragraphs below the action.
	After []string
	// Unsubscribe is the address that stops this kind of mail, where the mail is optional.
	Unsubscribe string
}

// Message writes m in plain text and HTML, with the brand's name, logo and accent. A subject
// is one line: line breaks and other control characters in the names it quotes become
// spaces, so that a case named with a line break still gets its mail.
func (m Mail) Message(l *i18n.Locale, b Brand) (outbox.Message, error) {
	m.Subject = oneLine(m.Subject)
	var text strings.Builder
	text.WriteString(m.Greeting + "\n\n")
	for _, p := range m.Lines {
		text.WriteString(p + "\n\n")
	}
	for _, it := range m.Items {
		text.WriteString("- " + it + "\n")
	}
	if len(m.Items) > 0 {
		text.WriteString("\n")
	}
	if m.Action != nil {
		text.WriteString(m.Action.Label + ": " + m.Action.URL + "\n\n")
	}
	for _, f := range m.Facts {
		text.WriteString(f[0] + ": " + f[1] + "\n")
	}
	if len(m.Facts) > 0 {
		text.WriteString("\n")
	}
	for _, p := range m.After {
		text.WriteString(p + "\n\n")
	}
	text.WriteString("-- \n" + b.Name + "\n")
	if m.Unsubscribe != "" {
		text.WriteString(l.T("mail.unsubscribe") + ": " + m.Unsubscribe + "\n")
	}
	var html bytes.Buffer
	if err := page.Execute(&html, struct {
		Mail
		Brand Brand
		Lang  string
		Stop  string
	}{m, b, l.Code, l.T("mail.unsubscribe")}); err != nil {
		return outbox.Message{}, fmt.Errorf("write the mail %q: %w", m.Subject, err)
	}
	return outbox.Message{To: m.To, Subject: m.Subject, Text: text.String(), HTML: html.String()}, nil
}

// oneLine replaces control characters with spaces and trims the ends.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s))
}

// page is the HTML part. html/template escapes every value, so a case name cannot become
// markup; addresses are only those Caseroom writes (the portal's own) or the firm's logo.
var page = template.Must(template.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:0;background:#f6f7f9;font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1d232a">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border:1px solid #dde1e6;border-radius:6px">
<tr><td style="background:{{.Brand.Accent}};color:#ffffff;padding:16px 24px;font-weight:600;font-size:18px">
{{if .Brand.LogoURL}}<img src="{{.Brand.LogoURL}}" alt="{{.Brand.Name}}" height="32" style="vertical-align:middle;border:0">{{else}}{{.Brand.Name}}{{end}}</td></tr>
<tr><td style="padding:24px;line-height:1.5;font-size:15px">
<p>{{.Greeting}}</p>
{{range .Lines}}<p>{{.}}</p>{{end}}
{{if .Items}}<ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{with .Action}}<p style="margin:24px 0"><a href="{{.URL}}" style="background:{{$.Brand.Accent}};color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;display:inline-block">{{.Label}}</a></p>{{end}}
{{if .Facts}}<table role="presentation" cellpadding="4" cellspacing="0">{{range .Facts}}<tr><td style="color:#5f6b78">{{index . 0}}</td><td><strong>{{index . 1}}</strong></td></tr>{{end}}</table>{{end}}
{{range .After}}<p>{{.}}</p>{{end}}
</td></tr>
<tr><td style="padding:12px 24px;border-top:1px solid #eceff2;color:#5f6b78;font-size:13px">{{.Brand.Name}}{{if .Unsubscribe}} · <a href="{{.Unsubscribe}}" style="color:#5f6b78">{{.Stop}}</a>{{end}}</td></tr>
</table></td></tr></table>
</body></html>
`))

// Send writes m and queues it in the outbox within tx, so that it is sent exactly when
// tx commits.
func Send(ctx context.Context, tx bun.IDB, m Mail, l *i18n.Locale, b Brand, now time.Time) error {
	msg, err := m.Message(l, b)
	if err != nil {
		return err
	}
	if _, err := outbox.Enqueue(ctx, tx, msg, now); err != nil {
		return apperr.Wrap(err, "queue a mail to "+m.To)
	}
	return nil
}
