package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/caseroom/caseroom/pkg/browsertest"
)

// The brand the firm sets before it shares: the pages and the mails must carry it.
const (
	firmName   = "Northwind Advisors"
	firmAccent = "#0b5394"
	walkHours  = 500
	mikkoEmail = "mikko.laine@acme.example"
)

// walker is one contact's walk through the portal in one browser at one width.
type walker struct {
	sc            *scenario
	b             *browsertest.Browser
	email, person string
	width         int64
	shots         string // where the screenshots go
	password      string
	page          int // screenshots so far, for their order
}

// TestPortalWalk walks the whole portal as a customer would, on a desktop (1280 px) and on
// a phone (390 px): the invitation mail, choosing a password, forgetting and resetting it,
// the case list with what waits for approval, paging through 500 hours, approving them in
// bulk, commenting, adding a link and a file, changing the language, logging out. Every
// page is checked by axe-core (no serious or critical violation), must fit the viewport
// (no horizontal scrolling) and is kept as a screenshot (screenshotDir). Rules EXT-2,
// EXT-4, EXT-5, EXT-7, EXT-9.
func TestPortalWalk(t *testing.T) {
	chromium := browsertest.FindChromium(t)
	axe := browsertest.AxeSource(t)
	st := startStack(t)
	sc := &scenario{st: st, api: st.apiURL + "/api/v1"}
	sc.carl = internalLogin(t, st, "carl@northwind.example")
	sc.caseID = findBy(t, must(t, 200)(jsonAPI(t, "GET", sc.api+"/cases?page[size]=100", sc.carl, nil)).list(), "name", caseName)["id"].(string)
	brandTheFirm(t, sc)
	shots := screenshotDir(t)

	for _, w := range []struct {
		email, person string
		width         int64
	}{{ainoEmail, "Aino Virtanen", 1280}, {mikkoEmail, "Mikko Laine", 390}} {
		ok := t.Run(fmt.Sprintf("%d px", w.width), func(t *testing.T) {
			wk := &walker{sc: sc, email: w.email, person: w.person, width: w.width, password: "walked-in-chromium-2026",
				shots: filepath.Join(shots, fmt.Sprintf("%dpx", w.width)), b: browsertest.New(t, chromium, axe)}
			wk.b.Resize(t, w.width, 900)
			enterHours(t, sc, walkHours, w.width)
			wk.invited(t)
			wk.forgetAndReset(t)
			wk.caseList(t)
			wk.pageThroughHours(t)
			wk.staleDecision(t)
			wk.bulkApprove(t)
			wk.commentLinkAndFile(t)
			wk.otherPages(t)
			wk.changeLanguage(t)
			wk.logOut(t)
		})
		if !ok {
			break
		}
	}
	t.Logf("screenshots in %s", shots)
}

