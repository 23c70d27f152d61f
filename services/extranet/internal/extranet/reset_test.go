package extranet_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

var resetLink = regexp.MustCompile(`https://portal\.test/reset/([A-Za-z0-9_-]+)`)

// mustRequest asks for a password link and fails the test on any error.
func (f *fixture) mustRequest(email, from string) {
	f.t.Helper()
	if err := f.svc.RequestReset(f.ctx, email, from); err != nil {
		f.t.Fatalf("request a link for %s: %v", email, err)
	}
}

// lastLink returns the token of the last password link mailed to email.
func (f *fixture) lastLink(email string) string {
	f.t.Helper()
	mails := f.mails(email)
	if len(mails) == 0 {
		f.t.Fatalf("no mail to %s", email)
	}
	m := resetLink.FindStringSubmatch(mails[len(mails)-1].BodyText)
	if m == nil {
		f.t.Fatalf("no password link in:\n%s", mails[len(mails)-1].BodyText)
	}
	return m[1]
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v", err, want)
	}
}

// Asking for a password link answers the same for every address, and mails only a contact
// who may log in: an active contact with a login that is not disabled and a live share.
func TestRequestResetIsNeutral(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.credential(aino, password, false)
	f.credential(sven, password, false) // nothing shared with him
	for _, tc := range []struct{ name, email string }{
		{"an unknown address", "nobody@acme.example"},
		{"a contact without a login", mikko},
		{"a contact with nothing shared", sven},
		{"an address longer than any", strings.Repeat("a", 300) + "@acme.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := f.svc.RequestReset(f.ctx, tc.email, ip); err != nil {
				t.Fatalf("answer %v, want the neutral nil", err)
			}
			if n := len(f.mails(tc.email)); n != 0 {
				t.Fatalf("%d mails", n)
			}
		})
	}
	t.Run("a blank address is refused in words", func(t *testing.T) {
		wantErr(t, f.svc.RequestReset(f.ctx, "  ", ip), extranet.ErrEmailRequired)
	})
	t.Run("a disabled login or an inactive contact gets no mail", func(t *testing.T) {
		f.set("contact_credentials", "disabled = TRUE", "contact_id = ?", f.contactID(aino))
		f.mustRequest(aino, ip)
		f.set("contact_credentials", "disabled = FALSE", "contact_id = ?", f.contactID(aino))
		f.set("contacts", "active = FALSE", "id = ?", f.contactID(aino))
		f.mustRequest(aino, "192.0.2.11")
		f.set("contacts", "active = TRUE", "id = ?", f.contactID(aino))
		if n := len(f.mails(aino)); n != 0 {
			t.Fatalf("%d mails", n)
		}
		if cr := f.cred(aino); cr.ResetTokenHash != nil {
			t.Fatal("a link was stored")
		}
	})
	t.Run("a contact who may log in gets one link, stored as its hash, for 30 minutes", func(t *testing.T) {
		f.mustRequest("  AINO.Virtanen@acme.example ", "192.0.2.12")
		token := f.lastLink(aino)
		cr := f.cred(aino)
		if cr.ResetTokenHash == nil || *cr.ResetTokenHash != extranet.InviteHash(token) || strings.Contains(*cr.ResetTokenHash, token) {
			t.Fatalf("stored %v for the mailed link", cr.ResetTokenHash)
		}
		if cr.ResetExpiresAt == nil || !cr.ResetExpiresAt.Equal(f.clock.Now().Add(30*time.Minute)) {
			t.Fatalf("expires %v", cr.ResetExpiresAt)
		}
		m := f.mails(aino)[0]
		for _, want := range []string{"Hello Aino,", "Choose a new password: https://portal.test/reset/" + token,
			"expires on 24 Nov 2026, 09:30 UTC", "ignore this mail"} {
			if !strings.Contains(m.BodyText, want) {
				t.Errorf("the mail lacks %q:\n%s", want, m.BodyText)
			}
		}
		if !strings.Contains(m.BodyHTML, `href="https://portal.test/reset/`+token+`"`) {
			t.Errorf("the HTML part lacks the link:\n%s", m.BodyHTML)
		}
	})
}

