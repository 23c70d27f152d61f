package notice

import (
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/model"
)

// A mail has a plain-text part that reads on its own and an HTML part with the same words,
// escaped: a case name with quotes and markup arrives as written, never as markup.
func TestMessageHasBothParts(t *testing.T) {
	b := BrandOf(&model.Settings{OrganizationName: "Acme & Co", BrandAccent: "#aa3300", Locale: "fi"})
	m := Mail{To: "anna@example.org", Subject: `Acme "Phase 2"`, Greeting: "Hello Anna,",
		Lines:  []string{`Bob shared Acme "Phase 2" <b>now</b> with you.`},
		Action: &Link{Label: "Open the portal", URL: "https://portal.example.org/invite/abc"},
		Facts:  [][2]string{{"Log in with", "anna@example.org"}}, Unsubscribe: "https://portal.example.org/unsubscribe/t"}
	msg, err := m.Message(i18n.Choose("en", "", "", ""), b)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`Bob shared Acme "Phase 2" <b>now</b> with you.`, "Open the portal: https://portal.example.org/invite/abc",
		"Log in with: anna@example.org", "Acme & Co", "Stop these mails: https://portal.example.org/unsubscribe/t"} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, msg.Text)
		}
	}
	for _, want := range []string{`Acme &#34;Phase 2&#34; &lt;b&gt;now&lt;/b&gt;`, `href="https://portal.example.org/invite/abc"`,
		"background:#aa3300", "Acme &amp; Co", `lang="en"`, ">Stop these mails</a>"} {
		if !strings.Contains(msg.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, msg.HTML)
		}
	}
	if strings.Contains(msg.HTML, "<b>now") {
		t.Error("the HTML part let markup of a name through")
	}
}

func TestBrandFallsBackToDefaultAccent(t *testing.T) {
	if got := BrandOf(&model.Settings{BrandAccent: "red;}"}).Accent; got != DefaultAccent {
		t.Errorf("accent = %q, want the default", got)
	}
	ct := &model.Contact{TimeZone: ""}
	if l := BrandOf(&model.Settings{Locale: "fi", TimeZone: "Europe/Helsinki"}).LocaleOf(ct); l.Code != "fi" || l.Zone.String() != "Europe/Helsinki" {
		t.Errorf("a contact without choices gets %s %s, want the firm's fi Europe/Helsinki", l.Code, l.Zone)
	}
}

// A name with a line break in it makes a subject of one line, not a mail that fails.
func TestSubjectIsOneLine(t *testing.T) {
	msg, err := Mail{To: "anna@example.org", Subject: "Acme\r\nBcc: evil@example.org\tPhase 2", Greeting: "Hello,"}.
		Message(i18n.Choose("en", "", "", ""), BrandOf(&model.Settings{OrganizationName: "Acme"}))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Subject != "Acme  Bcc: evil@example.org Phase 2" {
		t.Fatalf("subject %q", msg.Subject)
	}
	if err := msg.Validate(); err != nil {
		t.Fatalf("the outbox refuses the mail: %v", err)
	}
}
