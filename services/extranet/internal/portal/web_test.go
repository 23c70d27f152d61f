package portal_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage/storagetest"
)

// browser is a client of the pages with a cookie jar, like a person's browser.
type browser struct {
	e       *env
	t       *testing.T
	cookies map[string]*http.Cookie
	origin  string // sent as Origin on posts when set
	lang    string // sent as Accept-Language when set
}

func (e *env) browser(t *testing.T) *browser {
	return &browser{e: e, t: t, cookies: map[string]*http.Cookie{}}
}

func (b *browser) send(method, path string, body []byte, contentType string) response {
	b.t.Helper()
	header := map[string]string{}
	var parts []string
	for _, c := range b.cookies {
		parts = append(parts, c.Name+"="+c.Value)
	}
	if len(parts) > 0 {
		header["Cookie"] = strings.Join(parts, "; ")
	}
	if b.lang != "" {
		header["Accept-Language"] = b.lang
	}
	if b.origin != "" && method == "POST" {
		header["Origin"] = b.origin
	}
	var raw any
	if body != nil {
		raw = body
	}
	r := b.e.do(call{method: method, path: path, body: raw, contentType: contentType, header: header, raw: true})
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return r
}

func (b *browser) get(path string) response { b.t.Helper(); return b.send("GET", path, nil, "") }

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	return b.send("POST", path, []byte(form.Encode()), "application/x-www-form-urlencoded")
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the form token of a page.
func (b *browser) csrf(page response) string {
	b.t.Helper()
	m := csrfField.FindSubmatch(page.Body)
	if m == nil {
		b.t.Fatalf("no CSRF field on the page:\n%s", page.Body)
	}
	return string(m[1])
}

func mustRedirect(t *testing.T, r response, to string) {
	t.Helper()
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != to {
		t.Fatalf("status %d Location %q, want 303 %q: %s", r.Status, r.Header.Get("Location"), to, r.Body)
	}
}

