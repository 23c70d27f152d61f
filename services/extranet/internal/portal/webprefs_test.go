package portal_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/pkg/outbox"
	"github.com/caseroom/caseroom/pkg/outbox/outboxtest"
	"github.com/caseroom/caseroom/pkg/work"
)

func (e *env) contactRow(email string) model.Contact {
	e.t.Helper()
	var ct model.Contact
	if err := e.db.NewSelect().Model(&ct).Where("email = ?", email).Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return ct
}

func mustShow(t *testing.T, r response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(string(r.Body), p) {
			t.Errorf("%q is missing from the page:\n%s", p, r.Body)
		}
	}
}

// Every select and input of a form sits in a label, so that each is named.
var unlabelled = regexp.MustCompile(`(?s)</label>\s*<(select|input type="checkbox")`)

// The preferences page saves the contact's language, zone and opt-in mails, with a new
// version and a history entry; what it does not know it refuses in words, in the page.
func TestPreferencesPage(t *testing.T) {
	e := newEnv(t)
	b := e.sharedBrowser(t)
	page := b.get("/preferences").must(t, http.StatusOK)
	mustShow(t, page, `<html lang="en">`, "<label>Language", `<select name="locale" id="locale">`, `<option value="fi">Suomi</option>`,
		`<option value="en">English</option>`, `<label>Time zone`, `<option value="Europe/Helsinki">Europe/Helsinki</option>`,
		`name="pending_hours" id="pending_hours">`, `name="new_files" id="new_files">`, "The firm&#39;s default (UTC)")
	if unlabelled.Match(page.Body) {
		t.Error("an input outside its label")
	}
	csrf := b.csrf(page)

	t.Run("saved in the contact's row, with the history", func(t *testing.T) {
		mustRedirect(t, b.post("/preferences", url.Values{"csrf": {csrf}, "locale": {"fi"}, "zone": {"Europe/Helsinki"},
			"pending_hours": {"on"}}), "/preferences?done=saved")
		ct := e.contactRow(aino)
		if ct.Locale != "fi" || ct.TimeZone != "Europe/Helsinki" || !ct.NotifyPendingHours || ct.NotifyNewFiles || ct.Version != 2 {
			t.Fatalf("contact %+v", ct)
		}
		if n := e.rowCount("change_history", "resource_type = 'contacts' AND resource_id = ? AND actor_contact_id = ?", ct.ID, ct.ID); n != 1 {
			t.Fatalf("%d history entries", n)
		}
		r := b.get("/preferences?done=saved").must(t, http.StatusOK)
		mustShow(t, r, `<html lang="fi">`, "Asetuksesi on tallennettu.", `<option value="fi" selected>Suomi</option>`,
			`<option value="Europe/Helsinki" selected>`, `id="pending_hours" checked>`)
	})
	t.Run("an unknown zone is refused in the page, in the contact's language", func(t *testing.T) {
		r := b.post("/preferences", url.Values{"csrf": {csrf}, "locale": {"fi"}, "zone": {"Mars/Olympus"}, "new_files": {"on"}})
		r.must(t, http.StatusBadRequest)
		mustShow(t, r, "Valitse jokin luettelon aikavyöhykkeistä.", `<select name="zone" id="zone" aria-invalid="true"`,
			`id="new_files" checked>`)
		if ct := e.contactRow(aino); ct.Version != 2 || ct.NotifyNewFiles {
			t.Fatalf("a refused form changed the contact: %+v", ct)
		}
	})
	t.Run("an unknown language is refused", func(t *testing.T) {
		r := b.post("/preferences", url.Values{"csrf": {csrf}, "locale": {"xx"}, "zone": {""}})
		r.must(t, http.StatusBadRequest)
		mustShow(t, r, "Valitse jokin luettelon kielistä.", `<select name="locale" id="locale" aria-invalid="true"`)
	})
	t.Run("a post without the form token is refused", func(t *testing.T) {
		b.post("/preferences", url.Values{"locale": {"en"}}).must(t, http.StatusForbidden)
		if ct := e.contactRow(aino); ct.Locale != "fi" {
			t.Fatalf("locale %q", ct.Locale)
		}
	})
	t.Run("without a session the page is the login", func(t *testing.T) {
		mustRedirect(t, e.browser(t).get("/preferences"), "/login")
	})
}

