package gen_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/bootstrap"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/gen"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

var (
	small = gen.Sizes{Users: 50, Units: 5, Accounts: 20, Cases: 200, Hours: 2000, Invoices: 100, Travel: 100}
	now   = func() time.Time { return time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC) }
)

// mustOpen returns an empty, migrated database with the default profiles and statuses, as
// platform.OpenDatabase leaves it.
func mustOpen(t *testing.T) *bun.DB {
	t.Helper()
	d := dbtest.Open(t)
	if err := bootstrap.Ensure(context.Background(), d, now); err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	return d
}

func mustGenerate(t *testing.T, d *bun.DB, seed int64) *gen.Logins {
	t.Helper()
	logins, err := gen.Generate(context.Background(), d, gen.Config{Sizes: small, Seed: seed, Now: now})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	return logins
}

func mustCount(t *testing.T, d bun.IDB, m any, where string) int {
	t.Helper()
	q := d.NewSelect().Model(m)
	if where != "" {
		q = q.Where(where)
	}
	n, err := q.Count(context.Background())
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	return int(n)
}

func TestGenerate(t *testing.T) {
	d := mustOpen(t)
	before, err := access.Epoch(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	logins := mustGenerate(t, d, 7)
	for _, tc := range []struct {
		name  string
		check func(t *testing.T, d *bun.DB)
	}{
		{"counts", checkCounts},
		{"one unit tree and one supervisor tree about six deep", checkTrees},
		{"cases have one to three members mostly, and hours only by members", checkMembers},
		{"invoices total their rows and hours", checkInvoices},
		{"values within the model's ranges over ten years", checkRanges},
		{"representative callers have their roles", func(t *testing.T, d *bun.DB) { checkCallers(t, d, logins.Callers) }},
		{"the printed password signs in", func(t *testing.T, d *bun.DB) { checkPassword(t, d, logins) }},
		{"the product's own inserts go on after the generated ids", checkSequences},
		{"cached subjects go stale (PRF-6)", func(t *testing.T, d *bun.DB) {
			if after, err := access.Epoch(context.Background(), d); err != nil || after <= before {
				t.Errorf("rights epoch %d after generating, %d before (%v); want it moved", after, before, err)
			}
		}},
		{"refuses a database with an organisation", checkRefusesSecondRun},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, d) })
	}
}

func checkCounts(t *testing.T, d *bun.DB) {
	for _, tc := range []struct {
		name string
		m    any
		want int
	}{
		{"users", (*model.User)(nil), small.Users},
		{"units", (*model.BusinessUnit)(nil), small.Units},
		{"accounts", (*model.Account)(nil), small.Accounts},
		{"cases", (*model.Case)(nil), small.Cases},
		{"hours", (*model.WorkHour)(nil), small.Hours},
		{"invoices", (*model.Invoice)(nil), small.Invoices},
		{"travel", (*model.TravelReimbursement)(nil), small.Travel},
	} {
		if got := mustCount(t, d, tc.m, ""); got != tc.want {
			t.Errorf("%s: %d rows, want %d", tc.name, got, tc.want)
		}
	}
	if n := mustCount(t, d, (*model.Phase)(nil), ""); n == 0 {
		t.Error("no phases")
	}
	if n := mustCount(t, d, (*model.RightOverride)(nil), ""); n < 3 {
		t.Errorf("%d right overrides, want at least 3", n)
	}
}

func checkTrees(t *testing.T, d *bun.DB) {
	if n := mustCount(t, d, (*model.BusinessUnit)(nil), "parent_id IS NULL"); n != 1 {
		t.Errorf("%d root units, want 1", n)
	}
	if n := mustCount(t, d, (*model.User)(nil), "supervisor_id IS NULL"); n != 1 {
		t.Errorf("%d users without a supervisor, want 1 (ORG-1)", n)
	}
	if depth := supervisorDepth(t, d); depth < 5 || depth > 7 {
		t.Errorf("supervisor tree is %d deep, want about 6", depth)
	}
}

func checkMembers(t *testing.T, d *bun.DB) {
	ctx := context.Background()
	var sizes []int
	if err := d.NewSelect().Model((*model.CaseMember)(nil)).ColumnExpr("COUNT(*)").Group("case_id").Scan(ctx, &sizes); err != nil {
		t.Fatal(err)
	}
	few := 0
	for _, s := range sizes {
		if s <= 3 {
			few++
		}
	}
	if len(sizes) != small.Cases || few < len(sizes)*7/10 {
		t.Errorf("%d of %d cases have 1 to 3 members; want most of all cases", few, len(sizes))
	}
	n := mustCount(t, d, (*model.WorkHour)(nil), "NOT EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = work_hour.case_id AND m.user_id = work_hour.user_id)")
	if n != 0 {
		t.Errorf("%d hours by users who are not members of the case (CASE-12)", n)
	}
	n = mustCount(t, d, (*model.Case)(nil), "NOT EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = \"case\".id AND m.user_id = \"case\".owner_id)")
	if n != 0 {
		t.Errorf("%d cases whose owner is not listed as a member", n)
	}
}

