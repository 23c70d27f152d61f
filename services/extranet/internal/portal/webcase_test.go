package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
)

// signIn logs a contact in through the login form and returns their browser.
func (e *env) signIn(t *testing.T, email string) *browser {
	t.Helper()
	b := e.browser(t)
	csrf := b.csrf(b.get("/login").must(t, http.StatusOK))
	mustRedirect(t, b.post("/login", url.Values{"csrf": {csrf}, "email": {email}, "password": {password}}), "/cases")
	return b
}

// page gets a page and fails unless it answers want.
func (b *browser) page(path string, want int) (string, response) {
	b.t.Helper()
	r := b.get(path).must(b.t, want)
	return string(r.Body), r
}

// follow gets where a redirect leads.
func (b *browser) follow(r response) string {
	b.t.Helper()
	if r.Status != http.StatusSeeOther {
		b.t.Fatalf("status %d, want a redirect: %s", r.Status, r.Body)
	}
	body, _ := b.page(r.Header.Get("Location"), http.StatusOK)
	return body
}

var (
	noteAt     = regexp.MustCompile(`id="note"`)
	spotOpen   = regexp.MustCompile(`<(?:tr|li|section|form)\b[^>]*\sid="([^"]+)"`)
	hourRowID  = regexp.MustCompile(`<tr id="hour-(\d+)"`)
	pickValue  = regexp.MustCompile(`name="hour" value="(\d+):(\d+)"`)
	commentRow = regexp.MustCompile(`<li id="comment-(\d+)"`)
	fileRow    = regexp.MustCompile(`<li id="file-(\d+)"`)
)

// noteRow returns the id of the row, form or section the page's note sits in, failing
// the test when the page has none.
func noteRow(t *testing.T, r response) string {
	t.Helper()
	body := string(r.Body)
	loc := noteAt.FindStringIndex(body)
	if loc == nil {
		t.Fatalf("the page has no note:\n%s", body)
	}
	m := spotOpen.FindAllStringSubmatch(body[:loc[0]], -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1][1]
}

// noteText returns the text of the page's note.
func noteText(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `id="note"`)
	if i < 0 {
		t.Fatalf("the page has no note:\n%s", body)
	}
	end := strings.Index(body[i:], "</div>")
	return body[i : i+end]
}