// rules EXT-5, EXT-9: the login pages, with CSRF tokens, session cookies and the forced
// change of a temporary password.
func TestLoginPages(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, "Temp0rary-pw", true)
	b := e.browser(t)

	page := b.get("/login").must(t, http.StatusOK)
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") {
		t.Fatalf("CSP %q", csp)
	}
	for _, h := range []string{"X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} {
		if page.Header.Get(h) == "" {
			t.Errorf("missing %s", h)
		}
	}
	csrf := b.csrf(page)
	if c := b.cookies["caseroom_csrf"]; c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
		t.Fatalf("CSRF cookie %+v", c)
	}
	t.Run("a post without the token is refused", func(t *testing.T) {
		b.post("/login", url.Values{"email": {aino}, "password": {"Temp0rary-pw"}}).must(t, http.StatusForbidden)
		b.post("/login", url.Values{"csrf": {csrf + "x"}, "email": {aino}, "password": {"Temp0rary-pw"}}).must(t, http.StatusForbidden)
	})
	t.Run("a post from another site is refused", func(t *testing.T) {
		evil := e.browser(t)
		evil.cookies = b.cookies
		evil.origin = "https://evil.example"
		evil.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {"Temp0rary-pw"}}).must(t, http.StatusForbidden)
		r := e.do(call{method: "POST", path: "/login", raw: true, body: url.Values{"csrf": {csrf}, "email": {aino}, "password": {"x"}}.Encode(),
			contentType: "application/x-www-form-urlencoded",
			header:      map[string]string{"Cookie": "caseroom_csrf=" + b.cookies["caseroom_csrf"].Value, "Sec-Fetch-Site": "cross-site"}})
		r.must(t, http.StatusForbidden)
	})
	t.Run("a wrong password shows the generic message", func(t *testing.T) {
		r := b.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {"nope"}}).must(t, http.StatusUnauthorized)
		if !strings.Contains(string(r.Body), "The email or password is wrong.") {
			t.Fatalf("page %s", r.Body)
		}
	})
	t.Run("the temporary password leads to the password page only", func(t *testing.T) {
		mustRedirect(t, b.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {"Temp0rary-pw"}}), "/password")
		s := b.cookies["caseroom_session"]
		if s == nil || !s.HttpOnly || s.SameSite != http.SameSiteLaxMode || s.Secure || s.Path != "/" {
			t.Fatalf("session cookie %+v", s)
		}
		mustRedirect(t, b.get("/cases"), "/password")
		mustRedirect(t, b.get("/cases/"+id(e.caseID(strategy))), "/password")
	})
	t.Run("a form token of the anonymous login page does not work in the session", func(t *testing.T) {
		b.post("/password", url.Values{"csrf": {csrf}, "current": {"Temp0rary-pw"}, "new": {password}, "confirm": {password}}).
			must(t, http.StatusForbidden)
	})
	csrf = b.csrf(b.get("/password").must(t, http.StatusOK))
	t.Run("the form token is read from the body, never from the URL", func(t *testing.T) {
		b.post("/password?csrf="+url.QueryEscape(csrf), url.Values{"current": {"Temp0rary-pw"}, "new": {password}, "confirm": {password}}).
			must(t, http.StatusForbidden)
	})
	t.Run("the new passwords must agree", func(t *testing.T) {
		r := b.post("/password", url.Values{"csrf": {csrf}, "current": {"Temp0rary-pw"}, "new": {password}, "confirm": {password + "x"}})
		r.must(t, http.StatusBadRequest)
	})
	t.Run("setting a password opens the cases", func(t *testing.T) {
		mustRedirect(t, b.post("/password", url.Values{"csrf": {csrf}, "current": {"Temp0rary-pw"}, "new": {password}, "confirm": {password}}),
			"/cases?done=password")
		r := b.get("/cases?done=password").must(t, http.StatusOK)
		if !strings.Contains(string(r.Body), strategy) || !strings.Contains(string(r.Body), "Your password is saved.") {
			t.Fatalf("page %s", r.Body)
		}
	})
	t.Run("a form token of the ended session does not work in the new one", func(t *testing.T) {
		b.post("/logout", url.Values{"csrf": {csrf}}).must(t, http.StatusForbidden)
	})
	csrf = b.csrf(b.get("/cases").must(t, http.StatusOK))
	t.Run("logging out ends the browser's session", func(t *testing.T) {
		mustRedirect(t, b.post("/logout", url.Values{"csrf": {csrf}}), "/login")
		mustRedirect(t, b.get("/cases"), "/login")
	})
}

// rule EXT-9: cookies are Secure when the portal runs on HTTPS, with the __Host- prefix so
// that the browser keeps them host-only on path / (security review).
func TestSecureCookies(t *testing.T) {
	e := newEnv(t, options{cookieSecure: true})
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)
	b := e.browser(t)
	csrf := b.csrf(b.get("/login").must(t, http.StatusOK))
	mustRedirect(t, b.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {password}}), "/cases")
	for _, name := range []string{"__Host-caseroom_csrf", "__Host-caseroom_session"} {
		if c := b.cookies[name]; c == nil || !c.Secure || c.Path != "/" || c.Domain != "" {
			t.Fatalf("cookie %s: %+v", name, c)
		}
	}
	if b.cookies["caseroom_session"] != nil || b.cookies["caseroom_csrf"] != nil {
		t.Fatal("a Secure cookie without the __Host- prefix")
	}
	b.get("/cases").must(t, http.StatusOK)
}

