package cases_test

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/model"
)

// invitationsSendPassword sets whether the firm's invitations carry a temporary password
// (settings.invite_sends_password; a new firm's do not).
func (f *caseFixture) invitationsSendPassword(on bool) {
	f.t.Helper()
	if _, err := f.db.NewUpdate().Model((*model.Settings)(nil)).Set("invite_sends_password = ?", on).Where("id = 1").Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

// credentialOf returns the portal credential of a contact.
func (f *caseFixture) credentialOf(contactID int64) model.ContactCredential {
	f.t.Helper()
	var cred model.ContactCredential
	if err := f.db.NewSelect().Model(&cred).Where("contact_id = ?", contactID).Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return cred
}

var (
	mailedLink     = regexp.MustCompile(`https://portal\.test/invite/([A-Za-z0-9_-]+)`)
	mailedPassword = regexp.MustCompile(`Temporary password: (\S+)`)
)

// mustContain fails unless text has every one of want.
func mustContain(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("the %s lacks %q:\n%s", what, w, text)
		}
	}
}

// rules EXT-4, EXT-9: where the firm's invitations carry the password, the mail names the
// firm, the sharer and the case, says to log in with the email address, and carries the
// single-use link and a temporary password that expires and is marked temporary; the text
// and the HTML part say the same.
func TestInvitationMailWithPassword(t *testing.T) {
	f := caseSetup(t)
	f.invitationsSendPassword(true)
	aino := f.contactID("aino.virtanen@acme.example")
	f.mustShare(f.employee("carl"), f.caseID("Acme strategy review"), true, cases.ShareContactInput{ContactID: aino})
	mails := f.shareMails("aino.virtanen@acme.example")
	if len(mails) != 1 {
		t.Fatalf("%d mails", len(mails))
	}
	m := mails[0]
	if m.Subject != "Caseroom: Carl Consulting-Lead shared “Acme strategy review” with you" {
		t.Errorf("subject %q", m.Subject)
	}
	mustContain(t, "text", m.BodyText, "Hello Aino,", "Carl Consulting-Lead of Caseroom has shared the case “Acme strategy review”",
		"You log in with your email address, aino.virtanen@acme.example.", "Accept the invitation: https://portal.test/invite/",
		"Portal: https://portal.test", "expires on 27 Nov 2026, 12:00 UTC and must be changed when you first log in")
	pw := mailedPassword.FindStringSubmatch(m.BodyText)
	link := mailedLink.FindStringSubmatch(m.BodyText)
	if pw == nil || link == nil {
		t.Fatalf("no password or link in:\n%s", m.BodyText)
	}
	mustContain(t, "HTML part", m.BodyHTML, `<html lang="en">`, "Hello Aino,", `href="https://portal.test/invite/`+link[1]+`"`,
		"Temporary password", pw[1], "aino.virtanen@acme.example")
	cred := f.credentialOf(aino)
	if err := auth.CheckPassword(cred.PasswordHash, pw[1]); err != nil {
		t.Fatalf("the mailed password is not the stored one: %v", err)
	}
	if !cred.PasswordTemporary || cred.PasswordExpiresAt == nil || !cred.PasswordExpiresAt.Equal(f.now.Add(72*time.Hour)) {
		t.Fatalf("credential %+v", cred)
	}
}

// rule EXT-4, decision of the firm: by default an invitation carries the single-use link
// only; the temporary password stored is never sent to anyone, and the link is the way in.
func TestInvitationMailLinkOnly(t *testing.T) {
	f := caseSetup(t)
	aino := f.contactID("aino.virtanen@acme.example")
	f.mustShare(f.employee("carl"), f.caseID("Acme strategy review"), true, cases.ShareContactInput{ContactID: aino})
	mails := f.shareMails("aino.virtanen@acme.example")
	if len(mails) != 1 {
		t.Fatalf("%d mails", len(mails))
	}
	m := mails[0]
	for _, part := range []string{m.BodyText, m.BodyHTML} {
		if strings.Contains(part, "Temporary password") || strings.Contains(part, "temporary password") {
			t.Fatalf("a link-only invitation mentions a temporary password:\n%s", part)
		}
	}
	mustContain(t, "text", m.BodyText, "You log in with your email address, aino.virtanen@acme.example.",
		"Choose your password with the link below. The link works once and expires on 27 Nov 2026, 12:00 UTC.")
	link := mailedLink.FindStringSubmatch(m.BodyText)
	if link == nil {
		t.Fatalf("no link in:\n%s", m.BodyText)
	}
	cred := f.credentialOf(aino)
	if !cred.PasswordTemporary || cred.InviteTokenHash == nil || *cred.InviteTokenHash != sha256Hex(link[1]) {
		t.Fatalf("credential %+v does not belong to the mailed link", cred)
	}
	// The stored password is none of the mail's words: nobody was told a password.
	for _, word := range strings.Fields(m.BodyText) {
		if len(word) >= 12 && !strings.Contains(word, "/") && auth.CheckPassword(cred.PasswordHash, word) == nil {
			t.Fatalf("the mail carries the stored password %q", word)
		}
	}
}