func checkInvoices(t *testing.T, d *bun.DB) {
	for _, where := range []string{
		"total <> (SELECT COALESCE(SUM(h.unit_price * h.minutes / 60), 0) FROM work_hours h WHERE h.invoice_id = invoice.id)",
		"total <> (SELECT COALESCE(SUM(r.total), 0) FROM invoice_rows r WHERE r.invoice_id = invoice.id)",
		"total = 0",
	} {
		if n := mustCount(t, d, (*model.Invoice)(nil), where); n != 0 {
			t.Errorf("%d invoices where %s", n, where)
		}
	}
	invoiced := mustCount(t, d, (*model.WorkHour)(nil), "invoice_id IS NOT NULL")
	if rows := mustCount(t, d, (*model.InvoiceRow)(nil), ""); rows != invoiced || rows == 0 {
		t.Errorf("%d invoice rows for %d invoiced hours", rows, invoiced)
	}
	if n := mustCount(t, d, (*model.WorkHour)(nil), "invoice_id IS NOT NULL AND (NOT billable OR approval_status = 'rejected')"); n != 0 {
		t.Errorf("%d invoiced hours are not billable or are rejected", n)
	}
}

func checkRanges(t *testing.T, d *bun.DB) {
	ctx := context.Background()
	today := model.DateOf(now())
	first := model.DateOf(now().AddDate(-10, 0, 0))
	var span struct {
		First model.Date `bun:"first"`
		Last  model.Date `bun:"last"`
	}
	if err := d.NewSelect().Model((*model.WorkHour)(nil)).ColumnExpr("MIN(work_date) AS first, MAX(work_date) AS last").Scan(ctx, &span); err != nil {
		t.Fatal(err)
	}
	if span.First < first || span.Last > today || span.First > model.DateOf(now().AddDate(-5, 0, 0)) {
		t.Errorf("hours from %s to %s, want within %s..%s and going back years", span.First, span.Last, first, today)
	}
	for _, where := range []string{
		"minutes < 1 OR minutes > 1440",
		"unit_price < 0 OR unit_price > 100000000 OR unit_cost < 0 OR unit_cost > unit_price",
	} {
		if n := mustCount(t, d, (*model.WorkHour)(nil), where); n != 0 {
			t.Errorf("%d hours where %s", n, where)
		}
	}
}

func checkSequences(t *testing.T, d *bun.DB) {
	ctx := context.Background()
	var last int64
	if err := d.NewSelect().Model((*model.BusinessUnit)(nil)).ColumnExpr("MAX(id)").Scan(ctx, &last); err != nil {
		t.Fatal(err)
	}
	u := &model.BusinessUnit{Name: "New", Version: 1, CreatedAt: now(), UpdatedAt: now()}
	if _, err := d.NewInsert().Model(u).Returning("*").Exec(ctx); err != nil {
		t.Fatalf("insert a unit after generating: %v", err)
	}
	if u.ID <= last {
		t.Errorf("new unit got id %d, want above %d", u.ID, last)
	}
}

func checkRefusesSecondRun(t *testing.T, d *bun.DB) {
	ctx := context.Background()
	_, err := gen.Generate(ctx, d, gen.Config{Sizes: small, Now: now})
	if !errors.Is(err, gen.ErrNotEmpty) {
		t.Errorf("second run: %v, want ErrNotEmpty", err)
	}
}

func checkPassword(t *testing.T, d *bun.DB, l *gen.Logins) {
	var u model.User
	if err := d.NewSelect().Model(&u).Where("email = ?", l.Callers.Member).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := auth.CheckPassword(u.PasswordHash, l.Password); err != nil {
		t.Errorf("password of %s: %v", u.Email, err)
	}
}