// The language switch keeps the choice in a cookie before login and saves it as the
// contact's after; it returns only to pages of the portal.
func TestLanguageSwitch(t *testing.T) {
	e := newEnv(t)
	t.Run("before login: a cookie", func(t *testing.T) {
		b := e.browser(t)
		csrf := b.csrf(b.get("/login").must(t, http.StatusOK))
		mustRedirect(t, b.post("/language", url.Values{"csrf": {csrf}, "lang": {"fi"}, "back": {"/login?x=1"}}), "/login?x=1")
		if c := b.cookies["caseroom_lang"]; c == nil || c.Value != "fi" || !c.HttpOnly {
			t.Fatalf("language cookie %+v", c)
		}
		mustShow(t, b.get("/login").must(t, http.StatusOK), `<html lang="fi">`)
	})
	t.Run("refused: other sites, unknown languages, no token", func(t *testing.T) {
		b := e.browser(t)
		csrf := b.csrf(b.get("/login").must(t, http.StatusOK))
		for _, back := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "cases", "javascript:alert(1)"} {
			r := b.post("/language", url.Values{"csrf": {csrf}, "lang": {"fi"}, "back": {back}}).must(t, http.StatusBadRequest)
			mustShow(t, r, "The page to return to must be a page of this portal.")
		}
		r := b.post("/language", url.Values{"csrf": {csrf}, "lang": {"xx"}, "back": {"/login"}}).must(t, http.StatusBadRequest)
		mustShow(t, r, "The portal has no such language.")
		b.post("/language", url.Values{"lang": {"fi"}, "back": {"/login"}}).must(t, http.StatusForbidden)
		if b.cookies["caseroom_lang"] != nil {
			t.Fatal("a refused switch set the cookie")
		}
	})
	t.Run("in an invitation session: a cookie, nothing saved", func(t *testing.T) {
		e.invite(e.share(migration, allSections), mikko, allRights, nil)
		e.credential(mikko, "Temp0rary-pw", true)
		token := e.inviteToken(mikko)
		b := e.browser(t)
		mustRedirect(t, b.post("/invite/"+token, url.Values{"csrf": {b.csrf(b.get("/invite/" + token))}}), "/password")
		csrf := b.csrf(b.get("/password").must(t, http.StatusOK))
		mustRedirect(t, b.post("/language", url.Values{"csrf": {csrf}, "lang": {"fi"}, "back": {"/password"}}), "/password")
		if c := b.cookies["caseroom_lang"]; c == nil || c.Value != "fi" {
			t.Fatalf("language cookie %+v", c)
		}
		if ct := e.contactRow(mikko); ct.Locale != "" || ct.Version != 1 {
			t.Fatalf("an invitation session changed the contact: %+v", ct)
		}
	})
	t.Run("after login: the contact's choice", func(t *testing.T) {
		b := e.sharedBrowser(t)
		csrf := b.csrf(b.get("/cases").must(t, http.StatusOK))
		mustRedirect(t, b.post("/language", url.Values{"csrf": {csrf}, "lang": {"fi"}, "back": {"/cases"}}), "/cases")
		if ct := e.contactRow(aino); ct.Locale != "fi" || ct.Version != 2 {
			t.Fatalf("contact %+v", ct)
		}
		mustShow(t, b.get("/preferences").must(t, http.StatusOK), `<html lang="fi">`)
	})
}

var langFormToken = regexp.MustCompile(`id="lang-form">\s*<input type="hidden" name="csrf" value="([^"]+)"`)

// langToken returns the form token of the language form of a page.
func langToken(t *testing.T, page response) string {
	t.Helper()
	m := langFormToken.FindSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no language form on the page:\n%s", page.Body)
	}
	return string(m[1])
}

