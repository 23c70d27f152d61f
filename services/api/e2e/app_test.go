package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/caseroom/caseroom/pkg/browsertest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/model"
)

const (
	carl     = "carl@northwind.example" // project manager, owner of the case: sees its figures
	erik     = "erik@northwind.example" // employee, member of the case: no financial figures
	ada      = "ada@northwind.example"  // administrator: explains access
	caseName = "Acme strategy review"
	aino     = "aino.virtanen@acme.example"
)

// story is one run through the app; hour is the id of the hour erik enters.
type story struct {
	api    *apiServer
	b      *browsertest.Browser
	caseID string
	hour   string
}

// TestAppInBrowser: CASE-5..8 (figures only for those who may see them), WHA-4 (one's own
// hours refused, with the rule on screen) and an allowed approval, EXT-1 and EXT-4 (a share and its invitation in the
// outbox), USR-4 and ADM-2 (explaining access is for administrators), through the app's
// screens, each checked by axe-core.
func TestAppInBrowser(t *testing.T) {
	chromium := browsertest.FindChromium(t)
	axe := browsertest.AxeSource(t)
	s := &story{api: startAPI(t)}
	s.b = browsertest.New(t, chromium, axe)
	s.b.SelfTest(t)

	// One browser, one story: each part starts where the one before it ended.
	_ = t.Run("an employee without financial figures", s.asErik) &&
		t.Run("the case owner", s.asCarl) &&
		t.Run("an administrator", s.asAda)
}

// click clicks the element a CSS selector finds.
func click(sel string) chromedp.Action[chromedp.Void] { return chromedp.Click(chromedp.CSS(sel)) }

// appears waits for an XPath to find a visible element.
func appears(xpath string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.Search(xpath))
}

// login logs in through the login screen, which any page of the app leads to.
func (s *story) login(t *testing.T, email string) {
	t.Helper()
	s.b.Step(t, "open the app", chromedp.Navigate(s.api.url+"/app/"), visible("#login-form"))
	s.b.Screen(t, "log in")
	s.b.Step(t, "log in as "+email,
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), demo.Password),
		click("#login-submit"),
		visible("#cases"),
		visible("#who-name"),
	)
	s.b.Screen(t, "cases of "+email)
}

func (s *story) logout(t *testing.T) {
	t.Helper()
	s.b.Step(t, "log out", click("#logout"), visible("#login-form"))
	s.b.Check(t, "the token is gone", `sessionStorage.getItem("caseroom.token") === null`)
}

// openCase follows the case's link in the list.
func (s *story) openCase(t *testing.T) {
	t.Helper()
	s.b.Step(t, "open "+caseName,
		chromedp.Click(chromedp.Search(fmt.Sprintf(`//a[@class="case-link"][normalize-space()=%q]`, caseName))),
		visible("#case-name"), visible("#hour-table"))
	loc := browsertest.Get(t, s.b, "read the case's address", chromedp.Location())
	s.caseID = loc[strings.LastIndex(loc, "/")+1:]
	s.b.Screen(t, "the case")
}

