package scope_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// TestScopesMatchDecisions is the proof of STYLE rule 2: on random organisations, written to
// a real migrated database, every list modifier of this package returns exactly the rows that
// the single-object decision allows, for every user of the organisation.
//
// Cases, phases, files (rule ACC-2, CASE-1, CASE-2, CASE-4, CASE-8, CASE-9, CASE-10, CASE-11,
// ORG-2, ORG-3, ORG-4); invoices (INV-1, INV-4, CASE-7); work hours (USR-1, USR-2, USR-4, WHA-1,
// WHA-3, WHA-4, WHA-5, WHA-6, WHA-7); accounts, contacts, addresses (ACC-1, ACC-4); travel
// (TRV-1, TRV-2, TRV-3, TRV-4, TRV-5); activities, listed whole with their visibility level
// (ACT-1, ACT-2, ACT-3, ACT-4, ACT-5, ACT-6, ACT-7, ACC-8, CASE-15); the user directory. It
// also checks that the *FinancialsSortable answers never allow sorting on a field hidden on a
// listed row (CASE-5, CASE-6, CASE-7, CASE-8), and that access.LoadSubject builds the subject
// the organisation implies (ORG-2, ORG-3, ORG-5, WHA-1, TRV-1).
//
// The seed is random and logged; CASEROOM_PROPERTY_SEED repeats a run and
// CASEROOM_PROPERTY_ORGS sets the number of organisations (200, or 50 with -short). A failure
// is shrunk to a small organisation, printed as text with the disagreeing user and row.
func TestScopesMatchDecisions(t *testing.T) {
	seed := propertySeed(t)
	count := propertyOrgs(t)
	db := dbtest.Open(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(seed, 0xca5e))
	start := time.Now()
	var st stats
	for i := range count {
		o := genOrg(rng)
		ps, err := checkOrg(ctx, db, o, &st)
		if err != nil {
			t.Fatalf("seed %d, organisation %d: %v\n%s", seed, i, err, o)
		}
		if len(ps) == 0 {
			continue
		}
		small := shrink(ctx, db, o)
		sps, err := checkOrg(ctx, db, small, &stats{})
		if err != nil {
			t.Fatalf("seed %d, organisation %d: recheck the shrunk organisation: %v\n%s", seed, i, err, small)
		}
		t.Fatalf("seed %d, organisation %d: %d disagreements; smallest failing organisation (%d users, %d cases):\n%s\n%s",
			seed, i, len(ps), len(small.Users), len(small.Cases), small, problemsText(sps))
	}
	t.Logf("seed %d: %d organisations, %d subjects, %s on %s", seed, count, st.subjects, time.Since(start).Round(time.Millisecond), dialect(db))
	t.Logf("decisions compared (allowed/denied): %s", st)
	t.Logf("rules that decided them: %s", st.reasonsText())
}

// propertySeed returns CASEROOM_PROPERTY_SEED, or a fresh seed, and logs it.
func propertySeed(t *testing.T) uint64 {
	t.Helper()
	if v := os.Getenv("CASEROOM_PROPERTY_SEED"); v != "" {
		seed, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("CASEROOM_PROPERTY_SEED=%q: %v", v, err)
		}
		t.Logf("seed %d (from CASEROOM_PROPERTY_SEED)", seed)
		return seed
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d (repeat with CASEROOM_PROPERTY_SEED=%d)", seed, seed)
	return seed
}

func propertyOrgs(t *testing.T) int {
	t.Helper()
	if v := os.Getenv("CASEROOM_PROPERTY_ORGS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("CASEROOM_PROPERTY_ORGS=%q: want a positive number", v)
		}
		return n
	}
	if testing.Short() {
		return 50
	}
	return 200
}

func dialect(db *bun.DB) string { return db.Dialect().Name().String() }

// problem is one disagreement between the SQL scope and the decision (or the loaded subject).
type problem struct {
	user int64
	what string // e.g. "cases 17"
	text string
}

func (p problem) String() string { return fmt.Sprintf("user %d, %s: %s", p.user, p.what, p.text) }

func problemsText(ps []problem) string {
	var b strings.Builder
	for i, p := range ps {
		if i == 10 {
			fmt.Fprintf(&b, "… and %d more\n", len(ps)-i)
			break
		}
		b.WriteString(p.String() + "\n")
	}
	return b.String()
}

// checkOrg loads o into db and compares, for every user, each list scope with the decisions.
// With st nil (the shrinker) it stops after the first user with a disagreement.
func checkOrg(ctx context.Context, db *bun.DB, o *testOrg, st *stats) ([]problem, error) {
	if err := o.load(ctx, db); err != nil {
		return nil, err
	}
	ix := newOrgIndex(o)
	var out []problem
	for n, u := range o.Users {
		mu := o.modelUser(u)
		s, err := access.LoadSubject(ctx, db, &mu)
		if err != nil {
			return nil, err
		}
		if st != nil {
			st.subjects++
		}
		out = append(out, ix.checkSubject(u, s)...)
		for _, l := range lists {
			ps, err := l.check(ctx, db, ix, s, n, st)
			if err != nil {
				return nil, err
			}
			out = append(out, ps...)
		}
		ps, err := checkActivities(ctx, db, ix, s, st)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
		out = append(out, checkSortable(ix, s)...)
		if st == nil && len(out) > 0 { // the shrinker only needs to know that o fails
			return out, nil
		}
	}
	return out, nil
}

// list is one list modifier with the decision it must agree with.
type list struct {
	name, table, alias string
	view               func(*rights.Subject, string) func(*bun.SelectQuery) *bun.SelectQuery
	decide             func(ix *orgIndex, s *rights.Subject) []verdict
}

