package portal_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/outbox"
	"github.com/caseroom/caseroom/pkg/outbox/outboxtest"
)

// deliver sends the outbox's due mail to box over SMTP, as the service's worker does.
func (e *env) deliver(box *outboxtest.Mailbox) {
	e.t.Helper()
	port, err := strconv.Atoi(box.Port())
	if err != nil {
		e.t.Fatal(err)
	}
	sender, err := outbox.NewSMTPSender(outbox.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: outbox.TLSNone,
		From: "Caseroom <noreply@portal.test>"})
	if err != nil {
		e.t.Fatal(err)
	}
	w := &outbox.Worker{DB: e.db, Sender: sender, Now: e.clock.Now, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if _, failed, err := w.RunOnce(context.Background()); err != nil || failed != 0 {
		e.t.Fatalf("deliver: %d failed, %v", failed, err)
	}
}

var mailedReset = regexp.MustCompile(`http://portal\.test/reset/([A-Za-z0-9_-]+)`)

// resetToken returns the token of the one mail in msgs.
func resetToken(t *testing.T, msgs []outboxtest.Message) string {
	t.Helper()
	if len(msgs) != 1 {
		t.Fatalf("%d mails, want 1", len(msgs))
	}
	m := mailedReset.FindStringSubmatch(msgs[0].Text)
	if m == nil {
		t.Fatalf("no password link in:\n%s", msgs[0].Text)
	}
	return m[1]
}

// mustShow fails unless the page has every one of want.
// askForLink posts the forgot-password form for email in b and returns the answer.
func (b *browser) askForLink(email string) response {
	b.t.Helper()
	csrf := b.csrf(b.get("/forgot").must(b.t, http.StatusOK))
	return b.post("/forgot", url.Values{"csrf": {csrf}, "email": {email}})
}