// checkCallers loads each representative caller's Subject as a request would and checks the
// role the logins promise.
func checkCallers(t *testing.T, d *bun.DB, c gen.Callers) {
	employee := rights.DefaultProfiles()[3].Rights
	target := int(math.Round(float64(small.Users) / 10))
	for _, tc := range []struct {
		name, email string
		check       func(s *rights.Subject, u *model.User) string
	}{
		{"head", c.Head, func(s *rights.Subject, u *model.User) string {
			if u.SupervisorID != nil || s.Rights != rights.AdministratorRights() || s.Subordinates.Len() != small.Users-1 {
				return "want the Administrator at the top, over everyone"
			}
			return ""
		}},
		{"supervisor500", c.Supervisor500, func(s *rights.Subject, _ *model.User) string {
			if s.Rights.Cases != rights.CasesManager || s.Subordinates.Len() != target {
				return "want a project manager over a tenth of the firm"
			}
			return ""
		}},
		{"ownUnitManager", c.OwnUnitManager, func(s *rights.Subject, _ *model.User) string {
			if s.Rights.Cases != rights.CasesOwnUnit || s.OwnUnits.Len() < 2 {
				return "want Cases own_unit over a unit with sub-units"
			}
			return ""
		}},
		{"member", c.Member, plainMember(employee)},
		{"accountsNone", c.AccountsNone, plainMember(with(employee, func(r *rights.Rights) { r.Accounts = rights.AccountsNone }))},
		{"noFinancials", c.NoFinancials, plainMember(with(employee, func(r *rights.Rights) { r.Cases = rights.CasesMemberNoFinancials }))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			var u model.User
			if err := d.NewSelect().Model(&u).Where("email = ?", tc.email).Scan(ctx); err != nil {
				t.Fatalf("load %s: %v", tc.email, err)
			}
			s, err := access.LoadSubject(ctx, d, &u)
			if err != nil {
				t.Fatal(err)
			}
			if msg := tc.check(s, &u); msg != "" {
				t.Errorf("%s: rights %+v, %d subordinates, %d own units, member of %d: %s",
					tc.email, s.Rights, s.Subordinates.Len(), s.OwnUnits.Len(), s.MemberOf.Len(), msg)
			}
		})
	}
}

// plainMember checks an employee with want as rights, nobody below them, and a handful of
// cases, none of them owned.
func plainMember(want rights.Rights) func(s *rights.Subject, u *model.User) string {
	return func(s *rights.Subject, _ *model.User) string {
		if s.Rights != want || s.Subordinates.Len() != 0 || s.MemberOf.Len() < 3 || s.MemberOf.Len() > 10 {
			return "want an employee with nobody below, member of a handful of cases"
		}
		return ""
	}
}

func with(r rights.Rights, change func(*rights.Rights)) rights.Rights {
	change(&r)
	return r
}

// supervisorDepth returns how many levels the supervisor tree has, the head counting as one.
func supervisorDepth(t *testing.T, d *bun.DB) int {
	t.Helper()
	var users []model.User
	if err := d.NewSelect().Model(&users).Column("id", "supervisor_id").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	supervisor := map[int64]int64{}
	for _, u := range users {
		if u.SupervisorID != nil {
			supervisor[u.ID] = *u.SupervisorID
		}
	}
	deepest := 0
	for _, u := range users {
		depth := 1
		for id, ok := supervisor[u.ID]; ok; id, ok = supervisor[id] {
			depth++
			if depth > len(users) {
				t.Fatalf("the supervisor tree has a cycle through user %d", u.ID)
			}
		}
		deepest = max(deepest, depth)
	}
	return deepest
}

func TestDeterministic(t *testing.T) {
	type caseRow struct {
		Name  string `bun:"name"`
		Owner string `bun:"owner"`
	}
	casesOf := func(seed int64) []caseRow {
		d := mustOpen(t)
		mustGenerate(t, d, seed)
		var rows []caseRow
		err := d.NewSelect().TableExpr("cases AS c").ColumnExpr("c.name, u.email AS owner").
			Join("JOIN users AS u ON u.id = c.owner_id").OrderExpr("c.id").Scan(context.Background(), &rows)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	first, again, other := casesOf(42), casesOf(42), casesOf(43)
	if len(first) != small.Cases || !slices.Equal(first, again) {
		t.Error("the same seed gave different cases")
	}
	if slices.Equal(first, other) {
		t.Error("another seed gave the same cases")
	}
}

func TestRefusesImpossibleSizes(t *testing.T) {
	d := mustOpen(t)
	for _, tc := range []struct {
		name  string
		sizes gen.Sizes
	}{
		{"one unit", gen.Sizes{Users: 50, Units: 1, Accounts: 1, Cases: 1}},
		{"too few users for the units", gen.Sizes{Users: 20, Units: 10, Accounts: 1, Cases: 1}},
		{"more invoices than hours can fill", gen.Sizes{Users: 50, Units: 5, Accounts: 1, Cases: 1, Hours: 10, Invoices: 6}},
		{"no cases", gen.Sizes{Users: 50, Units: 5, Accounts: 1}},
		{"negative", gen.Sizes{Users: 50, Units: 5, Accounts: 1, Cases: 1, Travel: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := gen.Generate(context.Background(), d, gen.Config{Sizes: tc.sizes, Now: now}); !errors.Is(err, gen.ErrSizes) {
				t.Errorf("got %v, want ErrSizes", err)
			}
		})
	}
	if n := mustCount(t, d, (*model.User)(nil), ""); n != 0 {
		t.Errorf("refused runs left %d users", n)
	}
}