// rules EXT-4, EXT-9: the invitation link works once and starts a session that can only set
// the first password.
func TestInvitationPages(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, "Temp0rary-pw", true)
	token := e.inviteToken(aino)
	b := e.browser(t)
	page := b.get("/invite/"+token).must(t, http.StatusOK)
	csrf := b.csrf(page)
	t.Run("opening the link does not use it up", func(t *testing.T) {
		var cr model.ContactCredential
		if err := e.db.NewSelect().Model(&cr).Where("contact_id = ?", e.contactID(aino)).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if cr.InviteUsedAt != nil {
			t.Fatal("a GET used the invitation")
		}
	})
	mustRedirect(t, b.post("/invite/"+token, url.Values{"csrf": {csrf}}), "/password")
	if c := b.cookies["caseroom_invite"]; c == nil || c.Path != "/" || !c.HttpOnly {
		t.Fatalf("invite cookie %+v", c)
	}
	csrf = b.csrf(b.get("/password").must(t, http.StatusOK))
	t.Run("the invitation session opens nothing but the password page", func(t *testing.T) {
		mustRedirect(t, b.get("/cases"), "/login")
		r := b.get("/password").must(t, http.StatusOK)
		if strings.Contains(string(r.Body), `name="current"`) {
			t.Fatal("the invitation's password page asks for the current password")
		}
		inviteCookie := b.cookies["caseroom_invite"].Value
		e.do(call{method: "GET", path: "/portal/v1/cases", token: inviteCookie}).must(t, http.StatusUnauthorized)
	})
	t.Run("the link works once", func(t *testing.T) {
		other := e.browser(t)
		c := other.csrf(other.get("/invite/" + token))
		other.post("/invite/"+token, url.Values{"csrf": {c}}).must(t, http.StatusNotFound)
	})
	t.Run("setting the password starts a normal session", func(t *testing.T) {
		mustRedirect(t, b.post("/password", url.Values{"csrf": {csrf}, "new": {password}, "confirm": {password}}), "/cases?done=password")
		if b.cookies["caseroom_invite"] != nil {
			t.Fatal("the invitation cookie survived")
		}
		b.get("/cases").must(t, http.StatusOK)
		e.login(aino, password)
	})
	t.Run("an unknown link is a 404", func(t *testing.T) {
		csrf := b.csrf(b.get("/invite/not-a-token"))
		b.post("/invite/not-a-token", url.Values{"csrf": {csrf}}).must(t, http.StatusNotFound)
	})
}