// Every answer takes the same time: the known address, whose link costs a transaction, and
// the unknown one, the contact with nothing shared and a request over the limits each wait
// out ResetAnswerTime from when the request came (the test's clock stands still, so the
// whole of it).
func TestRequestResetTakesTheSameTime(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.credential(aino, password, false)
	f.credential(sven, password, false)
	f.mustRequest("nobody@acme.example", ip)
	f.mustRequest(aino, ip)
	f.mustRequest(sven, ip)
	for range extranet.ResetPerAddress.Max + 1 { // the last is over the limit
		f.mustRequest(mikko, "192.0.2.99")
	}
	if n := len(f.mails(aino)); n != 1 {
		t.Fatalf("%d mails to the known address, want 1", n)
	}
	want := 3 + extranet.ResetPerAddress.Max + 1
	if len(f.slept) != want {
		t.Fatalf("waited %d times, want %d: %v", len(f.slept), want, f.slept)
	}
	for i, d := range f.slept {
		if d != extranet.ResetAnswerTime {
			t.Errorf("answer %d waited %v, want %v", i+1, d, extranet.ResetAnswerTime)
		}
	}
	f.slept = nil
	wantErr(t, f.svc.RequestReset(f.ctx, " ", ip), extranet.ErrEmailRequired)
	if len(f.slept) != 0 {
		t.Fatalf("a blank address, refused on the form, waited %v", f.slept)
	}
}

// A password link works once, within 30 minutes, and the newest one only; using it sets a
// permanent password and ends every earlier session (EXT-9).
func TestResetPassword(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.credential(aino, password, false)
	id := f.contactID(aino)
	old, err := f.svc.Login(f.ctx, aino, password, ip)
	if err != nil {
		t.Fatal(err)
	}
	f.mustRequest(aino, ip)
	token := f.lastLink(aino)

	t.Run("opening the link does not spend it", func(t *testing.T) {
		for range 2 {
			who, err := f.svc.CheckReset(f.ctx, token)
			if err != nil || who.ID != id {
				t.Fatalf("check: %v, %+v", err, who)
			}
		}
	})
	t.Run("a weak password leaves the link unspent", func(t *testing.T) {
		_, err := f.svc.ResetPassword(f.ctx, token, "short")
		wantErr(t, err, extranet.ErrPasswordTooShort)
		if _, err := f.svc.CheckReset(f.ctx, token); err != nil {
			t.Fatalf("the link is spent: %v", err)
		}
	})
	const fresh = "a-brand-new-password"
	who, err := f.svc.ResetPassword(f.ctx, token, fresh)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("rule EXT-9: every earlier session ends, the new one lives", func(t *testing.T) {
		_, err := f.svc.Authenticate(f.ctx, id, old.TokenVersion)
		wantErr(t, err, extranet.ErrSessionEnded)
		if _, err := f.svc.Authenticate(f.ctx, id, who.TokenVersion); err != nil || who.PasswordTemporary {
			t.Fatalf("new session: %v, temporary %v", err, who.PasswordTemporary)
		}
	})
	t.Run("the new password logs in, the old one does not", func(t *testing.T) {
		if _, err := f.svc.Login(f.ctx, aino, fresh, ip); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Login(f.ctx, aino, password, ip)
		wantErr(t, err, extranet.ErrBadLogin)
	})
	t.Run("the link works once", func(t *testing.T) {
		_, err := f.svc.ResetPassword(f.ctx, token, "yet-another-password")
		wantErr(t, err, extranet.ErrResetInvalid)
		_, err = f.svc.CheckReset(f.ctx, token)
		wantErr(t, err, extranet.ErrResetInvalid)
	})
	t.Run("a garbage link is invalid", func(t *testing.T) {
		for _, bad := range []string{"", "nope", strings.Repeat("x", 500)} {
			_, err := f.svc.CheckReset(f.ctx, bad)
			wantErr(t, err, extranet.ErrResetInvalid)
		}
	})
	t.Run("a link expires after 30 minutes", func(t *testing.T) {
		f.clock.Add(2 * time.Hour) // out of the address's window of requests
		f.mustRequest(aino, ip)
		token := f.lastLink(aino)
		f.clock.Add(30*time.Minute - time.Second)
		if _, err := f.svc.CheckReset(f.ctx, token); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		f.clock.Add(time.Second)
		_, err := f.svc.ResetPassword(f.ctx, token, "yet-another-password")
		wantErr(t, err, extranet.ErrResetInvalid)
	})
	t.Run("a newer link replaces the older", func(t *testing.T) {
		f.mustRequest(aino, ip)
		older := f.lastLink(aino)
		f.mustRequest(aino, ip)
		newer := f.lastLink(aino)
		_, err := f.svc.CheckReset(f.ctx, older)
		wantErr(t, err, extranet.ErrResetInvalid)
		if _, err := f.svc.CheckReset(f.ctx, newer); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a password change voids a pending link", func(t *testing.T) {
		f.clock.Add(2 * time.Hour)
		f.mustRequest(aino, ip)
		token := f.lastLink(aino)
		who, err := f.svc.Login(f.ctx, aino, fresh, ip)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.ChangePassword(f.ctx, who, fresh, "changed-in-the-session"); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.CheckReset(f.ctx, token)
		wantErr(t, err, extranet.ErrResetInvalid)
	})
}