// asErik: no financial columns anywhere; enters an hour; a refusal names its rules.
func (s *story) asErik(t *testing.T) {
	s.login(t, erik)
	// Erik owns another case, so the list has figure columns; this case's row has none.
	s.b.Check(t, "CASE-6: the list shows no figures of a case erik is a member of", fmt.Sprintf(`(() => {
		const row = [...document.querySelectorAll("#cases tbody tr")].find((tr) => tr.querySelector("th").textContent === %q);
		const cells = [...row.querySelectorAll("td.num")];
		return cells.length > 0 && cells.every((td) => td.textContent === "not shown") })()`, caseName))
	s.openCase(t)
	s.b.Check(t, "CASE-6: no figures of the case for a plain member",
		`!document.querySelector("#case-figures") && !!document.querySelector("#no-figures")`)
	s.b.Check(t, "erik sees only his own hours (with their price, which is his own data)",
		`[...document.querySelectorAll("#hour-table tbody tr td:nth-child(2)")].every((td) => td.textContent === "Erik Strategist")`)

	s.b.Step(t, "enter an hour",
		chromedp.SetValue(chromedp.CSS("#hour-hours"), "2.5"),
		chromedp.SendKeys(chromedp.CSS("#hour-description"), "Interview notes from the browser"),
		click("#hour-submit"),
		appears(`//tr[contains(@class,"hour")][td[normalize-space()="Interview notes from the browser"]]`),
	)
	id := browsertest.Get(t, s.b, "find the new hour", chromedp.AttributeValue(
		chromedp.Search(`//tr[contains(@class,"pending")][td[normalize-space()="Interview notes from the browser"]]`), "id"))
	s.hour = strings.TrimPrefix(id.Value, "hour-")
	if s.hour == "" {
		t.Fatalf("the new hour's row has no id")
	}
	if got := s.b.Text(t, "#hours-status"); got != "Your hours were saved." {
		t.Fatalf("status %q", got)
	}
	s.b.Audit(t, "the case after entering an hour")

	s.b.Step(t, "an explanation is for administrators",
		chromedp.Navigate(fmt.Sprintf("%s/app/access?user=1&action=view&resource=cases/%s", s.api.url, s.caseID)),
		visible("#explain-answer .error"))
	if got := s.b.Text(t, "#explain-answer .error"); !strings.Contains(got, "You may not do this.") || !strings.Contains(got, "Refused by rules USR-4 and ADM-2.") {
		t.Fatalf("the refusal reads %q", got)
	}
	s.b.Screen(t, "a refusal")
	s.logout(t)
}

// asCarl: the financial columns; approves erik's hour, rejects another; shares the case.
func (s *story) asCarl(t *testing.T) {
	s.login(t, carl)
	s.b.Check(t, "the list shows the owner's figures", `document.querySelector("#cases").dataset.financials === "shown"`)
	s.openCase(t)
	s.b.Check(t, "the owner sees the case's figures", `!!document.querySelector("#case-figures") && !document.querySelector("#no-figures")`)
	s.b.Check(t, "the owner sees the price and cost of others' hours",
		`["Unit price", "Price", "Unit cost", "Cost"].every((c) => [...document.querySelectorAll("#hour-table thead th")].some((th) => th.textContent === c)) &&
		 [...document.querySelectorAll("#hour-table tbody tr")].some((tr) => tr.cells[1].textContent !== "Carl Consulting-Lead" && /[0-9]/.test(tr.cells[8].textContent))`)

	row := "#hour-" + s.hour
	s.b.Step(t, "approve erik's hour", click(row+" button.approve"), visible(row+".approved"))
	if got := s.b.Text(t, "#hours-status"); got != "The hours were approved." {
		t.Fatalf("status %q", got)
	}
	own := pendingRow(t, s.b, "Carl Consulting-Lead")
	s.b.Step(t, "WHA-4: approving one's own hours is refused", click("#"+own+" button.approve"), visible("#hours .error"))
	if got := s.b.Text(t, "#hours .error"); !strings.Contains(got, "You may not do this.") || !strings.Contains(got, "Refused by rule WHA-4.") {
		t.Fatalf("the refusal reads %q", got)
	}
	s.b.Audit(t, "a refused approval")
	other := pendingRow(t, s.b, "Fay Strategist")
	s.b.Step(t, "reject it with a comment",
		chromedp.SendKeys(chromedp.CSS("#"+other+" input.reject-comment"), "Please split by phase"),
		click("#"+other+" form.reject button"),
		visible("#"+other+".rejected"))
	s.b.Audit(t, "the case after deciding hours")

	// The firm's invitations carry the temporary password (a new firm's carry the link only).
	if _, err := s.api.db.NewUpdate().Model((*model.Settings)(nil)).Set("invite_sends_password = TRUE").Where("id = 1").
		Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.b.Step(t, "open sharing", click("#share-link"), visible("#share-form"), visible("#not-shared"))
	s.b.Screen(t, "sharing")
	s.b.Step(t, "share with a contact",
		click(fmt.Sprintf(`input.invite[data-email=%q]`, aino)),
		click("#share-showPhases"),
		click("#share-showOther"),
		click("#share-showFiles"), // EXT-3: within Other, files and links stay the firm's
		click("#share-submit"),
		visible("#share-saved"),
		visible("#share-contacts"),
	)
	if got := s.b.Text(t, "#share-contacts tbody"); !strings.Contains(got, aino) || !strings.Contains(got, "invited") {
		t.Fatalf("the share lists %q", got)
	}
	s.b.Screen(t, "sharing, saved")
	s.b.Check(t, "EXT-3: the share keeps files out of the Other section",
		`!document.querySelector("#share-showFiles").checked && document.querySelector("#share-showHours").checked`)
	mails := s.api.outbox(t, aino)
	if len(mails) != 1 || !strings.Contains(mails[0].BodyText, "http://portal.test") || !strings.Contains(mails[0].BodyText, "Temporary password") {
		t.Fatalf("EXT-4: want one invitation in the outbox, got %d: %+v", len(mails), mails)
	}
	s.logout(t)
}

