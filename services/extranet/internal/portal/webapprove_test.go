package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/work"
)

// waitingPicks returns the hour=ID:VERSION values of the list of what waits.
func waitingPicks(body string) []string {
	var out []string
	for _, m := range pickValue.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+":"+m[2])
	}
	return out
}

var seenField = regexp.MustCompile(`name="seen" value="([^"]*)"`)

// seenOf returns the snapshot of what waits that a case page carries for "approve all".
func seenOf(t *testing.T, page response) string {
	t.Helper()
	m := seenField.FindSubmatch(page.Body)
	if m == nil {
		t.Fatalf("the page carries no snapshot of what waits:\n%s", page.Body)
	}
	return string(m[1])
}

// rule EXT-2: "approve all" approves what the page showed as waiting and nothing else. An
// hour the firm changed or added after the page was rendered stops it whole: nothing is
// approved, and the page says so where the list is, with what waits now; from that page
// (or any fresh one) approving all works.
func TestApproveAllAsSeen(t *testing.T) {
	e := newEnv(t)
	caseID := e.caseID(strategy)
	casePath := "/cases/" + id(caseID)
	b := e.sharedBrowser(t)
	ctx := context.Background()
	svc := work.New(domain.NewEnv(e.db, e.clock.Now))
	carl := domaintest.Employee(t, e.db, "carl")
	pending := func() int64 {
		return e.rowCount("work_hours", "case_id = ? AND approval_status = 'pending' AND invoice_id IS NULL", caseID)
	}
	allForm := func(page response) url.Values {
		return url.Values{"csrf": {b.csrf(page)}, "which": {"all"}, "seen": {seenOf(t, page)}}
	}
	refused := func(t *testing.T, r response, want string) {
		t.Helper()
		r.must(t, http.StatusPreconditionFailed)
		if at := noteRow(t, r); at != "waiting" {
			t.Fatalf("the message is at %q", at)
		}
		if note := noteText(t, string(r.Body)); !strings.Contains(note, want) || !strings.Contains(note, "Nothing was approved") {
			t.Fatalf("the message: %s", note)
		}
	}

	t.Run("an hour edited by the firm after the page was opened", func(t *testing.T) {
		page := b.get(casePath).must(t, http.StatusOK)
		edited := atoi(strings.Split(waitingPicks(string(page.Body))[0], ":")[0])
		text := "Edited by the firm"
		if _, err := svc.UpdateHour(ctx, carl, edited, work.HourInput{Description: &text}, domain.Expect{}); err != nil {
			t.Fatal(err)
		}
		r := b.post(casePath+"/hours/approve", allForm(page))
		refused(t, r, "The hours waiting for you changed since you opened the page: 6 wait now.")
		if n := pending(); n != 6 {
			t.Fatalf("%d hours wait, want all 6: something was approved", n)
		}
		if !strings.Contains(string(r.Body), "Edited by the firm") {
			t.Fatal("the page does not show the hour as it is now")
		}
		t.Run("from the page that said so, approving all works", func(t *testing.T) {
			b.post(casePath+"/hours/approve", allForm(r)).must(t, http.StatusOK)
			if n := pending(); n != 0 {
				t.Fatalf("%d hours still wait", n)
			}
		})
	})
	t.Run("an hour added by the firm after the page was opened", func(t *testing.T) {
		e.addHours(caseID, 2)
		page := b.get(casePath).must(t, http.StatusOK)
		date, minutes := "2026-11-23", 90
		if _, err := svc.CreateHour(ctx, carl, work.HourInput{CaseID: &caseID, WorkDate: &date, Minutes: &minutes}); err != nil {
			t.Fatal(err)
		}
		refused(t, b.post(casePath+"/hours/approve", allForm(page)), "3 wait now")
		if n := pending(); n != 3 {
			t.Fatalf("%d hours wait, want 3", n)
		}
		r := b.post(casePath+"/hours/approve", allForm(b.get(casePath))).must(t, http.StatusOK)
		if note := noteText(t, string(r.Body)); !strings.Contains(note, "3 work hours approved.") {
			t.Fatalf("result: %s", note)
		}
	})
	t.Run("a form without the snapshot approves nothing", func(t *testing.T) {
		e.addHours(caseID, 1)
		page := b.get(casePath)
		refused(t, b.post(casePath+"/hours/approve", url.Values{"csrf": {b.csrf(page)}, "which": {"all"}}), "1 waits now")
		if n := pending(); n != 1 {
			t.Fatalf("%d hours wait, want 1", n)
		}
	})
	t.Run("in Finnish", func(t *testing.T) {
		page := b.get(casePath)
		e.addHours(caseID, 1)
		fi := e.browser(t)
		fi.cookies, fi.lang = b.cookies, "fi"
		r := fi.post(casePath+"/hours/approve", url.Values{"csrf": {b.csrf(page)}, "which": {"all"}, "seen": {seenOf(t, page)}}).
			must(t, http.StatusPreconditionFailed)
		if note := noteText(t, string(r.Body)); !strings.Contains(note, "nyt odottaa 2 työtuntia") {
			t.Fatalf("the message: %s", note)
		}
	})
}

