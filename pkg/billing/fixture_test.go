package billing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/work"
)

// fixture is the demo organisation in a database of the test's own, with the services over
// it (pkg/demo: Acme strategy review is carl's with a draft invoice, Acme platform migration
// hana's with a sent one, Globex pricing study erik's with a draft, Initech integration
// dina's with a sent one).
type fixture struct {
	t       *testing.T
	ctx     context.Context
	db      *bun.DB
	billing *billing.Service
	work    *work.Service
}

var testNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.Open(t)
	clock := func() time.Time { return testNow }
	if _, err := demo.Load(ctx, d, clock); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	env := domain.NewEnv(d, clock)
	return &fixture{t: t, ctx: ctx, db: d, billing: billing.New(env), work: work.New(env)}
}

// employee returns demo user key ("carl") as an actor with their current rights.
func (f *fixture) employee(key string) domain.Actor {
	f.t.Helper()
	var u model.User
	if err := f.db.NewSelect().Model(&u).Where("email = ?", key+"@northwind.example").Scan(f.ctx); err != nil {
		f.t.Fatalf("load user %s: %v", key, err)
	}
	s, err := access.LoadSubject(f.ctx, f.db, &u)
	if err != nil {
		f.t.Fatalf("load subject of %s: %v", key, err)
	}
	return domain.Employee(&u, s)
}

// id returns the id of the row of table whose column is value.
func (f *fixture) id(table, column, value string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Table(table).Column("id").Where("? = ?", bun.Ident(column), value).Limit(1).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("find %s %s=%s: %v", table, column, value, err)
	}
	return id
}

func (f *fixture) caseID(name string) int64        { return f.id("cases", "name", name) }
func (f *fixture) statusID(name string) int64      { return f.id("invoice_statuses", "name", name) }
func (f *fixture) invoiceOf(caseName string) int64 { return f.firstInvoice(f.caseID(caseName)) }

// firstInvoice is the case's first invoice that is not a credit note.
func (f *fixture) firstInvoice(caseID int64) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Table("invoices").Column("id").Where("case_id = ? AND credit_of_id IS NULL", caseID).
		OrderExpr("id").Limit(1).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("find invoice of case %d: %v", caseID, err)
	}
	return id
}

// count counts the rows of table matching where.
func (f *fixture) count(table, where string, args ...any) int {
	f.t.Helper()
	n, err := f.db.NewSelect().Table(table).Where(where, args...).Count(f.ctx)
	if err != nil {
		f.t.Fatalf("count %s: %v", table, err)
	}
	return int(n)
}

// page reads the first page of a collection, as a request without parameters would.
func page[M any](t *testing.T, spec listing.Spec[M]) []M {
	t.Helper()
	p, err := spec.Page(context.Background(), jsonapi.Query{Page: jsonapi.Page{Number: 1, Size: 100}})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	return p.Rows
}

// errUnprocessable matches any apperr.Unprocessable.
var errUnprocessable = apperr.E(apperr.Unprocessable, "")

// wantErr fails unless err is want (nil: no error), matched by code.
func wantErr(t *testing.T, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("error %v, want none", err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("error %v, want %v", err, want)
	}
}

// must returns v, failing the test on an error: must(f.billing.Invoice(…))(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}
