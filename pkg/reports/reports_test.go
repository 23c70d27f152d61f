package reports_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/reports"
	"github.com/caseroom/caseroom/pkg/rights"
)

var demoUsers = []string{"ada", "bea", "carl", "dina", "erik", "fay", "gus", "hana", "ivan", "jon", "kim", "lea"}

// fixture is the demo organisation with the reports service over it.
type fixture struct {
	t   *testing.T
	db  *bun.DB
	env domain.Env
	svc *reports.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := dbtest.Open(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	if _, err := demo.Load(context.Background(), db, clock); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	env := domain.NewEnv(db, clock).WithLog(slog.New(slog.NewTextHandler(io.Discard, nil)))
	return &fixture{t: t, db: db, env: env, svc: reports.New(env)}
}

// user loads a demo user by key ("ada").
func (f *fixture) user(key string) *model.User {
	f.t.Helper()
	var u model.User
	if err := f.db.NewSelect().Model(&u).Where("email = ?", key+"@northwind.example").Scan(context.Background()); err != nil {
		f.t.Fatalf("user %s: %v", key, err)
	}
	return &u
}

// actor is a demo user with their rights as they are now.
func (f *fixture) actor(key string) domain.Actor {
	f.t.Helper()
	u := f.user(key)
	s, err := access.LoadSubject(context.Background(), f.db, u)
	if err != nil {
		f.t.Fatal(err)
	}
	return domain.Employee(u, s)
}

// override sets one right of a demo user (ORG-5).
func (f *fixture) override(key, right, value string) {
	f.t.Helper()
	if _, err := f.db.NewInsert().Model(&model.RightOverride{UserID: f.user(key).ID, RightName: right, Value: value}).
		Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// caseID is the id of the demo case named name.
func (f *fixture) caseID(name string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Table("cases").Column("id").Where("name = ?", name).Scan(context.Background(), &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// contact is a portal contact of the first demo account.
func contact() domain.Actor {
	return domain.PortalContact(domain.Contact{ID: 1, AccountID: 1, Name: "Aino Virtanen", Email: "aino.virtanen@acme.example"})
}

// drain reads every batch of b.
func drain[T any](t *testing.T, b *reports.Batches[T]) []T {
	t.Helper()
	var all []T
	for {
		rows, err := b.Next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			return all
		}
		all = append(all, rows...)
	}
}

// batchSize makes the reports of t read n rows at a time.
func batchSize(t *testing.T, n int) {
	old := reports.BatchSize
	reports.BatchSize = n
	t.Cleanup(func() { reports.BatchSize = old })
}

// wantCode fails t unless err carries code (and, when given, names param).
func wantCode(t *testing.T, err error, code apperr.Code, param string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != code || (param != "" && e.Param != param) {
		t.Fatalf("error %v, want %s naming %q", err, code, param)
	}
}

var errMalformed = &apperr.Error{Code: apperr.Invalid, Detail: "unknown parameter", Param: "sort"}

// TestCaseReport: the case report has exactly the cases rights.DecideCase lets each user view
// (STYLE rule 2), in name order, masked per row and per report.
func TestCaseReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var all []model.Case
	if err := f.db.NewSelect().Model(&all).OrderExpr("name, id").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	for _, u := range demoUsers {
		t.Run("rules CASE-1..8: "+u+" sees the cases the single-case rule lets them view", func(t *testing.T) {
			a := f.actor(u)
			var want []int64
			for i := range all {
				if rights.DecideCase(a.Subject, rights.CaseView, domain.CaseAttrs(&all[i])).Allow {
					want = append(want, all[i].ID)
				}
			}
			b, err := f.svc.Cases(ctx, a, reports.Query{})
			if errors.Is(err, apperr.E(apperr.Forbidden, "")) {
				if len(want) > 0 {
					t.Fatalf("refused the report but views %d cases", len(want))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, row := range drain(t, b) {
				got = append(got, row.ID)
				if row.Decision.Hidden&b.Hidden != b.Hidden {
					t.Fatalf("case %d: the row shows what the report hides", row.ID)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("report %v, rule %v", got, want)
			}
		})
	}
	t.Run("batches of one row are the report read at once", func(t *testing.T) {
		whole, err := f.svc.Cases(ctx, f.actor("ada"), reports.Query{})
		if err != nil {
			t.Fatal(err)
		}
		wholeRows := drain(t, whole)
		batchSize(t, 1)
		single, err := f.svc.Cases(ctx, f.actor("ada"), reports.Query{})
		if err != nil {
			t.Fatal(err)
		}
		singleRows := drain(t, single)
		if len(singleRows) != len(wholeRows) || len(wholeRows) == 0 {
			t.Fatalf("%d rows one at a time, %d at once", len(singleRows), len(wholeRows))
		}
		for i := range wholeRows {
			if singleRows[i].ID != wholeRows[i].ID || singleRows[i].Minutes != wholeRows[i].Minutes || singleRows[i].Revenue != wholeRows[i].Revenue {
				t.Fatalf("row %d differs: %+v / %+v", i, singleRows[i], wholeRows[i])
			}
		}
	})
	t.Run("rule CASE-7: manager_no_financials runs it without financial columns", func(t *testing.T) {
		f.override("hana", rights.ColCases, "manager_no_financials")
		b, err := f.svc.Cases(ctx, f.actor("hana"), reports.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if !b.Hidden.Hides("revenue") || !b.Hidden.Hides("billingForecast") {
			t.Fatalf("report hides %v", b.Hidden.Fields())
		}
		for _, row := range drain(t, b) {
			if !row.Decision.Hidden.Hides("revenue") {
				t.Fatalf("case %d shows its revenue", row.ID)
			}
		}
	})
	t.Run("a malformed request is reported once the report is allowed", func(t *testing.T) {
		_, err := f.svc.Cases(ctx, f.actor("ada"), reports.Query{Err: errMalformed})
		wantCode(t, err, apperr.Invalid, "sort")
	})
	t.Run("rule ACC-1: Accounts none runs no case report, whatever it asks", func(t *testing.T) {
		f.override("kim", rights.ColAccounts, "none")
		_, err := f.svc.Cases(ctx, f.actor("kim"), reports.Query{Err: errMalformed})
		wantCode(t, err, apperr.Forbidden, "")
	})
	t.Run("a portal contact runs no report", func(t *testing.T) {
		_, err := f.svc.Cases(ctx, contact(), reports.Query{})
		wantCode(t, err, apperr.Forbidden, "")
	})
}

// TestInvoiceReport: the invoices a user may view, by issue date then id with the undated
// ones where the database sorts NULL.
func TestInvoiceReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var tmpl model.Invoice
	if err := f.db.NewSelect().Model(&tmpl).OrderExpr("id").Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	for i, d := range []model.Date{"", "2026-01-05", "", "2030-01-01"} {
		inv := tmpl
		inv.ID, inv.Number, inv.IssueDate, inv.CreditOfID = 0, "T-"+string(rune('0'+i)), d, nil
		if _, err := f.db.NewInsert().Model(&inv).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("rule INV-1: the administrator sees every invoice in the database's order", func(t *testing.T) {
		var want []int64
		if err := f.db.NewSelect().Table("invoices").Column("id").OrderExpr("issue_date, id").Scan(ctx, &want); err != nil {
			t.Fatal(err)
		}
		batchSize(t, 2)
		b, err := f.svc.Invoices(ctx, f.actor("ada"), reports.Query{})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, row := range drain(t, b) {
			got = append(got, row.ID)
			if row.StatusName == "" {
				t.Fatalf("invoice %d without its status name", row.ID)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("report %v, database %v", got, want)
		}
	})
	t.Run("rule CASE-1: an outsider sees no invoice of a case they do not view", func(t *testing.T) {
		b, err := f.svc.Invoices(ctx, f.actor("kim"), reports.Query{})
		if err != nil {
			t.Fatal(err)
		}
		acme := f.caseID("Acme strategy review")
		for _, row := range drain(t, b) {
			if row.CaseID == acme {
				t.Fatalf("invoice %d of %d leaked", row.ID, acme)
			}
		}
	})
	t.Run("rule CASE-7: manager_no_financials runs no invoice report", func(t *testing.T) {
		f.override("hana", rights.ColCases, "manager_no_financials")
		_, err := f.svc.Invoices(ctx, f.actor("hana"), reports.Query{})
		wantCode(t, err, apperr.Forbidden, "")
	})
	t.Run("a malformed request is reported once the report is allowed", func(t *testing.T) {
		_, err := f.svc.Invoices(ctx, f.actor("ada"), reports.Query{Err: errMalformed})
		wantCode(t, err, apperr.Invalid, "sort")
	})
}

// TestAccountReport: every account with its counts; financial columns only for Accounts all.
func TestAccountReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	t.Run("rule ACC-6: Accounts all sees the financial columns", func(t *testing.T) {
		batchSize(t, 1)
		b, err := f.svc.Accounts(ctx, f.actor("bea"), reports.Query{})
		if err != nil {
			t.Fatal(err)
		}
		rows := drain(t, b)
		if len(rows) != 3 || b.Hidden.Hides("revenue") {
			t.Fatalf("%d rows, hidden %v", len(rows), b.Hidden.Fields())
		}
		var cases, revenue int64
		for _, r := range rows {
			cases += r.Cases
			revenue += r.Revenue
		}
		var figures int64
		if err := f.db.NewSelect().Table("case_figures").ColumnExpr("COALESCE(SUM(revenue), 0)").Scan(ctx, &figures); err != nil {
			t.Fatal(err)
		}
		if cases != 4 || revenue != figures {
			t.Fatalf("%d cases and revenue %d; want 4 and %d", cases, revenue, figures)
		}
	})
	t.Run("rule ACC-4: read_only runs it without financial columns", func(t *testing.T) {
		b, err := f.svc.Accounts(ctx, f.actor("kim"), reports.Query{})
		if err != nil {
			t.Fatal(err)
		}
		if rows := drain(t, b); len(rows) != 3 || !b.Hidden.Hides("revenue") || b.Hidden.Hides("name") {
			t.Fatalf("%d rows, hidden %v", len(rows), b.Hidden.Fields())
		}
	})
	t.Run("rule ACC-1: Accounts none runs no accounts report", func(t *testing.T) {
		f.override("kim", rights.ColAccounts, "none")
		_, err := f.svc.Accounts(ctx, f.actor("kim"), reports.Query{Err: errMalformed})
		wantCode(t, err, apperr.Forbidden, "")
	})
}