// rules EXT-2, EXT-6, WHA-8: what waits for the contact's approval comes first, and hours
// are approved in bulk, each through the one shared decision (work.Service.DecideHour);
// what changed meanwhile, is invoiced or is already decided is skipped, and said so.
func TestBulkApproval(t *testing.T) {
	e := newEnv(t)
	caseID := e.caseID(strategy)
	casePath := "/cases/" + id(caseID)
	b := e.sharedBrowser(t)
	ctx := context.Background()

	body, _ := b.page(casePath, http.StatusOK)
	if w, h := strings.Index(body, `id="waiting"`), strings.Index(body, `id="hours"`); w < 0 || w > h {
		t.Fatal("the hours waiting for approval are not the first section")
	}
	picks := waitingPicks(body)
	if len(picks) != 6 {
		t.Fatalf("%d hours wait, want the demo's 6: %v", len(picks), picks)
	}
	t.Run("approve selected: one changed meanwhile, one invoiced, one already decided", func(t *testing.T) {
		stale, decided := atoi(strings.Split(picks[2], ":")[0]), atoi(strings.Split(picks[3], ":")[0])
		if _, err := e.db.NewUpdate().Model((*model.WorkHour)(nil)).Set("description = 'Edited by the firm', version = version + 1").
			Where("id = ?", stale).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.NewUpdate().Model((*model.WorkHour)(nil)).Set("approval_status = 'rejected', reject_comment = 'No', version = version + 1").
			Where("id = ?", decided).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		var invoiced model.WorkHour
		if err := e.db.NewSelect().Model(&invoiced).Where("case_id = ? AND invoice_id IS NOT NULL", caseID).Limit(1).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"csrf": {b.csrf(b.get(casePath))}, "which": {"selected"},
			"hour": {picks[0], picks[1], picks[2], picks[3], id(invoiced.ID) + ":" + id(invoiced.Version)}}
		r := b.post(casePath+"/hours/approve", form).must(t, http.StatusOK)
		if at := noteRow(t, r); at != "waiting" {
			t.Fatalf("the result is at %q", at)
		}
		note := noteText(t, string(r.Body))
		for _, want := range []string{"2 work hours approved.", "3 were left as they were:",
			`id="skipped-` + id(stale) + `"`, "it changed after you opened the page",
			`id="skipped-` + id(decided) + `"`, "someone decided it meanwhile (Rejected)",
			`id="skipped-` + id(invoiced.ID) + `"`, "it is already invoiced"} {
			if !strings.Contains(note, want) {
				t.Errorf("the result lacks %q:\n%s", want, note)
			}
		}
		for i, p := range picks[:2] {
			if h := e.hourOf(atoi(strings.Split(p, ":")[0])); h.ApprovalStatus != "approved" || h.ApprovedByContactID == nil {
				t.Errorf("selected hour %d: %s", i, h.ApprovalStatus)
			}
		}
		if h := e.hourOf(stale); h.ApprovalStatus != "pending" {
			t.Errorf("the hour changed meanwhile is %s", h.ApprovalStatus)
		}
		if h := e.hourOf(invoiced.ID); h.Version != invoiced.Version {
			t.Error("the invoiced hour changed")
		}
	})
	t.Run("nothing ticked says so in place", func(t *testing.T) {
		r := b.post(casePath+"/hours/approve", url.Values{"csrf": {b.csrf(b.get(casePath))}, "which": {"selected"}}).must(t, http.StatusBadRequest)
		if at := noteRow(t, r); at != "waiting" || !strings.Contains(string(r.Body), "Tick the hours to approve first") {
			t.Fatalf("the message is at %q", at)
		}
	})
	t.Run("a ticked hour of another case is never decided", func(t *testing.T) {
		other := e.firstID("work_hours", e.caseID(pricing))
		r := b.post(casePath+"/hours/approve", url.Values{"csrf": {b.csrf(b.get(casePath))}, "which": {"selected"},
			"hour": {id(other) + ":1"}}).must(t, http.StatusOK)
		if !strings.Contains(noteText(t, string(r.Body)), "it is no longer shown to you") || e.hourOf(other).ApprovalStatus != "pending" {
			t.Fatal("an hour of another account's case was touched or not reported")
		}
	})
	t.Run("500 hours in one click", func(t *testing.T) {
		e.addHours(caseID, 500)
		body, _ := b.page(casePath, http.StatusOK)
		if !strings.Contains(body, "Approve all 503 waiting") {
			t.Fatalf("no button for all: %s", body)
		}
		page := b.get(casePath)
		r := b.post(casePath+"/hours/approve", url.Values{"csrf": {b.csrf(page)}, "which": {"all"}, "seen": {seenOf(t, page)}}).
			must(t, http.StatusOK)
		if note := noteText(t, string(r.Body)); !strings.Contains(note, "503 work hours approved.") || strings.Contains(note, "left as") {
			t.Fatalf("result: %s", note)
		}
		if n := e.rowCount("work_hours", "case_id = ? AND approval_status = 'pending' AND invoice_id IS NULL", caseID); n != 0 {
			t.Fatalf("%d hours still wait", n)
		}
		if !strings.Contains(string(r.Body), `id="waiting-none"`) {
			t.Fatal("the page does not say that nothing waits any more")
		}
	})
	t.Run("rule EXT-2: without the Approve right there is no list and no bulk approval", func(t *testing.T) {
		e.invite(e.share(migration, allSections), aino, rights{comment: true}, nil)
		mid := e.caseID(migration)
		body, _ := b.page("/cases/"+id(mid), http.StatusOK)
		if strings.Contains(body, `id="waiting"`) || strings.Contains(body, `id="bulk-form"`) {
			t.Fatal("a list of what waits without the Approve right")
		}
		r := b.post("/cases/"+id(mid)+"/hours/approve", url.Values{"csrf": {b.csrf(b.get(casePath))}, "which": {"all"}}).
			must(t, http.StatusForbidden)
		if !strings.Contains(string(r.Body), "You may not approve work hours of this case.") {
			t.Fatalf("page: %s", r.Body)
		}
		b.post("/cases/"+id(e.caseID(pricing))+"/hours/approve", url.Values{"csrf": {b.csrf(b.get(casePath))}, "which": {"all"}}).
			must(t, http.StatusNotFound)
	})
}