// A link stops working when its contact may no longer log in: disabled, deactivated, or with
// nothing shared any more.
func TestResetLinkOfAContactWhoLostAccess(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.credential(aino, password, false)
	id := f.contactID(aino)
	f.mustRequest(aino, ip)
	token := f.lastLink(aino)
	f.set("contact_credentials", "disabled = TRUE", "contact_id = ?", id)
	_, err := f.svc.ResetPassword(f.ctx, token, "a-brand-new-password")
	wantErr(t, err, extranet.ErrResetInvalid)
	f.set("contact_credentials", "disabled = FALSE", "contact_id = ?", id)
	if _, err := f.db.NewUpdate().Table("share_contacts").Set("expires_at = ?", f.clock.Now().Add(-time.Minute)).
		Where("contact_id = ?", id).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.ResetPassword(f.ctx, token, "a-brand-new-password")
	wantErr(t, err, extranet.ErrNothingShared)
	if cr := f.cred(aino); cr.TokenVersion != 1 {
		t.Fatalf("token version %d: the refused link changed the login", cr.TokenVersion)
	}
}

// rule EXT-9: a contact still on the temporary password of the invitation, expired or not,
// may choose a password through a link too.
func TestResetFromATemporaryPassword(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.credential(aino, "Temp0rary-pw-1", true)
	f.clock.Add(73 * time.Hour) // the temporary password has expired
	_, err := f.svc.Login(f.ctx, aino, "Temp0rary-pw-1", ip)
	wantErr(t, err, extranet.ErrTemporaryExpired)
	f.mustRequest(aino, ip)
	who, err := f.svc.ResetPassword(f.ctx, f.lastLink(aino), "a-brand-new-password")
	if err != nil || who.PasswordTemporary {
		t.Fatalf("reset: %v, %+v", err, who)
	}
	if cr := f.cred(aino); cr.PasswordTemporary || cr.PasswordExpiresAt != nil || cr.InviteTokenHash != nil {
		t.Fatalf("credential %+v", cr)
	}
	if _, err := f.svc.Login(f.ctx, aino, "a-brand-new-password", ip); err != nil {
		t.Fatal(err)
	}
}