type verdict struct {
	id int64
	d  rights.Decision
}

var lists = []list{
	{"cases", "cases", "c", scope.CaseView, func(ix *orgIndex, s *rights.Subject) (out []verdict) {
		for _, c := range ix.o.Cases {
			out = append(out, verdict{c.ID, rights.DecideCase(s, rights.CaseView, ix.caseAttrs(c.ID))})
		}
		return out
	}},
	{"phases", "phases", "p", scope.PhaseView, func(ix *orgIndex, s *rights.Subject) []verdict {
		return ix.caseChildren(s, ix.o.Phases)
	}},
	{"files", "files", "f", scope.FileView, func(ix *orgIndex, s *rights.Subject) []verdict {
		return ix.caseChildren(s, ix.o.Files)
	}},
	{"work hours", "work_hours", "h", scope.HourView, func(ix *orgIndex, s *rights.Subject) (out []verdict) {
		for _, h := range ix.o.Hours {
			out = append(out, verdict{h.ID, rights.DecideHours(s, rights.HourView, ix.hourAttrs(h))})
		}
		return out
	}},
	{"invoices", "invoices", "i", scope.InvoiceView, func(ix *orgIndex, s *rights.Subject) (out []verdict) {
		for _, inv := range ix.o.Invoices {
			out = append(out, verdict{inv.ID, rights.DecideInvoice(s, rights.InvoiceView, ix.invoiceAttrs(inv))})
		}
		return out
	}},
	{"accounts", "accounts", "a", scope.AccountView, func(ix *orgIndex, s *rights.Subject) (out []verdict) {
		for _, id := range ix.o.Accounts {
			out = append(out, verdict{id, rights.DecideAccount(s, rights.AccountView, rights.AccountAttrs{ID: id})})
		}
		return out
	}},
	{"contacts", "contacts", "ct", scope.ContactView, func(ix *orgIndex, s *rights.Subject) []verdict {
		return ix.accountChildren(s, ix.o.Contacts)
	}},
	{"addresses", "addresses", "ad", scope.AddressView, func(ix *orgIndex, s *rights.Subject) []verdict {
		return ix.accountChildren(s, ix.o.Addresses)
	}},
	{"users", "users", "u", scope.UserView, func(ix *orgIndex, s *rights.Subject) (out []verdict) {
		// Decision (the lead's): every employee sees the user directory.
		for _, u := range ix.o.Users {
			out = append(out, verdict{u.ID, rights.Decision{Allow: true}})
		}
		return out
	}},
	{"travel", "travel_reimbursements", "t", scope.TravelView, func(ix *orgIndex, s *rights.Subject) (out []verdict) {
		for _, tr := range ix.o.Travels {
			out = append(out, verdict{tr.ID, rights.DecideTravel(s, rights.TravelView, ix.travelAttrs(tr))})
		}
		return out
	}},
}

// check runs the list's query twice: alone, and after a condition that excludes one allowed
// row, which proves that the modifier's OR terms stay inside their parentheses.
func (l list) check(ctx context.Context, db *bun.DB, ix *orgIndex, s *rights.Subject, salt int, st *stats) ([]problem, error) {
	verdicts := l.decide(ix, s)
	want := map[int64]rights.Decision{}
	var allowed []int64
	for _, v := range verdicts {
		st.count(l.name, v.d.Allow)
		st.reason(v.d.Allow, v.d.Reason)
		want[v.id] = v.d
		if v.d.Allow {
			allowed = append(allowed, v.id)
		}
	}
	got, err := l.query(ctx, db, s, 0)
	if err != nil {
		return nil, err
	}
	out := l.compare(s.UserID, got, want, 0)
	if len(allowed) > 0 {
		ex := allowed[salt%len(allowed)]
		got, err := l.query(ctx, db, s, ex)
		if err != nil {
			return nil, err
		}
		out = append(out, l.compare(s.UserID, got, want, ex)...)
	}
	return out, nil
}

func (l list) query(ctx context.Context, db *bun.DB, s *rights.Subject, exclude int64) ([]int64, error) {
	a := bun.Ident(l.alias)
	q := db.NewSelect().TableExpr("? AS ?", bun.Ident(l.table), a).ColumnExpr("?.id", a)
	if exclude != 0 {
		q = q.Where("?.id <> ?", a, exclude)
	}
	var ids []int64
	if err := q.Apply(l.view(s, l.alias)).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("list %s for user %d: %w", l.name, s.UserID, err)
	}
	return ids, nil
}

// compare reports each row where the query and the decision disagree; exclude is a row the
// query was told to leave out.
func (l list) compare(user int64, got []int64, want map[int64]rights.Decision, exclude int64) []problem {
	var out []problem
	seen := map[int64]bool{}
	how := ""
	if exclude != 0 {
		how = fmt.Sprintf(" (with id <> %d before the scope)", exclude)
	}
	for _, id := range got {
		d, known := want[id]
		switch {
		case seen[id]:
			out = append(out, problem{user, fmt.Sprintf("%s %d", l.name, id), "the SQL scope returns the row twice" + how})
		case !known || id == exclude || !d.Allow:
			out = append(out, problem{user, fmt.Sprintf("%s %d", l.name, id), "the SQL scope returns it" + how + ", the decision denies: " + d.String()})
		}
		seen[id] = true
	}
	for id, d := range want {
		if d.Allow && id != exclude && !seen[id] {
			out = append(out, problem{user, fmt.Sprintf("%s %d", l.name, id), "the SQL scope leaves it out" + how + ", the decision allows: " + d.String()})
		}
	}
	return out
}