// rules EXT-2, EXT-6, WHA-8: the ticked hours are rejected at once for one reason, each
// through the one shared decision; an invoiced one is skipped and said so, a blank reason or
// nothing ticked decides nothing and says so in place, and there is no "reject all".
func TestBulkRejection(t *testing.T) {
	e := newEnv(t)
	contact := e.contactID(aino)
	caseID := e.caseID(strategy)
	casePath := "/cases/" + id(caseID)
	b := e.sharedBrowser(t)
	body, _ := b.page(casePath, http.StatusOK)
	if !strings.Contains(body, `formaction="/cases/`+id(caseID)+`/hours/reject" id="reject-selected"`) ||
		!strings.Contains(body, `<label for="bulk-reason">Why do you reject the selected hours?</label>`) {
		t.Fatal("the list of what waits has no labelled bulk rejection")
	}
	form := body[strings.Index(body, `id="bulk-form"`):]
	if first := form[strings.Index(form, `<button`):]; !strings.HasPrefix(first, `<button type="submit" disabled hidden`) {
		t.Fatalf("the bulk form's default button (what Enter in the reason field presses) is not a disabled one: %.120s", first)
	}
	picks := waitingPicks(body)
	if len(picks) < 3 {
		t.Fatalf("%d hours wait: %v", len(picks), picks)
	}
	hourID := func(pick string) int64 { return atoi(strings.Split(pick, ":")[0]) }
	t.Run("a blank reason rejects nothing and keeps the ticks and the page in place", func(t *testing.T) {
		r := b.post(casePath+"/hours/reject", url.Values{"csrf": {b.csrf(b.get(casePath))}, "hour": {picks[0], picks[1]},
			"reason": {"   "}}).must(t, http.StatusBadRequest)
		if at := noteRow(t, r); at != "waiting" || !strings.Contains(noteText(t, string(r.Body)), "Say why you reject it") {
			t.Fatalf("the message at %q: %s", at, noteText(t, string(r.Body)))
		}
		for i, p := range picks[:3] {
			ticked := strings.Contains(string(r.Body), `value="`+p+`" id="pick-`+id(hourID(p))+`" checked>`)
			if ticked != (i < 2) {
				t.Errorf("hour %d ticked: %v", hourID(p), ticked)
			}
		}
		for _, p := range picks[:2] {
			if h := e.hourOf(hourID(p)); h.ApprovalStatus != "pending" {
				t.Fatalf("hour %d is %s", h.ID, h.ApprovalStatus)
			}
		}
	})
	t.Run("nothing ticked says so in place and keeps the reason", func(t *testing.T) {
		r := b.post(casePath+"/hours/reject", url.Values{"csrf": {b.csrf(b.get(casePath))}, "reason": {"Not ours"}}).
			must(t, http.StatusBadRequest)
		if !strings.Contains(noteText(t, string(r.Body)), "Tick the hours to reject first.") ||
			!strings.Contains(string(r.Body), `id="bulk-reason" maxlength="2000" value="Not ours"`) {
			t.Fatalf("page: %s", noteText(t, string(r.Body)))
		}
	})
	t.Run("the ticked hours are rejected for the reason; an invoiced one is skipped", func(t *testing.T) {
		var invoiced model.WorkHour
		if err := e.db.NewSelect().Model(&invoiced).Where("case_id = ? AND invoice_id IS NOT NULL", caseID).Limit(1).
			Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		r := b.post(casePath+"/hours/reject", url.Values{"csrf": {b.csrf(b.get(casePath))}, "reason": {" Not our project "},
			"hour": {picks[0], picks[1], id(invoiced.ID) + ":" + id(invoiced.Version)}}).must(t, http.StatusOK)
		note := noteText(t, string(r.Body))
		for _, want := range []string{"2 work hours rejected.", "1 was left as it was:", `id="skipped-` + id(invoiced.ID) + `"`,
			"it is already invoiced"} {
			if !strings.Contains(note, want) {
				t.Errorf("the result lacks %q:\n%s", want, note)
			}
		}
		for _, p := range picks[:2] {
			h := e.hourOf(hourID(p))
			if h.ApprovalStatus != "rejected" || h.RejectComment != "Not our project" || h.ApprovedByContactID == nil ||
				*h.ApprovedByContactID != contact {
				t.Errorf("hour %d: %s %q", h.ID, h.ApprovalStatus, h.RejectComment)
			}
		}
		if h := e.hourOf(hourID(picks[2])); h.ApprovalStatus != "pending" {
			t.Errorf("an hour not ticked is %s", h.ApprovalStatus)
		}
		if h := e.hourOf(invoiced.ID); h.Version != invoiced.Version {
			t.Error("the invoiced hour changed")
		}
	})
	t.Run("in Finnish", func(t *testing.T) {
		fi := e.browser(t)
		fi.cookies, fi.lang = b.cookies, "fi"
		r := fi.post(casePath+"/hours/reject", url.Values{"csrf": {b.csrf(b.get(casePath))}, "reason": {"Ei meidän"},
			"hour": {picks[2]}}).must(t, http.StatusOK)
		if note := noteText(t, string(r.Body)); !strings.Contains(note, "1 työtunti hylätty.") {
			t.Fatalf("result: %s", note)
		}
	})
	t.Run("rule EXT-2: without the Approve right nothing is rejected, whatever the form holds", func(t *testing.T) {
		e.invite(e.share(migration, allSections), aino, rights{comment: true}, nil)
		mid := e.caseID(migration)
		pick := id(e.firstID("work_hours", mid)) + ":1"
		for _, form := range []url.Values{{"reason": {"No"}, "hour": {pick}}, {"reason": {"No"}}, {"reason": {""}, "hour": {pick}}} {
			form.Set("csrf", b.csrf(b.get(casePath)))
			r := b.post("/cases/"+id(mid)+"/hours/reject", form).must(t, http.StatusForbidden)
			if !strings.Contains(string(r.Body), "You may not decide on work hours of this case.") {
				t.Fatalf("page: %s", r.Body)
			}
		}
	})
	t.Run("rule EXT-8: a case not shared is not found, whatever the form holds", func(t *testing.T) {
		other := "/cases/" + id(e.caseID(pricing)) + "/hours/reject"
		b.post(other, url.Values{"csrf": {b.csrf(b.get(casePath))}}).must(t, http.StatusNotFound)
		b.post(other, url.Values{"csrf": {b.csrf(b.get(casePath))}, "reason": {"No"}, "hour": {"1:1"}}).must(t, http.StatusNotFound)
	})
}