// rule EXT-9: forgot password → mail → link → new password → every older session ends; the
// form answers alike for every address, and a link works once.
func TestPasswordReset(t *testing.T) {
	e := newEnv(t)
	box := outboxtest.Start(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)
	old := e.browser(t)
	mustRedirect(t, old.post("/login", url.Values{"csrf": {old.csrf(old.get("/login"))}, "email": {aino}, "password": {password}}), "/cases")

	b := e.browser(t)
	login := b.get("/login").must(t, http.StatusOK)
	mustShow(t, login, `<a href="/forgot" id="forgot-link">Forgot your password?</a>`, `<label for="email">Email address</label>`,
		`<label for="password">Password</label>`, "<title>Log in · ")
	forgot := b.get("/forgot").must(t, http.StatusOK)
	mustShow(t, forgot, "<title>Forgot your password · ", `<label for="email">Email address</label>`, `id="forgot-submit"`)

	t.Run("every address gets the same answer", func(t *testing.T) {
		known := b.askForLink(aino)
		mustRedirect(t, known, "/forgot?sent=1")
		for _, other := range []string{"nobody@acme.example", mikko, "AINO.virtanen@acme.example "} {
			r := b.askForLink(other)
			if r.Status != known.Status || r.Header.Get("Location") != known.Header.Get("Location") || string(r.Body) != string(known.Body) {
				t.Fatalf("%s: %d %q, want %d %q", other, r.Status, r.Header.Get("Location"), known.Status, known.Header.Get("Location"))
			}
		}
		mustShow(t, b.get("/forgot?sent=1").must(t, http.StatusOK), "If the address belongs to a portal user, we sent a link to it.")
	})
	t.Run("a blank address is refused in words on the form", func(t *testing.T) {
		r := b.askForLink("  ").must(t, http.StatusBadRequest)
		mustShow(t, r, "Enter your email address.", `id="forgot-form"`)
	})
	e.deliver(box)
	msgs := box.To(aino)
	if len(msgs) != 2 { // two asked: the second replaced the first
		t.Fatalf("%d mails to aino", len(msgs))
	}
	first := resetToken(t, msgs[:1])
	token := resetToken(t, msgs[1:])
	m := msgs[1]
	if m.Subject != "Caseroom: choose a new portal password" || !strings.Contains(m.Text, "Hello Aino,") ||
		!strings.Contains(m.Text, "Choose a new password: http://portal.test/reset/"+token) || !strings.Contains(m.Text, "24 Nov 2026, 09:30 UTC") {
		t.Fatalf("mail %q:\n%s", m.Subject, m.Text)
	}
	if !strings.Contains(m.HTML, `<html lang="en">`) || !strings.Contains(m.HTML, `href="http://portal.test/reset/`+token+`"`) ||
		!strings.Contains(m.HTML, "Choose a new password</a>") {
		t.Fatalf("HTML part:\n%s", m.HTML)
	}
	if n := box.Count(func(string) bool { return true }); n != 2 {
		t.Fatalf("%d mails in all: the other addresses got mail", n)
	}

	t.Run("a replaced link does not work", func(t *testing.T) {
		r := b.get("/reset/"+first).must(t, http.StatusNotFound)
		mustShow(t, r, "This password link is invalid, already used or expired.", `<a href="/forgot" id="forgot-link">Ask for a new link</a>`)
	})
	page := b.get("/reset/"+token).must(t, http.StatusOK)
	mustShow(t, page, "<title>Choose a new password · ", aino, `<label for="new">New password (at least 12 characters)</label>`,
		`<label for="confirm">New password again</label>`)
	csrf := b.csrf(page)
	t.Run("opening the link does not spend it", func(t *testing.T) {
		var cr model.ContactCredential
		if err := e.db.NewSelect().Model(&cr).Where("contact_id = ?", e.contactID(aino)).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if cr.ResetTokenHash == nil {
			t.Fatal("a GET spent the link")
		}
	})
	t.Run("the new passwords must agree and be long enough", func(t *testing.T) {
		r := b.post("/reset/"+token, url.Values{"csrf": {csrf}, "new": {"a-brand-new-password"}, "confirm": {"another-password"}})
		mustShow(t, r.must(t, http.StatusBadRequest), "The two new passwords differ.", `id="reset-form"`)
		r = b.post("/reset/"+token, url.Values{"csrf": {csrf}, "new": {"short"}, "confirm": {"short"}})
		mustShow(t, r.must(t, http.StatusBadRequest), "The new password needs at least 12 characters.")
	})
	t.Run("a post without the form token is refused", func(t *testing.T) {
		b.post("/reset/"+token, url.Values{"new": {"a-brand-new-password"}, "confirm": {"a-brand-new-password"}}).must(t, http.StatusForbidden)
	})
	mustRedirect(t, b.post("/reset/"+token, url.Values{"csrf": {csrf}, "new": {"a-brand-new-password"}, "confirm": {"a-brand-new-password"}}),
		"/cases?done=password")
	t.Run("the new password signs this browser in", func(t *testing.T) {
		mustShow(t, b.get("/cases").must(t, http.StatusOK), strategy)
	})
	t.Run("every earlier session has ended", func(t *testing.T) {
		mustRedirect(t, old.get("/cases"), "/login")
	})
	t.Run("the link works once", func(t *testing.T) {
		other := e.browser(t)
		r := other.post("/reset/"+token, url.Values{"csrf": {other.csrf(other.get("/forgot"))}, "new": {"yet-another-password"},
			"confirm": {"yet-another-password"}})
		mustShow(t, r.must(t, http.StatusNotFound), "This password link is invalid, already used or expired.", `href="/forgot"`)
		mustShow(t, other.get("/reset/not-a-token").must(t, http.StatusNotFound), "Ask for a new link")
	})
	t.Run("the new password logs in, the old one does not", func(t *testing.T) {
		e.login(aino, "a-brand-new-password")
		e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, password)}).must(t, http.StatusUnauthorized)
	})
}