// A reset ends the lockout of the address: the person has shown who they are.
func TestResetClearsTheLockout(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.credential(aino, password, false)
	for i := 0; i < extranet.LoginPerAccount.Max; i++ {
		_, err := f.svc.Login(f.ctx, aino, "wrong-password", ip)
		wantErr(t, err, extranet.ErrBadLogin)
	}
	_, err := f.svc.Login(f.ctx, aino, password, ip)
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.RateLimited || ae.Detail != "Too many attempts. Try again in 15 minutes." {
		t.Fatalf("locked out: %v", err)
	}
	f.mustRequest(aino, ip)
	if _, err := f.svc.ResetPassword(f.ctx, f.lastLink(aino), "a-brand-new-password"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Login(f.ctx, aino, "a-brand-new-password", ip); err != nil {
		t.Fatalf("after the reset: %v", err)
	}
}

// Requests for links are limited per address and per client; over a limit the answer stays
// the same and nothing is sent.
func TestResetRequestLimits(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.credential(aino, password, false)
	t.Run("per address", func(t *testing.T) {
		for i := 0; i < extranet.ResetPerAddress.Max+2; i++ {
			f.mustRequest(aino, fmt.Sprintf("192.0.2.%d", 100+i)) // each from another client
		}
		if n := len(f.mails(aino)); n != extranet.ResetPerAddress.Max {
			t.Fatalf("%d mails, want %d", n, extranet.ResetPerAddress.Max)
		}
		f.clock.Add(extranet.ResetPerAddress.Window)
		f.mustRequest(aino, "192.0.2.99")
		if n := len(f.mails(aino)); n != extranet.ResetPerAddress.Max+1 {
			t.Fatalf("after the window: %d mails", n)
		}
	})
	t.Run("per client", func(t *testing.T) {
		f.clock.Add(extranet.ResetPerAddress.Window)
		before := len(f.mails(aino))
		for i := 0; i < extranet.ResetPerIP.Max; i++ {
			f.mustRequest(fmt.Sprintf("probe%d@acme.example", i), "198.51.100.7")
		}
		f.mustRequest(aino, "198.51.100.7")
		if n := len(f.mails(aino)); n != before {
			t.Fatalf("a client over its limit got a link sent")
		}
		f.mustRequest(aino, "198.51.100.8")
		if n := len(f.mails(aino)); n != before+1 {
			t.Fatalf("another client: %d mails, want %d", n, before+1)
		}
	})
}

// The link comes in the contact's language and time zone, else the firm's.
func TestResetMailLanguage(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.share(pricing, sven)
	f.credential(aino, password, false)
	f.credential(sven, password, false)
	f.set("contacts", "locale = 'fi'", "id = ?", f.contactID(aino))
	f.set("contacts", "time_zone = 'Europe/Helsinki'", "id = ?", f.contactID(aino))
	f.set("settings", "locale = 'fi'", "id = 1")
	f.set("contacts", "locale = 'en'", "id = ?", f.contactID(sven))
	f.mustRequest(aino, ip)
	f.mustRequest(sven, ip)
	fi, en := f.mails(aino)[0], f.mails(sven)[0]
	for _, want := range []string{"Hei Aino,", "Valitse uusi salasana: https://portal.test/reset/", "vanhenee 24.11.2026 klo 11:30 EET",
		"jättää viestin huomiotta"} {
		if !strings.Contains(fi.BodyText, want) {
			t.Errorf("the Finnish mail lacks %q:\n%s", want, fi.BodyText)
		}
	}
	if !strings.Contains(fi.BodyHTML, `<html lang="fi">`) || !strings.Contains(fi.Subject, "valitse uusi portaalin salasana") {
		t.Errorf("subject %q, HTML:\n%s", fi.Subject, fi.BodyHTML)
	}
	if !strings.Contains(en.BodyText, "Hello Sven,") || !strings.Contains(en.BodyHTML, `<html lang="en">`) {
		t.Errorf("a contact who chose English got:\n%s", en.BodyText)
	}
	t.Run("without a choice, the firm's language", func(t *testing.T) {
		f.set("contacts", "locale = ''", "id = ?", f.contactID(sven))
		f.clock.Add(time.Hour)
		f.mustRequest(sven, ip)
		if m := f.mails(sven)[1]; !strings.Contains(m.BodyText, "Hei Sven,") {
			t.Errorf("mail:\n%s", m.BodyText)
		}
	})
}

// rule EXT-9: a session that logged in with the temporary password sets the first own
// password without typing the temporary one again; it must be a new one.
func TestReplaceTemporaryPassword(t *testing.T) {
	f := setup(t)
	f.share(strategy, aino)
	f.credential(aino, "Temp0rary-pw-1", true)
	who, err := f.svc.Login(f.ctx, aino, "Temp0rary-pw-1", ip)
	if err != nil || !who.PasswordTemporary {
		t.Fatalf("login: %v %+v", err, who)
	}
	_, err = f.svc.ReplaceTemporaryPassword(f.ctx, who, "Temp0rary-pw-1")
	wantErr(t, err, extranet.ErrPasswordUnchanged)
	_, err = f.svc.ReplaceTemporaryPassword(f.ctx, who, "short")
	wantErr(t, err, extranet.ErrPasswordTooShort)
	now, err := f.svc.ReplaceTemporaryPassword(f.ctx, who, password)
	if err != nil || now.PasswordTemporary || now.TokenVersion != who.TokenVersion+1 {
		t.Fatalf("replace: %v %+v", err, now)
	}
	t.Run("only once, and never for a permanent password", func(t *testing.T) {
		_, err := f.svc.ReplaceTemporaryPassword(f.ctx, who, "another-long-password")
		wantErr(t, err, extranet.ErrSessionEnded)
		_, err = f.svc.ReplaceTemporaryPassword(f.ctx, now, "another-long-password")
		wantErr(t, err, extranet.ErrSessionEnded)
	})
	t.Run("not once the temporary password has expired", func(t *testing.T) {
		f.credential(sven, "Temp0rary-pw-2", true)
		f.share(pricing, sven)
		who, err := f.svc.Login(f.ctx, sven, "Temp0rary-pw-2", ip)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Add(73 * time.Hour)
		_, err = f.svc.ReplaceTemporaryPassword(f.ctx, who, "another-long-password")
		wantErr(t, err, extranet.ErrTemporaryExpired)
	})
}