// rules EXT-3, EXT-6: the totals of a case's hours per phase and per person, summed in the
// database over every entry (not one page).
func TestHourTotals(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, sections{other: true, phases: true}), aino, allRights, nil)
	e.credential(aino, password, false)
	b := e.signIn(t, aino)
	body, _ := b.page("/cases/"+id(e.caseID(strategy)), http.StatusOK)
	start := strings.Index(body, `id="totals"`)
	if start < 0 {
		t.Fatalf("no totals: %s", body)
	}
	totals := body[start:]
	// The demo: carl, erik and fay each 4 h, 5 h and 6 h; days 1 and 3 on Discovery, day 2 on
	// Recommendations; the 6 h entries are invoiced and approved.
	for _, want := range []string{
		`Discovery</th><td class="num" data-label="Entries">6</td><td class="num" data-label="Hours">30.00 h</td><td class="num" data-label="Approved">18.00 h</td>`,
		`Recommendations</th><td class="num" data-label="Entries">3</td><td class="num" data-label="Hours">15.00 h</td><td class="num" data-label="Approved">0.00 h</td>`,
		`All</th><td class="num" data-label="Entries">9</td><td class="num" data-label="Hours">45.00 h</td>`,
		`Erik`,
	} {
		if !strings.Contains(totals, want) {
			t.Errorf("the totals lack %s", want)
		}
	}
	if strings.Contains(totals, `data-label="Price"`) {
		t.Error("rule EXT-3: prices in the totals without the Financials section")
	}
	if n := strings.Count(totals[:strings.Index(totals, "</tbody>")], "<tr><th scope=\"row\""); n != 2 {
		t.Errorf("%d phases in the totals, want 2", n)
	}
}