// The walk in Finnish: the pages follow the browser's language, the mail the contact's.
func TestPasswordResetInFinnish(t *testing.T) {
	e := newEnv(t)
	box := outboxtest.Start(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)
	if _, err := e.db.NewUpdate().Model((*model.Contact)(nil)).Set("locale = 'fi'").Set("time_zone = 'Europe/Helsinki'").
		Where("email = ?", aino).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := e.do(call{method: "GET", path: "/forgot", raw: true, header: map[string]string{"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"}}).
		must(t, http.StatusOK)
	mustShow(t, r, `<html lang="fi">`, "<title>Unohtunut salasana · ", `<label for="email">Sähköpostiosoite</label>`, "Lähetä linkki")
	b := e.browser(t)
	b.cookies["caseroom_lang"] = &http.Cookie{Name: "caseroom_lang", Value: "fi"}
	mustShow(t, b.get("/login"), "Unohditko salasanasi?", `<label for="password">Salasana</label>`)
	mustRedirect(t, b.askForLink(aino), "/forgot?sent=1")
	mustShow(t, b.get("/forgot?sent=1"), "Jos osoite kuuluu portaalin käyttäjälle, lähetimme siihen linkin.")
	e.deliver(box)
	msgs := box.To(aino)
	token := resetToken(t, msgs)
	m := msgs[0]
	for _, want := range []string{"Hei Aino,", "Valitse uusi salasana: http://portal.test/reset/" + token, "vanhenee 24.11.2026 klo 11:30 EET",
		"salasanasi pysyy ennallaan"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the text part lacks %q:\n%s", want, m.Text)
		}
	}
	if m.Subject != "Caseroom: valitse uusi portaalin salasana" || !strings.Contains(m.HTML, `<html lang="fi">`) ||
		!strings.Contains(m.HTML, "Valitse uusi salasana</a>") || !strings.Contains(m.HTML, "Hei Aino,") {
		t.Fatalf("subject %q, HTML part:\n%s", m.Subject, m.HTML)
	}
	page := b.get("/reset/"+token).must(t, http.StatusOK)
	mustShow(t, page, "<title>Valitse uusi salasana · ", `<label for="new">Uusi salasana (vähintään 12 merkkiä)</label>`)
	csrf := b.csrf(page)
	r = b.post("/reset/"+token, url.Values{"csrf": {csrf}, "new": {"a-brand-new-password"}, "confirm": {"something-else-again"}})
	mustShow(t, r.must(t, http.StatusBadRequest), "Uudet salasanat eivät ole samat.")
	mustRedirect(t, b.post("/reset/"+token, url.Values{"csrf": {csrf}, "new": {"a-brand-new-password"}, "confirm": {"a-brand-new-password"}}),
		"/cases?done=password")
	r = b.get("/reset/"+token).must(t, http.StatusNotFound)
	mustShow(t, r, "<title>Linkki ei toimi · ", "Tämä salasanalinkki on virheellinen", "Pyydä uusi linkki")
}

// Over the limits the form still answers the same, and sends nothing more.
func TestPasswordResetLimits(t *testing.T) {
	e := newEnv(t)
	box := outboxtest.Start(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)
	b := e.browser(t)
	for i := 0; i < 5; i++ {
		mustRedirect(t, b.askForLink(aino), "/forgot?sent=1")
	}
	e.deliver(box)
	if n := len(box.To(aino)); n != 3 {
		t.Fatalf("%d mails, want 3 (the limit per address)", n)
	}
}

// The lockout after failed logins is said in words, in whole minutes rounded up, in the
// reader's language, with Retry-After; a password link ends it.
func TestLockoutInWords(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)
	b := e.browser(t)
	csrf := b.csrf(b.get("/login"))
	for i := 0; i < 5; i++ {
		b.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {"wrong-password"}}).must(t, http.StatusUnauthorized)
		e.clock.Add(30 * time.Second)
	}
	r := b.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {password}}).must(t, http.StatusTooManyRequests)
	mustShow(t, r, "Too many attempts. Try again in 13 minutes.", `id="login-form"`, `value="`+aino+`"`)
	if got := r.Header.Get("Retry-After"); got != "750" {
		t.Errorf("Retry-After %q", got)
	}
	t.Run("in Finnish", func(t *testing.T) {
		fi := e.browser(t)
		fi.cookies["caseroom_lang"] = &http.Cookie{Name: "caseroom_lang", Value: "fi"}
		r := fi.post("/login", url.Values{"csrf": {fi.csrf(fi.get("/login"))}, "email": {aino}, "password": {password}})
		mustShow(t, r.must(t, http.StatusTooManyRequests), "Liian monta yritystä. Yritä uudelleen 13 minuutin kuluttua.")
	})
	t.Run("under a minute", func(t *testing.T) {
		e.clock.Add(12*time.Minute + 20*time.Second)
		r := b.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {password}}).must(t, http.StatusTooManyRequests)
		mustShow(t, r, "Too many attempts. Try again in a minute.")
	})
	t.Run("the API says it in words too", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, password)}).must(t, http.StatusTooManyRequests)
		if d := r.Doc["errors"].([]any)[0].(map[string]any)["detail"]; d != "Too many attempts. Try again in a minute." {
			t.Fatalf("detail %v", d)
		}
	})
}

