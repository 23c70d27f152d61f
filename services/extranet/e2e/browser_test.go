// Package e2e runs both services as built binaries and drives the portal in a real
// headless Chromium: a case is shared in the internal API, the invitation arrives by SMTP,
// the contact logs in, sets a password, approves, comments and uploads, and the internal
// API then shows all of it as done by that contact.
package e2e

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caseroom/caseroom/pkg/browsertest"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/model"
)

const (
	ainoEmail = "aino.virtanen@acme.example"
	svenEmail = "sven.berg@globex.example"
	caseName  = "Acme strategy review"
)

// scenario is one run of the story: the stack, the employee's token, the ids it needs,
// and what the contact did in the browser.
type scenario struct {
	st                 *stack
	api                string // base of the internal API
	carl               string // the case owner's token
	caseID, aino, sven string
	share              string
	temporary, chosen  string // the contact's passwords
	hourID             string // the hour the contact approved
	comment, upload    string
}

// rules EXT-1, EXT-4, EXT-5, EXT-7, EXT-8, EXT-9, end to end.
func TestPortalInBrowser(t *testing.T) {
	chromium := browsertest.FindChromium(t)
	st := startStack(t)
	began := time.Now()
	sc := &scenario{st: st, api: st.apiURL + "/api/v1", chosen: "chosen-in-the-browser-2026",
		comment: "Looks good from Acme's side.", upload: filepath.Join(t.TempDir(), "steering-notes.txt")}
	sc.carl = internalLogin(t, st, "carl@northwind.example")
	sc.caseID = findBy(t, must(t, 200)(jsonAPI(t, "GET", sc.api+"/cases?page[size]=100", sc.carl, nil)).list(), "name", caseName)["id"].(string)
	sc.aino = sc.contactID(t, ainoEmail)
	sc.sven = sc.contactID(t, svenEmail)

	sc.shareCase(t)
	t.Logf("invitation received %s after the start", time.Since(began).Round(time.Millisecond))
	ctx := browsertest.New(t, chromium, "").Ctx
	sc.browse(t, ctx)
	sc.checkInternalAPI(t)
	sc.checkTokensAndUnsharing(t, ctx)
	t.Logf("end to end in %s", time.Since(began).Round(time.Millisecond))
}

func (sc *scenario) contactID(t *testing.T, email string) string {
	t.Helper()
	list := must(t, 200)(jsonAPI(t, "GET", sc.api+"/contacts?filter[email]="+email, sc.carl, nil)).list()
	if len(list) != 1 {
		t.Fatalf("%d contacts with %s", len(list), email)
	}
	return list[0]["id"].(string)
}

// shareCase shares the case in the internal API as its owner (EXT-1) and reads the
// invitation mail (EXT-4).
func (sc *scenario) shareCase(t *testing.T) {
	t.Run("EXT-1: a user who is not owner-like cannot share the case", func(t *testing.T) {
		gus := internalLogin(t, sc.st, "gus@northwind.example")
		status, _ := jsonAPI(t, "POST", sc.api+"/extranet-shares", gus, shareBody(sc.caseID, sc.aino))
		if status != http.StatusForbidden && status != http.StatusNotFound {
			t.Fatalf("status %d, want 403 or 404", status)
		}
	})
	t.Run("EXT-1: a contact of another account cannot be invited", func(t *testing.T) {
		status, _ := jsonAPI(t, "POST", sc.api+"/extranet-shares", sc.carl, shareBody(sc.caseID, sc.sven))
		if status < 400 || status >= 500 {
			t.Fatalf("status %d, want a refusal", status)
		}
	})
	sc.st.invitationsSendPassword(t)
	sc.share = must(t, http.StatusCreated)(jsonAPI(t, "POST", sc.api+"/extranet-shares", sc.carl, shareBody(sc.caseID, sc.aino))).
		one()["id"].(string)
	// EXT-4: the newly invited contact gets the portal address, a single-use link and a
	// temporary password by mail.
	mail := sc.st.mail.waitFor(t, ainoEmail, 30*time.Second)
	link := lineValue(mail.Text, "Accept the invitation:")
	sc.temporary = lineValue(mail.Text, "Temporary password:")
	if !strings.HasPrefix(link, sc.st.portalURL+"/invite/") || len(sc.temporary) < 12 || !strings.Contains(mail.Text, sc.st.portalURL) {
		t.Fatalf("invitation mail lacks the link, password or portal address:\n%s", mail.Text)
	}
	if n := sc.st.mail.count(svenEmail); n != 0 {
		t.Fatalf("%d mails to the contact who was refused", n)
	}
}