// rules EXT-3, EXT-6, EXT-7, EXT-8: the case page shows the shared sections only; its forms
// approve, reject, comment and upload as the contact; another case is a 404 page.
func TestCasePage(t *testing.T) {
	store := storagetest.MinIO(t)
	e := newEnv(t, options{files: store})
	e.invite(e.share(strategy, sections{phases: true, other: true}), aino, rights{approve: true, comment: true, upload: true}, nil)
	e.invite(e.share(pricing, allSections), sven, allRights, nil)
	e.credential(aino, password, false)
	caseID, contact := e.caseID(strategy), e.contactID(aino)
	b := e.browser(t)
	csrf := b.csrf(b.get("/login"))
	mustRedirect(t, b.post("/login", url.Values{"csrf": {csrf}, "email": {aino}, "password": {password}}), "/cases")
	casePath := "/cases/" + id(caseID)

	pageResp := b.get(casePath).must(t, http.StatusOK)
	csrf = b.csrf(pageResp) // the login page's token is not good in the session
	page := string(pageResp.Body)
	for _, want := range []string{`id="phases"`, `id="hours"`, `id="files"`, `id="comments"`, `id="upload-form"`, `id="status"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	for _, hidden := range []string{`id="billing"`, `id="status-form"`, "Budget"} {
		if strings.Contains(page, hidden) {
			t.Errorf("the page shows %s", hidden)
		}
	}
	hourID := e.firstID("work_hours", caseID)
	t.Run("an approval of a row changed since the page was shown is refused", func(t *testing.T) {
		b.post("/hours/"+id(hourID)+"/approve", url.Values{"csrf": {csrf}, "version": {"99"}}).must(t, http.StatusPreconditionFailed)
	})
	t.Run("approve an hour", func(t *testing.T) {
		var shown model.WorkHour
		if err := e.db.NewSelect().Model(&shown).Where("id = ?", hourID).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(page, `name="version" value="`+strconv.FormatInt(shown.Version, 10)+`"`) {
			t.Fatal("the page does not carry the hour's version")
		}
		mustRedirect(t, b.post("/hours/"+id(hourID)+"/approve", url.Values{"csrf": {csrf}, "version": {strconv.FormatInt(shown.Version, 10)}}),
			casePath+"?done=hour-approved&at=hour-"+id(hourID)+"#note")
		var h model.WorkHour
		if err := e.db.NewSelect().Model(&h).Where("id = ?", hourID).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if h.ApprovalStatus != "approved" || h.ApprovedByContactID == nil || *h.ApprovedByContactID != contact {
			t.Fatalf("hour %+v", h)
		}
	})
	t.Run("a rejection without a reason is the case page, saying so at the phase", func(t *testing.T) {
		phase := id(e.firstID("phases", caseID))
		r := b.post("/phases/"+phase+"/reject", url.Values{"csrf": {csrf}, "version": {"1"}}).must(t, http.StatusBadRequest)
		if at := noteRow(t, r); at != "phase-"+phase || !strings.Contains(string(r.Body), "Say why you reject it") {
			t.Fatalf("the message is at %q: %s", at, r.Body)
		}
	})
	t.Run("a NUL in a form value is a 400, multipart or not (security review finding 6)", func(t *testing.T) {
		var mp bytes.Buffer
		w := multipart.NewWriter(&mp)
		_ = w.WriteField("csrf", csrf)
		_ = w.WriteField("target", "case")
		_ = w.WriteField("body", "a\x00b")
		_ = w.Close()
		b.send("POST", casePath+"/comments", mp.Bytes(), w.FormDataContentType()).must(t, http.StatusBadRequest)
		b.post(casePath+"/comments", url.Values{"csrf": {csrf}, "target": {"case"}, "body": {"a\x00b"}}).must(t, http.StatusBadRequest)
		anon := e.browser(t)
		c := anon.csrf(anon.get("/login"))
		anon.post("/login?email=a%00b@x.example", url.Values{"csrf": {c}, "password": {"x"}}).must(t, http.StatusBadRequest)
	})
	t.Run("comment, escaped", func(t *testing.T) {
		mustRedirect(t, b.post(casePath+"/comments", url.Values{"csrf": {csrf}, "target": {"case"}, "body": {"<script>x</script> fine"}}),
			casePath+"?done=comment&at=comment-"+id(e.firstID("comments", caseID))+"#note")
		page := string(b.get(casePath).Body)
		if strings.Contains(page, "<script>x") || !strings.Contains(page, "&lt;script&gt;x&lt;/script&gt; fine") {
			t.Fatal("the comment is not escaped")
		}
	})
	t.Run("upload needs the token from the form", func(t *testing.T) {
		body, ct := multipartBody(nil, "notes.txt", "text/plain", []byte("notes"))
		b.send("POST", casePath+"/files", body, ct).must(t, http.StatusForbidden)
		if n := e.fileRows(caseID); n != 0 {
			t.Fatalf("%d rows", n)
		}
	})
	t.Run("upload and download", func(t *testing.T) {
		body, ct := multipartBody(map[string]string{"csrf": csrf}, "notes.txt", "text/plain", []byte("notes"))
		r := b.send("POST", casePath+"/files", body, ct)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), casePath+"?done=file&at=file-") {
			t.Fatalf("status %d Location %q: %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		fileID := strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("Location"), casePath+"?done=file&at=file-"), "#note")
		d := b.get("/files/"+fileID+"/download").must(t, http.StatusOK)
		if string(d.Body) != "notes" || !strings.HasPrefix(d.Header.Get("Content-Disposition"), "attachment") ||
			d.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("download %d %q %v", d.Status, d.Body, d.Header)
		}
	})
	t.Run("another account's case is a 404 page", func(t *testing.T) {
		r := b.get("/cases/"+id(e.caseID(pricing))).must(t, http.StatusNotFound)
		if !strings.Contains(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("content type %q", r.Header.Get("Content-Type"))
		}
		hour := e.firstID("work_hours", e.caseID(pricing))
		b.post("/hours/"+id(hour)+"/approve", url.Values{"csrf": {csrf}}).must(t, http.StatusNotFound)
	})
}
