package portal_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/services/extranet/internal/portal"
)

// formPortal is a portal with aino signed in on the strategy review, for the form fuzzer:
// set up once per fuzzing process (newEnv wants a *testing.T; a fuzz target has a
// *testing.F).
type formPortal struct {
	app            *fiber.App
	anonCookies    string // the login page's CSRF cookie
	anonToken      string // the login page's form token
	sessionCookies string // the CSRF and session cookies of aino's browser
	sessionToken   string // the form token of her pages
	paths          []string
}

func newFormPortal(tb testing.TB) *formPortal {
	tb.Helper()
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }
	database := dbtest.Open(tb)
	if _, err := demo.Load(ctx, database, now); err != nil {
		tb.Fatal(err)
	}
	caseID := fuzzShare(tb, database, now())
	tokens, err := auth.NewIssuer(secret, auth.AudienceExtranet, 30*time.Minute, now)
	if err != nil {
		tb.Fatal(err)
	}
	p := &formPortal{app: portal.New(portal.Deps{DB: database, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Tokens: tokens,
		Now: now, Secret: secret, PortalURL: "http://portal.test",
		Hash: func(pw string) (string, error) { return auth.HashPasswordWith(pw, cheap) }})}

	jar := map[string]string{}
	page := p.send(tb, "GET", "/login", "", jar)
	p.anonCookies, p.anonToken = cookieHeader(jar), formToken(tb, page)
	form := url.Values{"csrf": {p.anonToken}, "email": {aino}, "password": {password}}.Encode()
	if r := p.send(tb, "POST", "/login", form, jar); r.StatusCode != http.StatusSeeOther {
		tb.Fatalf("login: %d", r.StatusCode)
	}
	casePath := "/cases/" + id(caseID)
	page = p.send(tb, "GET", casePath, "", jar)
	p.sessionCookies, p.sessionToken = cookieHeader(jar), formToken(tb, page)
	hour, phase := fuzzFirst(tb, database, "work_hours", caseID), fuzzFirst(tb, database, "phases", caseID)
	p.paths = []string{"/login", "/password", casePath + "/comments", casePath + "/status",
		"/hours/" + hour + "/approve", "/hours/" + hour + "/reject", "/phases/" + phase + "/approve", "/phases/" + phase + "/reject",
		casePath + "/links", casePath + "/hours/approve", casePath + "/hours/reject"}
	return p
}

// send makes one request, keeping the cookies the answer sets in jar.
func (p *formPortal) send(tb testing.TB, method, path, form string, jar map[string]string) *http.Response {
	tb.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(form))
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if len(jar) > 0 {
		req.Header.Set("Cookie", cookieHeader(jar))
	}
	resp, err := p.app.Test(req, 10_000)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(jar, c.Name)
		} else {
			jar[c.Name] = c.Value
		}
	}
	return resp
}

func cookieHeader(jar map[string]string) string {
	var parts []string
	for k, v := range jar {
		parts = append(parts, k+"="+v)
	}
	return strings.Join(parts, "; ")
}

func formToken(tb testing.TB, page *http.Response) string {
	tb.Helper()
	body, _ := io.ReadAll(page.Body)
	m := csrfField.FindSubmatch(body)
	if m == nil {
		tb.Fatalf("no CSRF field on the page (%d)", page.StatusCode)
	}
	return string(m[1])
}

// fuzzShare shares the strategy review with aino, every section and right, and gives her a
// permanent password (the fixtures of fixtures_test.go, for a testing.TB).
func fuzzShare(tb testing.TB, database *bun.DB, now time.Time) int64 {
	tb.Helper()
	ctx := context.Background()
	var caseID, contactID, carl int64
	for _, q := range []struct {
		model any
		where string
		arg   string
		dst   *int64
	}{
		{(*model.Case)(nil), "name = ?", strategy, &caseID},
		{(*model.Contact)(nil), "email = ?", aino, &contactID},
		{(*model.User)(nil), "email = ?", "carl@northwind.example", &carl},
	} {
		if err := database.NewSelect().Model(q.model).Column("id").Where(q.where, q.arg).Scan(ctx, q.dst); err != nil {
			tb.Fatalf("%s: %v", q.arg, err)
		}
	}
	sh := &model.ExtranetShare{CaseID: caseID, ShowFinancials: true, ShowPhases: true, ShowOther: true, CreatedByUserID: carl,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	hash, err := auth.HashPasswordWith(password, cheap)
	if err != nil {
		tb.Fatal(err)
	}
	err = database.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(sh).Returning("id").Exec(ctx); err != nil {
			return err
		}
		sc := &model.ShareContact{ShareID: sh.ID, ContactID: contactID, CanApprove: true, CanComment: true, CanUpload: true,
			CanChangeStatus: true, InvitedAt: now}
		if _, err := tx.NewInsert().Model(sc).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(&model.ContactCredential{ContactID: contactID, PasswordHash: hash, TokenVersion: 1, UpdatedAt: now}).Exec(ctx)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return caseID
}

func fuzzFirst(tb testing.TB, database *bun.DB, table string, caseID int64) string {
	tb.Helper()
	var n int64
	if err := database.NewSelect().Table(table).ColumnExpr("MIN(id)").Where("case_id = ?", caseID).Scan(context.Background(), &n); err != nil || n == 0 {
		tb.Fatalf("no %s on case %d: %v", table, caseID, err)
	}
	return id(n)
}

// Whatever a browser posts to the portal's forms (url-encoded, read by httpx.ReadBody and
// httpx.FormValue, then parsed by each form's handler), signed in or not, with the form
// token or without, the answer is a page, a redirect or a client error: never a 5xx.
func FuzzPortalForms(f *testing.F) {
	for _, seed := range []string{
		"", "email=aino.virtanen%40acme.example&password=x", "body=hello&target=case", "body=%00&target=case",
		"target=phase&targetId=99999999999999999999&body=x", "status=closed&version=1", "version=-1&comment=no",
		"version=1&comment=" + strings.Repeat("x", 5000), "current=x&new=short&confirm=short", "%zz=%", "a=1&a=2&&=&csrf=",
		"body=%ff%fe&target=case", "version=9223372036854775808", "url=javascript:x&name=y", "which=selected&hour=1:1&hour=x:2",
		"which=all&view=hours%3D99999999999", "view=%zz",
	} {
		for route := range uint8(10) {
			f.Add(route, true, seed)
		}
		f.Add(uint8(0), false, seed)
	}
	p := newFormPortal(f)
	f.Fuzz(func(t *testing.T, route uint8, withToken bool, form string) {
		path := p.paths[int(route)%len(p.paths)]
		cookies, token := p.sessionCookies, p.sessionToken
		if path == "/login" {
			cookies, token = p.anonCookies, p.anonToken
		}
		if withToken {
			form = "csrf=" + url.QueryEscape(token) + "&" + form // the first value of a name counts
		}
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", cookies)
		resp, err := p.app.Test(req, 10_000)
		if err != nil {
			t.Fatalf("POST %s: no answer: %v", path, err)
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 500 {
			body, _ := io.ReadAll(resp.Body)
			t.Fatalf("POST %s %q: %d %s", path, form, resp.StatusCode, body)
		}
	})
}