// The case name arrives as it was written: quotes in it stay plain quotes in the text, and
// are escaped in the HTML part, never Go-quoted.
func TestInvitationQuotesTheCasePlainly(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	if _, err := f.db.NewUpdate().Model((*model.Case)(nil)).Set("name = ?", `Acme "Phase 2" <b>now</b>`).Where("id = ?", acme).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.mustShare(f.employee("carl"), acme, true, cases.ShareContactInput{ContactID: f.contactID("aino.virtanen@acme.example")})
	m := f.shareMails("aino.virtanen@acme.example")[0]
	want := `“Acme "Phase 2" <b>now</b>”`
	if !strings.Contains(m.Subject, want) || !strings.Contains(m.BodyText, want) || strings.Contains(m.BodyText, `\"`) {
		t.Fatalf("subject %q, text:\n%s", m.Subject, m.BodyText)
	}
	if !strings.Contains(m.BodyHTML, `Acme &#34;Phase 2&#34; &lt;b&gt;now&lt;/b&gt;`) || strings.Contains(m.BodyHTML, "<b>now") {
		t.Fatalf("HTML part:\n%s", m.BodyHTML)
	}
}

// rule EXT-4: the invitation is in the contact's own language, and a contact with their own
// password is told about the new case in it too, with no way in but their password.
func TestInvitationInTheContactsLanguage(t *testing.T) {
	f := caseSetup(t)
	f.invitationsSendPassword(true)
	aino := f.contactID("aino.virtanen@acme.example")
	if _, err := f.db.NewUpdate().Model((*model.Contact)(nil)).Set("locale = 'fi'").Set("time_zone = 'Europe/Helsinki'").
		Where("id = ?", aino).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.mustShare(f.employee("carl"), f.caseID("Acme strategy review"), true, cases.ShareContactInput{ContactID: aino})
	first := f.shareMails("aino.virtanen@acme.example")[0]
	if first.Subject != "Caseroom: Carl Consulting-Lead jakoi kanssasi asian ”Acme strategy review”" {
		t.Errorf("subject %q", first.Subject)
	}
	mustContain(t, "text", first.BodyText, "Hei Aino,", "Kirjaudut sisään sähköpostiosoitteellasi aino.virtanen@acme.example.",
		"Hyväksy kutsu: https://portal.test/invite/", "Väliaikainen salasana: ", "vanhenee 27.11.2026 klo 14:00 EET")
	mustContain(t, "HTML part", first.BodyHTML, `<html lang="fi">`, "Hyväksy kutsu")

	if _, err := f.db.NewUpdate().Model((*model.ContactCredential)(nil)).Set("password_temporary = false").
		Where("contact_id = ?", aino).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	before := f.credentialOf(aino)
	migration := f.caseID("Acme platform migration")
	f.mustShare(f.employee("hana"), migration, true, cases.ShareContactInput{ContactID: aino})
	mails := f.shareMails("aino.virtanen@acme.example")
	if len(mails) != 2 {
		t.Fatalf("%d mails", len(mails))
	}
	told := mails[1]
	mustContain(t, "text", told.BodyText, "Hei Aino,", "”Acme platform migration”", "omalla salasanallasi",
		"Avaa asia: https://portal.test/cases/"+strconv.FormatInt(migration, 10))
	mustContain(t, "HTML part", told.BodyHTML, `<html lang="fi">`, "Avaa asia")
	if strings.Contains(told.BodyText, "/invite/") || strings.Contains(told.BodyText, "Väliaikainen") {
		t.Fatalf("a contact with their own password got a way in:\n%s", told.BodyText)
	}
	if after := f.credentialOf(aino); after.PasswordHash != before.PasswordHash || after.TokenVersion != before.TokenVersion {
		t.Fatal("telling about a new case changed the contact's login")
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
