package crm_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// fixture is the crm service over a database holding the demo organisation.
type fixture struct {
	db  *bun.DB
	svc *crm.Service
	now time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := dbtest.Open(t)
	if _, err := demo.Load(context.Background(), db, time.Now); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	return &fixture{db: db, now: now, svc: crm.New(domain.NewEnv(db, func() time.Time { return now }))}
}

// actor is demo user key (ada, carl, kim …) with their rights, changed by adjust.
func (f *fixture) actor(t *testing.T, key string, adjust ...func(*rights.Rights)) domain.Actor {
	t.Helper()
	var u model.User
	if err := f.db.NewSelect().Model(&u).Where("email = ?", key+"@northwind.example").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	s, err := access.LoadSubject(context.Background(), f.db, &u)
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range adjust {
		fn(&s.Rights)
	}
	return domain.Employee(&u, s)
}

func accountsNone(r *rights.Rights) { r.Accounts = rights.AccountsNone }

// idOf returns the id of the row of table where cond holds.
func (f *fixture) idOf(t *testing.T, table, cond string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := f.db.NewSelect().TableExpr(table).Column("id").Where(cond, args...).Limit(1).Scan(context.Background(), &id); err != nil {
		t.Fatalf("%s where %s: %v", table, cond, err)
	}
	return id
}

func (f *fixture) acme(t *testing.T) int64 { return f.idOf(t, "accounts", "name = ?", "Acme Oy") }

// mustCode checks that err carries code.
func mustCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if apperr.CodeOf(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
}

// mustRule checks a Forbidden that names rule.
func mustRule(t *testing.T, err error, rule string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Forbidden {
		t.Fatalf("error %v, want forbidden", err)
	}
	if !slices.Contains(strings.Split(e.Reason, ","), rule) {
		t.Fatalf("%v names rules %q, want %s", err, e.Reason, rule)
	}
}

// history counts the change-history entries of resource id with action.
func (f *fixture) history(t *testing.T, resource string, id int64, action string) int {
	t.Helper()
	n, err := f.db.NewSelect().TableExpr("change_history").Where("resource_type = ? AND resource_id = ? AND action = ?", resource, id, action).
		Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func ptr[T any](v T) *T { return &v }

// rows returns the first page of a collection.
func rows[M any](t *testing.T, spec listing.Spec[M]) []M {
	t.Helper()
	p, err := spec.Page(context.Background(), jsonapi.Query{Page: jsonapi.Page{Number: 1, Size: 50}})
	if err != nil {
		t.Fatal(err)
	}
	return p.Rows
}