// pendingRow returns the id of a pending hour of the person in the case's hour table.
func pendingRow(t *testing.T, b *browsertest.Browser, person string) string {
	t.Helper()
	id := browsertest.Get(t, b, "find a pending hour of "+person, chromedp.AttributeValue(chromedp.Search(
		fmt.Sprintf(`//table[@id="hour-table"]//tr[contains(@class,"pending")][td[1][normalize-space()=%q]]`, person)), "id")).Value
	if id == "" {
		t.Fatalf("no pending hour of %s", person)
	}
	return id
}

// asAda: paging, sorting and filtering the list; who can see the case, and why.
func (s *story) asAda(t *testing.T) {
	s.login(t, ada)
	s.b.Step(t, "two cases a page", chromedp.Navigate(s.api.url+"/app/cases?size=2"), appears(`//caption[starts-with(., "Page 1 of 2,")]`))
	s.b.Step(t, "Z to A",
		chromedp.SetValue(chromedp.CSS("#sort"), "-name"),
		click(`#case-filters button[type="submit"]`),
		// the new page, not the one still on screen while it loads
		appears(`//main[not(@aria-busy="true")][.//select[@id="sort"]/option[@value="-name"][@selected]]//caption[starts-with(., "Page 1 of ")]`))
	s.b.Check(t, "two rows, Z to A", `(() => {
		const names = [...document.querySelectorAll("#cases tbody th")].map((th) => th.textContent);
		return names.length === 2 && names[0].localeCompare(names[1]) > 0 })()`)
	s.b.Screen(t, "cases, page 1")
	first := s.b.Text(t, "#cases tbody th")
	s.b.Step(t, "the next page", click("a.page-next"), appears(`//caption[starts-with(., "Page 2 of ")]`))
	if next := s.b.Text(t, "#cases tbody th"); next == first || strings.Compare(next, first) > 0 {
		t.Fatalf("page 2 starts with %q after %q", next, first)
	}
	s.b.Screen(t, "cases, page 2")
	s.b.Step(t, "filter by a status nobody has",
		chromedp.SetValue(chromedp.CSS("#filter-status"), "closed"),
		click(`#case-filters button[type="submit"]`),
		visible("#no-cases"))

	s.b.Step(t, "who can see the case", chromedp.Navigate(fmt.Sprintf("%s/app/cases/%s/viewers", s.api.url, s.caseID)), visible("#viewers"))
	viewers := s.b.Text(t, "#viewers tbody")
	for _, name := range []string{"Carl", "Erik"} {
		if !strings.Contains(viewers, name) {
			t.Fatalf("%s is not among the viewers: %q", name, viewers)
		}
	}
	s.b.Screen(t, "viewers")
	s.b.Step(t, "why erik can see it",
		chromedp.Click(chromedp.Search(`//table[@id="viewers"]//a[starts-with(., "Erik")]`)),
		visible("#explain-answer"))
	s.b.Check(t, "erik may view the case, by rule", `document.querySelector("#explain-answer [data-allowed]").dataset.allowed === "true" &&
		/Decided by rules? [A-Z]+-[0-9]+/.test(document.querySelector("#explain-answer .rules").textContent)`)
	s.b.Screen(t, "explain")
	s.logout(t)
}