// invitationsSendPassword makes the firm's invitations carry the temporary password next
// to the link (a new firm's carry the link only), as the scenario logs in with it (EXT-4).
func (st *stack) invitationsSendPassword(t *testing.T) {
	t.Helper()
	d, err := db.Open(st.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.NewUpdate().Model((*model.Settings)(nil)).Set("invite_sends_password = TRUE").Where("id = 1").
		Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// browse is what the contact does in Chromium: log in with the temporary password, set
// their own, open the case, approve an hour, comment and upload a file.
func (sc *scenario) browse(t *testing.T, ctx context.Context) {
	if err := os.WriteFile(sc.upload, []byte("Steering group notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	css := func(sel string) chromedp.CSS { return chromedp.CSS(sel) }
	steps := []struct {
		name string
		run  func(ctx context.Context) error
	}{
		{"log in with the temporary password", func(ctx context.Context) error {
			return chromedp.Do(ctx, chromedp.Navigate(sc.st.portalURL+"/login"), chromedp.SendKeys(css("#email"), ainoEmail),
				chromedp.SendKeys(css("#password"), sc.temporary), chromedp.Click(css("#login-submit")), chromedp.WaitVisible(css("#password-form")))
		}},
		{"set a new password", func(ctx context.Context) error {
			// EXT-9: right after logging in with it, the temporary password is not asked again.
			return chromedp.Do(ctx, chromedp.SendKeys(css("#new"), sc.chosen),
				chromedp.SendKeys(css("#confirm"), sc.chosen), chromedp.Click(css("#password-submit")), chromedp.WaitVisible(css("#cases")))
		}},
		{"open the case", func(ctx context.Context) error {
			return chromedp.Do(ctx, chromedp.Click(css("#cases a.case-link")), chromedp.WaitVisible(css("#case-name")))
		}},
		{"approve an hour", func(ctx context.Context) error {
			row, err := chromedp.Run(ctx, chromedp.AttributeValue(css("tr.hour.pending"), "id"))
			if err != nil {
				return err
			}
			sc.hourID = strings.TrimPrefix(row.Value, "hour-")
			return chromedp.Do(ctx, chromedp.Click(css("#"+row.Value+" form.approve button")), chromedp.WaitVisible(css("#"+row.Value+".approved")))
		}},
		{"post a comment", func(ctx context.Context) error {
			return chromedp.Do(ctx, chromedp.SendKeys(css("#comment-body"), sc.comment), chromedp.Click(css("#comment-submit")),
				chromedp.WaitVisible(chromedp.Search(`//ul[@class="comments"]//p[contains(., "Looks good from Acme")]`)))
		}},
		{"upload a file", func(ctx context.Context) error {
			return chromedp.Do(ctx, chromedp.SetUploadFiles(css("#upload-file"), []string{sc.upload}),
				chromedp.Click(css("#upload-submit")), chromedp.WaitVisible(css("#files a.download")))
		}},
	}
	for _, s := range steps {
		start := time.Now()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := s.run(sctx)
		cancel()
		if err != nil {
			page, _ := chromedp.Run(ctx, chromedp.OuterHTML(css("html")))
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			t.Fatalf("%s: %v\nat %s:\n%s", s.name, err, loc, tail(page, 4000))
		}
		t.Logf("browser: %s (%s)", s.name, time.Since(start).Round(time.Millisecond))
	}
}

// checkInternalAPI proves EXT-7: all three are saved at once and visible in the internal
// service as done by the contact, in the records and in the change history.
func (sc *scenario) checkInternalAPI(t *testing.T) {
	t.Run("EXT-7: the hour is approved by the contact", func(t *testing.T) {
		h := must(t, 200)(jsonAPI(t, "GET", sc.api+"/work-hours/"+sc.hourID, sc.carl, nil)).one()
		if attr(h, "approvalStatus") != "approved" || relID(h, "approvedByContact") != sc.aino {
			t.Fatalf("hour %v", h)
		}
	})
	t.Run("EXT-7: the comment is there, by the contact", func(t *testing.T) {
		cm := findBy(t, must(t, 200)(jsonAPI(t, "GET", sc.api+"/comments?filter[case]="+sc.caseID, sc.carl, nil)).list(), "body", sc.comment)
		if relID(cm, "authorContact") != sc.aino || attr(cm, "targetType") != "case" {
			t.Fatalf("comment %v", cm)
		}
	})
	t.Run("EXT-7: the file is there, by the contact, with its content", func(t *testing.T) {
		f := findBy(t, must(t, 200)(jsonAPI(t, "GET", sc.api+"/files?filter[case]="+sc.caseID, sc.carl, nil)).list(), "name", "steering-notes.txt")
		if relID(f, "uploadedByContact") != sc.aino {
			t.Fatalf("file %v", f)
		}
		if body := rawGet(t, sc.api+"/files/"+f["id"].(string)+"/content", sc.carl); string(body) != "Steering group notes\n" {
			t.Fatalf("content %q", body)
		}
	})
	t.Run("EXT-7: the change history names the contact", func(t *testing.T) {
		entries := must(t, 200)(jsonAPI(t, "GET", sc.api+"/change-history?filter[case]="+sc.caseID+"&page[size]=100", sc.carl, nil)).list()
		byContact := map[string]bool{}
		for _, e := range entries {
			if relID(e, "actorContact") == sc.aino {
				byContact[attr(e, "resourceType").(string)] = true
			}
		}
		for _, kind := range []string{"work-hours", "comments", "files"} {
			if !byContact[kind] {
				t.Errorf("no %s entry by the contact in %d entries", kind, len(entries))
			}
		}
	})
}

// checkTokensAndUnsharing proves EXT-8 (neither service accepts the other's tokens) and
// EXT-9 (removing the share ends the contact's access on the next request).
func (sc *scenario) checkTokensAndUnsharing(t *testing.T, ctx context.Context) {
	portal := must(t, http.StatusCreated)(jsonAPI(t, "POST", sc.st.portalURL+"/portal/v1/sessions", "", map[string]any{
		"data": map[string]any{"type": "sessions", "attributes": map[string]any{"email": ainoEmail, "password": sc.chosen}}})).
		one()["attributes"].(map[string]any)["token"].(string)
	t.Run("EXT-8: a contact token is refused by the internal API", func(t *testing.T) {
		must(t, http.StatusUnauthorized)(jsonAPI(t, "GET", sc.api+"/cases", portal, nil))
	})
	t.Run("EXT-8: an internal token is refused by the portal", func(t *testing.T) {
		must(t, http.StatusUnauthorized)(jsonAPI(t, "GET", sc.st.portalURL+"/portal/v1/cases", sc.carl, nil))
	})
	t.Run("EXT-9: un-sharing ends the session at once", func(t *testing.T) {
		caseURL := sc.st.portalURL + "/portal/v1/cases/" + sc.caseID
		must(t, http.StatusOK)(jsonAPI(t, "GET", caseURL, portal, nil))
		if status, _ := jsonAPI(t, "DELETE", sc.api+"/extranet-shares/"+sc.share, sc.carl, nil); status != http.StatusNoContent && status != http.StatusOK {
			t.Fatalf("delete share: %d", status)
		}
		must(t, http.StatusUnauthorized)(jsonAPI(t, "GET", caseURL, portal, nil))
		rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		err := chromedp.Do(rctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#login-form")))
		loc, _ := chromedp.Run(rctx, chromedp.Location())
		if u, perr := url.Parse(loc); err != nil || perr != nil || u.Path != "/login" {
			t.Fatalf("the browser is at %q (%v), want the login page", loc, err)
		}
	})
}

func internalLogin(t *testing.T, st *stack, email string) string {
	t.Helper()
	d := must(t, http.StatusCreated)(jsonAPI(t, "POST", st.apiURL+"/api/v1/sessions", "", map[string]any{
		"data": map[string]any{"type": "sessions", "attributes": map[string]any{"email": email, "password": "caseroom-demo"}}}))
	return d.one()["attributes"].(map[string]any)["token"].(string)
}

// shareBody shares the case with one contact: every section; approve, comment, upload.
func shareBody(caseID, contactID string) map[string]any {
	return map[string]any{"data": map[string]any{
		"type": "extranet-shares",
		"attributes": map[string]any{"showFinancials": true, "showPhases": true, "showOther": true,
			"contacts": []any{map[string]any{"contact": contactID, "canApprove": true, "canComment": true, "canUpload": true,
				"canChangeStatus": false, "expiresAt": nil}}},
		"relationships": map[string]any{"case": map[string]any{"data": map[string]any{"type": "cases", "id": caseID}}},
	}}
}

func rawGet(t *testing.T, url, token string) []byte {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	io.Copy(&buf, resp.Body) //nolint:errcheck
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, buf.Bytes())
	}
	return buf.Bytes()
}