// The language form works from every page, whatever the page bound its form token to (the
// session, an invitation or nothing), signed in or not; a missing or forged token, or one
// of another browser, is still refused.
func TestLanguageSwitchFromEveryPage(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(migration, allSections), mikko, allRights, nil)
	e.credential(mikko, "Temp0rary-pw", true)
	signedIn := e.sharedBrowser(t)
	pages := []struct {
		path   string
		status int
	}{
		{"/cases", http.StatusOK}, {"/cases/" + id(e.caseID(strategy)), http.StatusOK}, {"/preferences", http.StatusOK},
		{"/password", http.StatusOK}, {"/forgot", http.StatusOK}, {"/reset/no-such-link", http.StatusNotFound},
		{"/invite/no-such-link", http.StatusOK}, {"/unsubscribe/no-such-link", http.StatusNotFound},
		{"/no-such-page", http.StatusNotFound}, {"/cases/999999", http.StatusNotFound},
	}
	lang := "fi"
	switchFrom := func(t *testing.T, b *browser, path string, status int) {
		t.Helper()
		token := langToken(t, b.get(path).must(t, status))
		b.post("/language", url.Values{"lang": {lang}, "back": {path}}).must(t, http.StatusForbidden)
		b.post("/language", url.Values{"csrf": {token + "x"}, "lang": {lang}, "back": {path}}).must(t, http.StatusForbidden)
		mustRedirect(t, b.post("/language", url.Values{"csrf": {token}, "lang": {lang}, "back": {path}}), path)
		if c := b.cookies["caseroom_lang"]; c == nil || c.Value != lang {
			t.Fatalf("language cookie %+v", c)
		}
		mustShow(t, b.get(path).must(t, status), `<html lang="`+lang+`">`)
		lang = map[string]string{"fi": "en", "en": "fi"}[lang]
	}
	for _, p := range pages {
		t.Run("signed in: "+p.path, func(t *testing.T) {
			switchFrom(t, signedIn, p.path, p.status)
			if ct := e.contactRow(aino); ct.Locale == lang {
				t.Fatalf("the contact's language %q was not saved", ct.Locale)
			}
		})
	}
	for _, p := range pages[4 : len(pages)-1] {
		t.Run("before login: "+p.path, func(t *testing.T) { switchFrom(t, e.browser(t), p.path, p.status) })
	}
	invited := e.browser(t)
	token := e.inviteToken(mikko)
	mustRedirect(t, invited.post("/invite/"+token, url.Values{"csrf": {invited.csrf(invited.get("/invite/" + token))}}), "/password")
	for _, path := range []string{"/password", "/forgot", "/no-such-page"} {
		t.Run("in an invitation session: "+path, func(t *testing.T) {
			status := http.StatusOK
			if path == "/no-such-page" {
				status = http.StatusNotFound
			}
			switchFrom(t, invited, path, status)
			if ct := e.contactRow(mikko); ct.Locale != "" {
				t.Fatalf("an invitation session changed the contact: %+v", ct)
			}
		})
	}
	t.Run("a token of another browser is refused", func(t *testing.T) {
		other := e.browser(t)
		token := langToken(t, other.get("/forgot"))
		signedIn.post("/language", url.Values{"csrf": {token}, "lang": {"fi"}, "back": {"/cases"}}).must(t, http.StatusForbidden)
	})
	t.Run("a token of an ended session is refused", func(t *testing.T) {
		b := e.signIn(t, aino)
		token := langToken(t, b.get("/cases"))
		mustRedirect(t, b.post("/logout", url.Values{"csrf": {token}}), "/login")
		csrf := b.csrf(b.get("/login"))
		mustRedirect(t, b.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {password}}), "/cases")
		b.post("/language", url.Values{"csrf": {token}, "lang": {"fi"}, "back": {"/cases"}}).must(t, http.StatusForbidden)
	})
}