// temporaryLogin shares the strategy review with aino, whose password is the temporary pw,
// and logs her in with it in a new browser, which is sent to choose her own.
func (e *env) temporaryLogin(t *testing.T, pw string) *browser {
	t.Helper()
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, pw, true)
	b := e.browser(t)
	mustRedirect(t, b.post("/login", url.Values{"csrf": {b.csrf(b.get("/login"))}, "email": {aino}, "password": {pw}}), "/password")
	return b
}

// rule EXT-9: right after logging in with the temporary password, the contact chooses their
// own without typing the temporary one again; a contact with their own password still gives
// the current one to change it.
func TestNoRetypingTheTemporaryPassword(t *testing.T) {
	e := newEnv(t)
	b := e.temporaryLogin(t, "Temp0rary-pw-1")
	page := b.get("/password").must(t, http.StatusOK)
	if strings.Contains(string(page.Body), `name="current"`) {
		t.Fatal("the page asks for the temporary password again")
	}
	mustShow(t, page, "<title>Choose your password · ", `<label for="new">New password (at least 12 characters)</label>`)
	csrf := b.csrf(page)
	t.Run("the temporary password is not taken as the new one", func(t *testing.T) {
		r := b.post("/password", url.Values{"csrf": {csrf}, "new": {"Temp0rary-pw-1"}, "confirm": {"Temp0rary-pw-1"}})
		mustShow(t, r.must(t, http.StatusBadRequest), "The new password must differ from the current one.")
	})
	mustRedirect(t, b.post("/password", url.Values{"csrf": {csrf}, "new": {password}, "confirm": {password}}), "/cases?done=password")
	t.Run("with a password of their own, the current one is asked", func(t *testing.T) {
		page := b.get("/password").must(t, http.StatusOK)
		mustShow(t, page, "<title>Change your password · ", `<label for="current">Current password</label>`, `name="current"`)
		csrf := b.csrf(page)
		r := b.post("/password", url.Values{"csrf": {csrf}, "new": {"another-long-password"}, "confirm": {"another-long-password"}})
		mustShow(t, r.must(t, http.StatusBadRequest), "The current password is wrong.")
		mustRedirect(t, b.post("/password", url.Values{"csrf": {csrf}, "current": {password}, "new": {"another-long-password"},
			"confirm": {"another-long-password"}}), "/cases?done=password")
	})
}

// rule EXT-9: not typing the temporary password again holds only minutes after logging in
// with it, in that browser: a session cookie taken later, or alone, must give it.
func TestFreshLoginOnly(t *testing.T) {
	e := newEnv(t)
	b := e.temporaryLogin(t, "Temp0rary-pw-1")
	t.Run("a copied session cookie alone", func(t *testing.T) {
		thief := e.browser(t)
		thief.cookies["caseroom_session"] = b.cookies["caseroom_session"]
		page := thief.get("/password").must(t, http.StatusOK)
		mustShow(t, page, `name="current"`)
		r := thief.post("/password", url.Values{"csrf": {thief.csrf(page)}, "new": {password}, "confirm": {password}})
		mustShow(t, r.must(t, http.StatusBadRequest), "The current password is wrong.")
	})
	t.Run("after the window", func(t *testing.T) {
		e.clock.Add(11 * time.Minute)
		page := b.get("/password").must(t, http.StatusOK)
		mustShow(t, page, `name="current"`)
		mustRedirect(t, b.post("/password", url.Values{"csrf": {b.csrf(page)}, "current": {"Temp0rary-pw-1"}, "new": {password},
			"confirm": {password}}), "/cases?done=password")
	})
}

// An invitation link that does not work says so in words, with the ways on.
func TestInvitationLinkInWords(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	b.cookies["caseroom_lang"] = &http.Cookie{Name: "caseroom_lang", Value: "fi"}
	page := b.get("/invite/not-a-token").must(t, http.StatusOK)
	mustShow(t, page, "<title>Tervetuloa · ", "Jatka")
	r := b.post("/invite/not-a-token", url.Values{"csrf": {b.csrf(page)}}).must(t, http.StatusNotFound)
	mustShow(t, r, "Tämä kutsulinkki on virheellinen", `href="/forgot"`, `href="/login"`)
}