// screenshotDir is where the walk's screenshots go: $CASEROOM_TEST_OUTPUT/portal, or
// test-output/portal at the top of the repository (CI keeps that folder).
func screenshotDir(t *testing.T) string {
	base := os.Getenv("CASEROOM_TEST_OUTPUT")
	if base == "" {
		_, here, _, _ := runtime.Caller(0)
		base = filepath.Join(filepath.Dir(here), "..", "..", "..", "test-output")
	}
	dir := filepath.Join(base, "portal")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// brandTheFirm sets the firm's name and accent as its administrator does, in the API.
func brandTheFirm(t *testing.T, sc *scenario) {
	ada := internalLogin(t, sc.st, "ada@northwind.example")
	settings := must(t, http.StatusOK)(jsonAPI(t, "GET", sc.api+"/settings", ada, nil)).one()
	must(t, http.StatusOK)(jsonAPI(t, "PATCH", sc.api+"/settings", ada, map[string]any{"data": map[string]any{
		"type": "settings", "id": "1", "attributes": map[string]any{"version": attr(settings, "version"),
			"organizationName": firmName, "brandAccent": firmAccent}}}))
}

// enterHours has a member of the case enter n hours of work, as the firm's people do every
// day, so that the contact has n hours to page through and approve.
func enterHours(t *testing.T, sc *scenario, n int, salt int64) {
	fay := internalLogin(t, sc.st, "fay@northwind.example")
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	jobs := make(chan int)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				status, d, err := sendJSONAPI("POST", sc.api+"/work-hours", fay, map[string]any{"data": map[string]any{
					"type": "work-hours",
					"attributes": map[string]any{"workDate": time.Now().AddDate(0, 0, -i%90).Format(time.DateOnly), "minutes": 30 + 15*(i%4),
						"description": fmt.Sprintf("Analysis %d-%d", salt, i), "billable": true},
					"relationships": map[string]any{"case": map[string]any{"data": map[string]any{"type": "cases", "id": sc.caseID}}}}})
				if err != nil || status != http.StatusCreated {
					errs <- fmt.Errorf("hour %d: %d %v %v", i, status, d, err)
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	t.Logf("%d hours entered in %s", n, time.Since(start).Round(time.Millisecond))
}

// visit checks the page the browser is on: axe-core, the viewport, a screenshot.
func (w *walker) visit(t *testing.T, name string) {
	t.Helper()
	w.page++
	w.b.Audit(t, name)
	w.b.FitsViewport(t, name)
	w.b.Screenshot(t, w.shots, fmt.Sprintf("%02d-%s", w.page, name))
}

func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// invited shares the case with the contact, reads the invitation through SMTP, follows its
// single-use link and chooses a password (EXT-4, EXT-9).
func (w *walker) invited(t *testing.T) {
	sc := w.sc
	contact := sc.contactID(t, w.email)
	body := shareBody(sc.caseID, contact)
	if sc.share == "" {
		sc.share = must(t, http.StatusCreated)(jsonAPI(t, "POST", sc.api+"/extranet-shares", sc.carl, body)).one()["id"].(string)
	} else {
		sh := must(t, http.StatusOK)(jsonAPI(t, "GET", sc.api+"/extranet-shares/"+sc.share, sc.carl, nil)).one()
		list := append(attr(sh, "contacts").([]any), body["data"].(map[string]any)["attributes"].(map[string]any)["contacts"].([]any)...)
		for _, c := range list {
			for _, only := range []string{"email", "name", "invitedAt", "portalStatus"} {
				delete(c.(map[string]any), only)
			}
		}
		must(t, http.StatusOK)(jsonAPI(t, "PATCH", sc.api+"/extranet-shares/"+sc.share, sc.carl, map[string]any{"data": map[string]any{
			"type": "extranet-shares", "id": sc.share, "attributes": map[string]any{"version": attr(sh, "version"), "contacts": list}}}))
	}
	mail := sc.st.mail.waitFor(t, w.email, 30*time.Second)
	link := lineValue(mail.Text, "Accept the invitation:")
	for _, want := range []string{firmName, "Carl", caseName, w.email} {
		if !strings.Contains(mail.Text, want) || !strings.Contains(mail.HTML, want) {
			t.Errorf("the invitation lacks %q in a part:\n%s", want, mail.Text)
		}
	}
	if strings.Contains(mail.Text, "Temporary password") || !strings.HasPrefix(link, sc.st.portalURL+"/invite/") {
		t.Fatalf("a new firm's invitation carries the link only:\n%s", mail.Text)
	}
	w.b.Step(t, "follow the invitation link", chromedp.Navigate(link), chromedp.WaitVisible(css("#invite-form")))
	w.check(t, "the page carries the firm's brand", `document.querySelector(".brand").textContent.includes(`+jsString(firmName)+`)`)
	w.visit(t, "invitation")
	w.b.Step(t, "continue", chromedp.Click(css("#invite-continue")), chromedp.WaitVisible(css("#password-form")))
	w.check(t, "no current password is asked", `document.querySelector("#current") === null`)
	w.visit(t, "choose-password")
	w.b.Step(t, "choose a password", chromedp.SendKeys(css("#new"), "first-choice-2026!"), chromedp.SendKeys(css("#confirm"), "first-choice-2026!"),
		chromedp.Click(css("#password-submit")), chromedp.WaitVisible(css("#cases")))
}

// forgetAndReset logs out, asks for a reset link, and sets a new password with it; the
// session of before is over (EXT-9).
func (w *walker) forgetAndReset(t *testing.T) {
	w.b.Step(t, "log out", chromedp.Click(css("#logout")), chromedp.WaitVisible(css("#login-form")))
	w.visit(t, "login")
	w.b.Step(t, "forgot the password", chromedp.Click(css("#forgot-link")), chromedp.WaitVisible(css("#forgot-form")))
	w.visit(t, "forgot")
	before := w.sc.st.mail.count(w.email)
	w.b.Step(t, "ask for a link", chromedp.SendKeys(css("#email"), w.email), chromedp.Click(css("#forgot-submit")), chromedp.WaitVisible(css("#sent")))
	w.visit(t, "forgot-sent")
	mail := w.waitForMail(t, before+1)
	link := lineValue(mail.Text, "Choose a new password:")
	if !strings.HasPrefix(link, w.sc.st.portalURL+"/reset/") || !strings.Contains(mail.HTML, firmName) {
		t.Fatalf("the reset mail lacks its link or the firm:\n%s", mail.Text)
	}
	w.b.Step(t, "open the reset link", chromedp.Navigate(link), chromedp.WaitVisible(css("#reset-form")))
	w.visit(t, "reset")
	w.b.Step(t, "set a new password", chromedp.SendKeys(css("#new"), w.password), chromedp.SendKeys(css("#confirm"), w.password),
		chromedp.Click(css("#reset-submit")), chromedp.WaitVisible(css("#cases")))
	w.b.Step(t, "the link works once", chromedp.Navigate(link), chromedp.WaitVisible(css("#forgot-link")))
	w.check(t, "a used link offers no form", `document.querySelector("#reset-form") === null`)
	w.visit(t, "reset-used")
	w.b.Step(t, "back to the cases", chromedp.Navigate(w.sc.st.portalURL+"/cases"), chromedp.WaitVisible(css("#cases")))
}

// waitForMail waits until the contact has n mails and returns the last.
func (w *walker) waitForMail(t *testing.T, n int) message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if got := w.sc.st.mail.To(w.email); len(got) >= n {
			return got[len(got)-1]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s has fewer than %d mails", w.email, n)
	return message{}
}

// caseList shows the shared case with the count of hours waiting for the contact (EXT-5).
func (w *walker) caseList(t *testing.T) {
	w.check(t, "the list counts the hours waiting", fmt.Sprintf(`parseInt(document.querySelector("#waits-%s").textContent.replace(/\D/g, "")) >= %d`,
		w.sc.caseID, walkHours))
	w.visit(t, "cases")
	w.b.Step(t, "open the case", chromedp.Click(css("#cases a.case-link")), chromedp.WaitVisible(css("#case-name")))
	w.visit(t, "case")
}

// pageThroughHours goes to the last page of the hours: the oldest entry can be reached.
func (w *walker) pageThroughHours(t *testing.T) {
	w.b.Step(t, "the last page of the hours", chromedp.Evaluate[chromedp.Void](
		`const pages = document.querySelectorAll("#pager-hours a[aria-label]"); pages[pages.length - 1].click()`),
		chromedp.WaitVisible(css("#hour-list")))
	w.check(t, "the last page shows the oldest hours", `location.search.includes("hours=") && document.querySelectorAll("#hour-list tbody tr").length > 0`)
	w.visit(t, "hours-last-page")
}

// staleDecision approves an hour the firm decided meanwhile: the page says so in place, at
// the row, and shows the hour as it is now.
func (w *walker) staleDecision(t *testing.T) {
	w.b.Step(t, "back to the case", chromedp.Navigate(w.sc.st.portalURL+"/cases/"+w.sc.caseID+"#hours"), chromedp.WaitVisible(css("#hour-list")))
	row := browsertest.Get(t, w.b, "a pending hour", chromedp.AttributeValue(css("#hour-list tr.hour.pending"), "id")).Value
	if row == "" {
		t.Fatal("no pending hour in the list")
	}
	must(t, http.StatusOK)(jsonAPI(t, "POST", w.sc.api+"/work-hours/"+strings.TrimPrefix(row, "hour-")+"/approve", w.sc.carl, nil))
	w.b.Step(t, "approve the hour the owner approved meanwhile", chromedp.Click(css("#"+row+" form.approve button")),
		chromedp.WaitVisible(css("#note.error")))
	w.check(t, "the message sits at the row", `document.querySelector("#note").closest("tr, section") !== null`)
	w.visit(t, "stale-decision")
}

// bulkApprove approves two chosen hours, then all that still wait, in two clicks (EXT-2).
func (w *walker) bulkApprove(t *testing.T) {
	w.b.Step(t, "back to the case", chromedp.Navigate(w.sc.st.portalURL+"/cases/"+w.sc.caseID), chromedp.WaitVisible(css("#waiting-hours")))
	w.b.Step(t, "approve two chosen hours", chromedp.Click(css("#waiting-hours tbody tr:nth-child(1) input[type=checkbox]")),
		chromedp.Click(css("#waiting-hours tbody tr:nth-child(2) input[type=checkbox]")), chromedp.Click(css("#approve-selected")),
		chromedp.WaitVisible(css("#note")))
	w.visit(t, "approved-selected")
	w.b.Step(t, "approve all that wait", chromedp.Click(css("#approve-all")), chromedp.WaitVisible(css("#waiting-none")))
	w.visit(t, "approved-all")
	waiting := must(t, http.StatusOK)(jsonAPI(t, "GET", w.sc.api+"/work-hours?filter[case]="+w.sc.caseID+"&filter[approvalStatus]=pending&page[size]=1",
		w.sc.carl, nil))
	if total := waiting["meta"].(map[string]any)["total"]; total != float64(0) {
		t.Errorf("%v hours still wait in the internal API", total)
	}
}

// commentLinkAndFile comments, adds a link and uploads a file (EXT-2, EXT-7).
func (w *walker) commentLinkAndFile(t *testing.T) {
	comment := fmt.Sprintf("Checked on a %d px screen.", w.width)
	w.b.Step(t, "post a comment", chromedp.SendKeys(css("#comment-body"), comment), chromedp.Click(css("#comment-submit")),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//ul[contains(@class, "comments")]//p[contains(., %q)]`, comment))))
	w.visit(t, "commented")
	link := fmt.Sprintf("Our brief, read at %d px", w.width)
	w.b.Step(t, "add a link", chromedp.SendKeys(css("#link-url"), "https://acme.example/brief"), chromedp.SendKeys(css("#link-name"), link),
		chromedp.Click(css("#link-submit")), chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//a[contains(@class, "link") and contains(., %q)]`, link))))
	file := filepath.Join(t.TempDir(), fmt.Sprintf("notes-%d.txt", w.width))
	if err := os.WriteFile(file, []byte("Steering group notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w.b.Step(t, "upload a file", chromedp.SetUploadFiles(css("#upload-file"), []string{file}), chromedp.Click(css("#upload-submit")),
		chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//a[contains(@class, "download") and contains(., %q)]`, filepath.Base(file)))))
	w.visit(t, "files")
}

// otherPages visits the pages a contact meets on the way: a case that is not theirs, and
// the change of their password.
func (w *walker) otherPages(t *testing.T) {
	w.b.Step(t, "a case not shared", chromedp.Navigate(w.sc.st.portalURL+"/cases/999999"), chromedp.WaitVisible(css("main h1")))
	w.check(t, "it is a page of the portal, with a way back", `document.querySelector("main a[href='/cases']") !== null`)
	w.visit(t, "not-found")
	w.b.Step(t, "the password page", chromedp.Click(css("#nav-password")), chromedp.WaitVisible(css("#password-form")))
	w.check(t, "a change asks for the current password", `document.querySelector("#current") !== null`)
	w.visit(t, "change-password")
}

// changeLanguage chooses Finnish on the preferences page: the pages speak it afterwards.
func (w *walker) changeLanguage(t *testing.T) {
	w.b.Step(t, "open the preferences", chromedp.Click(css("#nav-preferences")), chromedp.WaitVisible(css("#preferences-form")))
	w.visit(t, "preferences")
	w.b.Step(t, "choose Finnish and Helsinki time", chromedp.SetValue(css("#locale"), "fi"), chromedp.SetValue(css("#zone"), "Europe/Helsinki"),
		chromedp.Click(css("#preferences-submit")), chromedp.WaitVisible(css(`html[lang="fi"] #preferences-form`)))
	w.visit(t, "preferences-fi")
	w.b.Step(t, "the case in Finnish", chromedp.Navigate(w.sc.st.portalURL+"/cases/"+w.sc.caseID), chromedp.WaitVisible(css("#case-name")))
	w.check(t, "the case page is in Finnish", `document.documentElement.lang === "fi"`)
	w.visit(t, "case-fi")
}

// logOut ends the session: the case page leads to the login page afterwards (EXT-9).
func (w *walker) logOut(t *testing.T) {
	w.b.Step(t, "log out", chromedp.Click(css("#logout")), chromedp.WaitVisible(css("#login-form")))
	w.visit(t, "logged-out")
	w.b.Step(t, "the case is closed now", chromedp.Navigate(w.sc.st.portalURL+"/cases/"+w.sc.caseID), chromedp.WaitVisible(css("#login-form")))
}

func (w *walker) check(t *testing.T, what, js string) {
	t.Helper()
	w.b.Check(t, what, js)
}

// jsString quotes s for JavaScript.
func jsString(s string) string { return fmt.Sprintf("%q", s) }