// A contact's opt-in mail, delivered over SMTP, carries a link whose page shows what it
// stops; only its button stops it.
func TestUnsubscribePages(t *testing.T) {
	e := newEnv(t)
	b := e.sharedBrowser(t)
	csrf := b.csrf(b.get("/preferences").must(t, http.StatusOK))
	mustRedirect(t, b.post("/preferences", url.Values{"csrf": {csrf}, "zone": {""}, "pending_hours": {"on"}, "new_files": {"on"}}),
		"/preferences?done=saved")
	link := e.optInMail(t)
	path := strings.TrimPrefix(link, "http://portal.test")

	anon := e.browser(t)
	t.Run("opening the link stops nothing", func(t *testing.T) {
		for range 2 {
			r := anon.get(path).must(t, http.StatusOK)
			mustShow(t, r, "Hello Aino,", "mails about work hours that wait for your approval", "mails about new files and links on your cases",
				`id="unsubscribe"`)
		}
		if ct := e.contactRow(aino); !ct.NotifyPendingHours || !ct.NotifyNewFiles {
			t.Fatalf("opening the link changed %+v", ct)
		}
	})
	page := anon.get(path)
	t.Run("the button needs the form token", func(t *testing.T) {
		anon.post(path, url.Values{}).must(t, http.StatusForbidden)
	})
	t.Run("the button stops the mails", func(t *testing.T) {
		r := anon.post(path, url.Values{"csrf": {anon.csrf(page)}}).must(t, http.StatusOK)
		mustShow(t, r, "Done: you will no longer get these mails.", `href="/preferences"`)
		if ct := e.contactRow(aino); ct.NotifyPendingHours || ct.NotifyNewFiles {
			t.Fatalf("still subscribed: %+v", ct)
		}
		mustShow(t, anon.get(path).must(t, http.StatusOK), "there is nothing to stop")
	})
	t.Run("a bad link gets a clear page", func(t *testing.T) {
		for _, bad := range []string{"/unsubscribe/nope", path + "x", "/unsubscribe/" + strings.Repeat("z", 300)} {
			r := anon.get(bad).must(t, http.StatusNotFound)
			mustShow(t, r, "This link does not stop any mails.")
		}
		r := anon.post("/unsubscribe/nope", url.Values{"csrf": {anon.csrf(page)}}).must(t, http.StatusNotFound)
		mustShow(t, r, "This link does not stop any mails.")
	})
}

// optInMail has erik enter an hour on the strategy review, runs the digest and the outbox
// worker against a real SMTP peer, and returns the unsubscribe link of aino's mail.
func (e *env) optInMail(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	env := domain.NewEnv(e.db, e.clock.Now).WithLog(slog.New(slog.DiscardHandler))
	caseID := e.caseID(strategy)
	_, err := work.New(env).CreateHour(ctx, domaintest.Employee(t, e.db, "erik"), work.HourInput{CaseID: &caseID,
		WorkDate: ptr("2026-11-20"), Minutes: ptr(60)})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Add(15 * time.Minute)
	if n, err := (&notify.Worker{DB: e.db, Now: e.clock.Now, PortalURL: "http://portal.test"}).RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("digest: %d, %v", n, err)
	}
	box := outboxtest.Start(t)
	port, _ := strconv.Atoi(box.Port())
	sender, err := outbox.NewSMTPSender(outbox.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: outbox.TLSNone, From: "noreply@northwind.example"})
	if err != nil {
		t.Fatal(err)
	}
	if sent, _, err := (&outbox.Worker{DB: e.db, Sender: sender, Now: e.clock.Now}).RunOnce(ctx); err != nil || sent != 1 {
		t.Fatalf("outbox: %d, %v", sent, err)
	}
	mails := box.To(aino)
	if len(mails) != 1 || !strings.Contains(mails[0].Text, "waits for your approval on "+strategy) || mails[0].HTML == "" {
		t.Fatalf("mails to aino: %+v", mails)
	}
	return outboxtest.LineValue(mails[0].Text, "Stop these mails:")
}