// rules EXT-3, EXT-8: a share of the Other section alone totals the hours per person, with
// the sum of all, but never per phase: the phases' names are the Phases section's.
func TestHourTotalsWithoutPhases(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, sections{other: true}), aino, allRights, nil)
	e.credential(aino, password, false)
	b := e.signIn(t, aino)
	body, _ := b.page("/cases/"+id(e.caseID(strategy)), http.StatusOK)
	start := strings.Index(body, `id="totals"`)
	if start < 0 {
		t.Fatalf("no totals: %s", body)
	}
	for _, gone := range []string{`id="totals-phase"`, "Discovery", "Recommendations", "No phase"} {
		if strings.Contains(body, gone) {
			t.Errorf("rule EXT-3: the page shows %q without the Phases section", gone)
		}
	}
	totals := body[start:]
	for _, want := range []string{`id="totals-person"`, `Erik`,
		`All</th><td class="num" data-label="Entries">9</td><td class="num" data-label="Hours">45.00 h</td>`} {
		if !strings.Contains(totals, want) {
			t.Errorf("the totals lack %s", want)
		}
	}
}

// rule EXT-3: each kind of data the firm hides within a shared section is absent from the
// page, whatever else of the section shows: hour prices apart from billing, the status,
// the hours (with what of them waits) and files apart from one another.
func TestHiddenKindsOnThePage(t *testing.T) {
	e := newEnv(t)
	shareID := e.share(strategy, allSections)
	e.invite(shareID, aino, rights{approve: true, comment: true}, nil)
	e.credential(aino, password, false)
	casePath := "/cases/" + id(e.caseID(strategy))
	b := e.signIn(t, aino)
	hide := func(t *testing.T, column string) {
		t.Helper()
		if _, err := e.db.NewUpdate().Table("extranet_shares").Set(column+" = ?", true).Where("id = ?", shareID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	body, _ := b.page(casePath, http.StatusOK)
	for _, want := range []string{`id="billing"`, `data-label="Price"`, `id="status"`, `id="hours"`, `id="files"`, `id="waiting-hours"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("with nothing hidden the page lacks %s", want)
		}
	}
	for _, tc := range []struct {
		column     string
		gone, kept []string
	}{
		{"hide_hour_prices", []string{`data-label="Price"`, `>Price</th>`}, []string{`id="billing"`, `id="hours"`}},
		{"hide_billing", []string{`id="billing"`, "Budget:"}, []string{`id="hours"`}},
		{"hide_status", []string{`id="status"`, `id="case-status"`}, []string{`id="hours"`, `id="files"`}},
		{"hide_files", []string{`id="files"`}, []string{`id="hours"`}},
		{"hide_hours", []string{`id="hours"`, `id="waiting-hours"`, `id="bulk-form"`, `id="totals"`}, []string{`id="phases"`, `id="waiting-phases"`}},
	} {
		t.Run(tc.column, func(t *testing.T) {
			hide(t, tc.column)
			body, _ := b.page(casePath, http.StatusOK)
			for _, gone := range tc.gone {
				if strings.Contains(body, gone) {
					t.Errorf("the page shows %s", gone)
				}
			}
			for _, kept := range tc.kept {
				if !strings.Contains(body, kept) {
					t.Errorf("the page lacks %s", kept)
				}
			}
		})
	}
}