// addHours adds n pending hours by erik to a case, one a day going back from the clock, and
// returns their ids oldest first.
func (e *env) addHours(caseID int64, n int) []int64 {
	e.t.Helper()
	erik, now := e.userID("erik"), e.clock.Now()
	rows := make([]model.WorkHour, n)
	for i := range rows {
		rows[i] = model.WorkHour{CaseID: caseID, UserID: erik, WorkDate: model.DateOf(now.AddDate(0, 0, -400-i)),
			Minutes: 60, Description: fmt.Sprintf("Extra work %d", i), Billable: true, UnitPrice: 10000,
			ApprovalStatus: "pending", Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	if _, err := e.db.NewInsert().Model(&rows).Returning("id").Exec(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	ids := make([]int64, n)
	for i := range rows {
		ids[n-1-i] = rows[i].ID
	}
	return ids
}

// hourOf reads a work hour as stored.
func (e *env) hourOf(hourID int64) model.WorkHour {
	e.t.Helper()
	var h model.WorkHour
	if err := e.db.NewSelect().Model(&h).Where("id = ?", hourID).Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return h
}

// queryCounter counts the statements that read a table.
type queryCounter struct {
	mu    sync.Mutex
	table string
	n     int
}

func (q *queryCounter) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (q *queryCounter) AfterQuery(_ context.Context, ev *bun.QueryEvent) {
	if strings.Contains(ev.Query, q.table) {
		q.mu.Lock()
		q.n++
		q.mu.Unlock()
	}
}

// rules EXT-3, EXT-5: no row of a long list is out of reach. Every list of a case page
// pages (50 rows), each by its own query parameter; a page past the end shows the last one
// and says so, a page that is not a number is the first.
func TestCasePageLists(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)
	caseID := e.caseID(strategy)
	demo := len(e.rowIDs("work_hours", caseID))
	added := e.addHours(caseID, 215-demo)
	oldest := added[0]
	b := e.signIn(t, aino)
	casePath := "/cases/" + id(caseID)

	t.Run("the 215th hour is on the fifth page", func(t *testing.T) {
		seen := map[string]bool{}
		for p := 1; p <= 5; p++ {
			body, _ := b.page(fmt.Sprintf("%s?hours=%d", casePath, p), http.StatusOK)
			rows := hourRowID.FindAllStringSubmatch(body, -1)
			want := 50
			if p == 5 {
				want = 15
			}
			if len(rows) != want {
				t.Fatalf("page %d shows %d hours, want %d", p, len(rows), want)
			}
			for _, m := range rows {
				seen[m[1]] = true
			}
		}
		if len(seen) != 215 || !seen[id(oldest)] {
			t.Fatalf("%d distinct hours over five pages; the oldest seen: %v", len(seen), seen[id(oldest)])
		}
	})
	t.Run("the oldest hour can be approved from its page", func(t *testing.T) {
		body, _ := b.page(casePath+"?hours=5", http.StatusOK)
		if !strings.Contains(body, `action="/hours/`+id(oldest)+`/approve"`) || !strings.Contains(body, `name="view" value="hours=5"`) {
			t.Fatal("the fifth page has no approval form for the oldest hour, or its forms forget the page")
		}
		r := b.post("/hours/"+id(oldest)+"/approve", url.Values{"csrf": {b.csrf(b.get(casePath))}, "version": {"1"}, "view": {"hours=5"}})
		mustRedirect(t, r, casePath+"?hours=5&done=hour-approved&at=hour-"+id(oldest)+"#note")
		if at := noteRow(t, b.get(r.Header.Get("Location"))); at != "hour-"+id(oldest) {
			t.Fatalf("the confirmation is at %q", at)
		}
		if h := e.hourOf(oldest); h.ApprovalStatus != "approved" {
			t.Fatalf("the oldest hour is %s", h.ApprovalStatus)
		}
	})
	t.Run("a page past the end is the last page, said so", func(t *testing.T) {
		body, _ := b.page(casePath+"?hours=99", http.StatusOK)
		if !strings.Contains(body, "There is no page 99; this is the last page, 5.") || !strings.Contains(body, `id="hour-`+id(oldest)+`"`) {
			t.Fatalf("page 99: %s", body)
		}
		for _, q := range []string{"hours=abc", "hours=-3", "hours=99999999999999999999999", "comments=0&files=x"} {
			b.get(casePath+"?"+q).must(t, http.StatusOK)
		}
	})
	t.Run("the links of a pager keep the other lists where they are", func(t *testing.T) {
		body, _ := b.page(casePath+"?hours=3&waiting=2", http.StatusOK)
		for _, want := range []string{`href="/cases/` + id(caseID) + `?hours=4&amp;waiting=2#hours"`, `href="/cases/` + id(caseID) + `?hours=3&amp;waiting=3#waiting"`} {
			if !strings.Contains(body, want) {
				t.Errorf("no link %s", want)
			}
		}
	})
	t.Run("comments: newest first, so a new one shows at once", func(t *testing.T) {
		for i := range 60 {
			e.addComment(caseID, "case", caseID, fmt.Sprintf("Old comment %d", i))
		}
		body, _ := b.page(casePath, http.StatusOK)
		r := b.post(casePath+"/comments", url.Values{"csrf": {b.csrf(b.get(casePath))}, "target": {"case"}, "body": {"The newest word"},
			"view": {"comments=2"}})
		body = b.follow(r)
		rows := commentRow.FindAllStringSubmatch(body, -1)
		if len(rows) != 50 || !strings.Contains(body, "The newest word") {
			t.Fatalf("%d comments on the first page", len(rows))
		}
		if at := noteRow(t, response{Body: []byte(body)}); at != "comment-"+rows[0][1] {
			t.Fatalf("the confirmation is at %q, the new comment is comment-%s", at, rows[0][1])
		}
		body, _ = b.page(casePath+"?comments=2", http.StatusOK)
		if n := len(commentRow.FindAllStringSubmatch(body, -1)); n != 11 || !strings.Contains(body, "Old comment 0<") {
			t.Fatalf("%d comments on the second page", n)
		}
	})
	t.Run("files and invoices page too", func(t *testing.T) {
		for i := range 55 {
			e.addFile(caseID, fmt.Sprintf("file-%02d.txt", i))
		}
		body, _ := b.page(casePath+"?files=2", http.StatusOK)
		if n := len(fileRow.FindAllStringSubmatch(body, -1)); n != 5 {
			t.Fatalf("%d files on the second page", n)
		}
		var sent int64
		if err := e.db.NewSelect().Model((*model.InvoiceStatus)(nil)).Column("id").Where("name = ?", "Sent").Scan(context.Background(), &sent); err != nil {
			t.Fatal(err)
		}
		for i := range 60 {
			inv := &model.Invoice{CaseID: caseID, Number: fmt.Sprintf("X-%03d", i), StatusID: sent, IssueDate: "2026-01-01", DueDate: "2026-02-01",
				Total: 100, Currency: "EUR", Version: 1, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
			if _, err := e.db.NewInsert().Model(inv).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		body, _ = b.page(casePath+"?invoices=2", http.StatusOK)
		if n := strings.Count(body, `<tr id="invoice-`); n != 10 { // the demo's invoice here is a draft, not shown
			t.Fatalf("%d invoices on the second page", n)
		}
	})
}

// rules EXT-2, EXT-3: a comment may be about any phase or file the contact sees, whichever
// page of its list it is on, and a refused comment keeps such a target; phases only with
// the Phases section, files only with the Other section.
func TestCommentTargetsBeyondThePage(t *testing.T) {
	e := newEnv(t)
	shareID := e.share(strategy, allSections)
	e.invite(shareID, aino, rights{comment: true}, nil)
	e.credential(aino, password, false)
	caseID := e.caseID(strategy)
	casePath := "/cases/" + id(caseID)
	oldest := e.addFile(caseID, "Oldest notes.txt")
	for i := range 55 {
		e.clock.Add(time.Minute)
		e.addFile(caseID, fmt.Sprintf("Notes %02d.txt", i))
	}
	var phases []model.Phase
	for i := range 52 {
		phases = append(phases, model.Phase{CaseID: caseID, Name: fmt.Sprintf("Stage %02d", i), Status: "open",
			StartsOn: model.Date(fmt.Sprintf("2027-01-%02d", i%28+1)), ApprovalStatus: "pending", Version: 1, CreatedAt: e.clock.Now()})
	}
	if _, err := e.db.NewInsert().Model(&phases).Returning("id").Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := e.signIn(t, aino)
	body, _ := b.page(casePath, http.StatusOK)
	if strings.Contains(body, `<li id="file-`+id(oldest)+`"`) {
		t.Fatal("the oldest file is on the first page")
	}
	lastPhase := "" // a phase on page 2
	for _, p := range phases {
		if !strings.Contains(body, `<tr id="phase-`+id(p.ID)+`"`) {
			lastPhase = id(p.ID)
		}
	}
	if lastPhase == "" {
		t.Fatal("every phase is on the first page")
	}
	for _, want := range []string{`<option value="file-` + id(oldest) + `">File: Oldest notes.txt</option>`,
		`<option value="phase-` + lastPhase + `">`} {
		if !strings.Contains(body, want) {
			t.Errorf("the comment form offers no %s", want)
		}
	}
	t.Run("a refused comment keeps a target of page 2", func(t *testing.T) {
		for _, target := range []string{"file-" + id(oldest), "phase-" + lastPhase} {
			r := b.post(casePath+"/comments", url.Values{"csrf": {b.csrf(b.get(casePath))}, "target": {target}, "body": {" "}}).
				must(t, http.StatusBadRequest)
			if !strings.Contains(string(r.Body), `<option value="`+target+`" selected>`) {
				t.Errorf("the chosen %s is lost", target)
			}
		}
	})
	t.Run("a comment about a file of page 2", func(t *testing.T) {
		r := b.post(casePath+"/comments", url.Values{"csrf": {b.csrf(b.get(casePath))}, "target": {"file-" + id(oldest)}, "body": {"Seen"}})
		if body := b.follow(r); !strings.Contains(body, "on file Oldest notes.txt") {
			t.Fatalf("the comment does not say what it is about: %s", body)
		}
	})
	t.Run("rule EXT-3: without the Phases section no phase, without Other no file", func(t *testing.T) {
		set := func(phases, other bool) {
			if _, err := e.db.NewUpdate().Table("extranet_shares").Set("show_phases = ?", phases).Set("show_other = ?", other).
				Where("id = ?", shareID).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		set(false, true)
		body, _ := b.page(casePath, http.StatusOK)
		if strings.Contains(body, `<option value="phase-`) || !strings.Contains(body, `<option value="file-`+id(oldest)+`"`) {
			t.Error("the phases are offered without the Phases section, or the files are not")
		}
		set(true, false)
		body, _ = b.page(casePath, http.StatusOK)
		if strings.Contains(body, `<option value="file-`) || !strings.Contains(body, `<option value="phase-`+lastPhase+`"`) {
			t.Error("the files are offered without the Other section, or the phases are not")
		}
	})
}

// rules EXT-2, EXT-5: the case list says per case how many hours and phases wait for the
// contact's approval, counted for all cases at once, and only where they may approve.
func TestCaseListCounts(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.invite(e.share(migration, allSections), aino, rights{comment: true}, nil)
	e.credential(aino, password, false)
	e.addHours(e.caseID(strategy), 6)
	b := e.signIn(t, aino)

	hours := &queryCounter{table: "work_hours"}
	e.db.AddQueryHook(hours)
	body, _ := b.page("/cases", http.StatusOK)
	// The demo's strategy review has 6 pending hours not yet invoiced (3 more are invoiced).
	if !strings.Contains(body, `id="waits-`+id(e.caseID(strategy))+`">12 work hours wait for your approval`) ||
		!strings.Contains(body, `id="waits-phases-`+id(e.caseID(strategy))+`">2 phases wait for your approval`) {
		t.Fatalf("no counts on the strategy review: %s", body)
	}
	if strings.Contains(body, `id="waits-`+id(e.caseID(migration))+`"`) {
		t.Fatal("rule EXT-2: a count on a case without the Approve right")
	}
	if hours.n != 1 {
		t.Fatalf("%d queries read work hours for the list, want 1", hours.n)
	}
	t.Run("in Finnish", func(t *testing.T) {
		b.lang = "fi"
		defer func() { b.lang = "" }()
		body, _ := b.page("/cases", http.StatusOK)
		if !strings.Contains(body, "12 työtuntia odottaa hyväksyntääsi") || !strings.Contains(body, `<html lang="fi">`) {
			t.Fatalf("not in Finnish: %s", body)
		}
	})
}

// The text on the firm's accent is white or black, whichever contrasts more (WCAG AA), so a
// light accent gets dark text in the header and on buttons.
func TestAccentText(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	for accent, text := range map[string]string{"#1f3a5f": "#fff", "#ffd700": "#000", "#777777": "#000", "#0000ff": "#fff"} {
		if _, err := e.db.NewUpdate().Table("settings").Set("brand_accent = ?", accent).Where("id = 1").Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		css, _ := b.page("/static/brand.css", http.StatusOK)
		if want := "--accent: " + accent + "; --on-accent: " + text + ";"; !strings.Contains(css, want) {
			t.Errorf("accent %s: %q, want %q", accent, css, want)
		}
	}
}
