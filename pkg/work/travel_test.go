package work_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/work"
)

// fixture is the demo organisation in a database of the test's own (pkg/demo: every case's
// owner has a pending claim on it; erik owns Globex pricing study and is a member of Acme
// strategy review, carl's case; carl approves his subordinates' claims, ada everyone's).
type fixture struct {
	t    *testing.T
	ctx  context.Context
	db   *bun.DB
	work *work.Service
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
	return &fixture{t: t, ctx: ctx, db: d, work: work.New(domain.NewEnv(d, clock))}
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

func (f *fixture) caseID(name string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Table("cases").Column("id").Where("name = ?", name).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("find case %s: %v", name, err)
	}
	return id
}

// claimOf is the demo claim of user key.
func (f *fixture) claimOf(key string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Table("travel_reimbursements").Column("id").Where("user_id = ?", f.employee(key).User.ID).
		OrderExpr("id").Limit(1).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("find claim of %s: %v", key, err)
	}
	return id
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("error %v, want none", err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("error %v, want %v", err, want)
	}
}

// must returns v, failing the test on an error: must(f.work.Travel(…))(t).
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// withTravel returns a with the travel level changed, or the feature switched off.
func withTravel(a domain.Actor, level rights.TravelLevel, enabled bool) domain.Actor {
	s := *a.Subject
	s.Rights.Travel, s.Settings.TravelEnabled = level, enabled
	a.Subject = &s
	return a
}

// rules TRV-2..5 and STYLE rule 2: the list holds exactly the claims the single-object read
// lets each employee view.
func TestTravelListIsTheSingleObjectRule(t *testing.T) {
	f := setup(t)
	var all []int64
	if err := f.db.NewSelect().Table("travel_reimbursements").Column("id").OrderExpr("id").Scan(f.ctx, &all); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"ada", "carl", "dina", "erik", "lea"} {
		t.Run(key, func(t *testing.T) {
			a := f.employee(key)
			spec := f.work.TravelList(a)
			p := must(spec.Page(f.ctx, jsonapi.Query{Page: jsonapi.Page{Number: 1, Size: 100}}))(t)
			var listed, viewable []int64
			for _, c := range p.Rows {
				listed = append(listed, c.ID)
			}
			for _, id := range all {
				if _, err := f.work.Travel(f.ctx, a, id); err == nil {
					viewable = append(viewable, id)
				} else {
					wantErr(t, err, apperr.ErrNotFound)
				}
			}
			slices.Sort(listed)
			if !slices.Equal(listed, viewable) {
				t.Fatalf("listed %v, viewable %v", listed, viewable)
			}
			if batch := must(f.work.TravelByID(f.ctx, a, all))(t); len(batch) != len(viewable) {
				t.Fatalf("TravelByID gives %d claims, want %d", len(batch), len(viewable))
			}
		})
	}
	t.Run("rule TRV-3: carl sees his own and his subordinate's", func(t *testing.T) {
		want := []int64{f.claimOf("carl"), f.claimOf("erik")}
		if got := must(f.work.TravelByID(f.ctx, f.employee("carl"), all))(t); len(got) != 2 || got[0].ID != want[0] || got[1].ID != want[1] {
			t.Fatalf("carl sees %v, want %v", got, want)
		}
	})
	t.Run("rule TRV-1: travel none sees nothing", func(t *testing.T) {
		_, err := f.work.Travel(f.ctx, withTravel(f.employee("erik"), rights.TravelNone, true), f.claimOf("erik"))
		wantErr(t, err, apperr.ErrNotFound)
	})
}

func TestCreateTravel(t *testing.T) {
	f := setup(t)
	acme, migration := f.caseID("Acme strategy review"), f.caseID("Acme platform migration")
	claim := func(caseID *int64) work.TravelInput {
		return work.TravelInput{TravelDate: ptr("2026-11-02"), Amount: ptr(int64(4500)), Description: ptr(" Taxi "), CaseID: caseID}
	}
	erik := f.employee("erik")
	for _, tc := range []struct {
		name string
		a    domain.Actor
		in   work.TravelInput
		want error
	}{
		{"no amount", erik, work.TravelInput{TravelDate: ptr("2026-11-02")}, apperr.ErrInvalid},
		{"a negative amount", erik, work.TravelInput{TravelDate: ptr("2026-11-02"), Amount: ptr(int64(-1))}, apperr.ErrInvalid},
		{"a malformed date", erik, work.TravelInput{TravelDate: ptr("02.11.2026"), Amount: ptr(int64(1))}, apperr.ErrInvalid},
		{"rule CASE-12: a case the employee is not on", erik, claim(&migration), apperr.ErrNotFound},
		{"rule TRV-1: travel none", withTravel(erik, rights.TravelNone, true), claim(nil), apperr.ErrForbidden},
		{"rule TRV-1: the feature off", withTravel(erik, rights.TravelCreate, false), claim(nil), apperr.ErrForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.work.CreateTravel(f.ctx, tc.a, tc.in)
			wantErr(t, err, tc.want)
		})
	}
	t.Run("rule TRV-2: one's own, on a case one works on", func(t *testing.T) {
		c := must(f.work.CreateTravel(f.ctx, erik, claim(&acme)))(t)
		if c.UserID != erik.User.ID || c.Status != domain.Pending || c.Description != "Taxi" || c.Amount != 4500 || *c.CaseID != acme {
			t.Fatalf("claim %+v", c.TravelReimbursement)
		}
		var other int64
		if err := f.db.NewSelect().Table("case_figures").Column("other_expenses").Where("case_id = ?", acme).Scan(f.ctx, &other); err != nil {
			t.Fatal(err)
		}
		if other != 8900+4500 {
			t.Fatalf("other expenses %d, want the demo's claim and this one", other)
		}
	})
}

func TestUpdateTravel(t *testing.T) {
	f := setup(t)
	erik, id := f.employee("erik"), f.claimOf("erik")
	more := work.TravelInput{Amount: ptr(int64(9900))}
	for _, tc := range []struct {
		name string
		who  string
		in   work.TravelInput
		x    domain.Expect
		want error
	}{
		{"rule TRV-2: another's claim", "carl", more, domain.Version(1), apperr.ErrForbidden},
		{"rule TRV-3: a claim the employee cannot see", "dina", more, domain.Version(1), apperr.ErrNotFound},
		{"a stale version", "erik", more, domain.Version(3), apperr.ErrStale},
		{"an amount out of range", "erik", work.TravelInput{Amount: ptr(model.MaxMoney + 1)}, domain.Version(1), apperr.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.work.UpdateTravel(f.ctx, f.employee(tc.who), id, tc.in, tc.x)
			wantErr(t, err, tc.want)
		})
	}
	c := must(f.work.UpdateTravel(f.ctx, erik, id, more, domain.Version(1)))(t)
	if c.Amount != 9900 || c.Version != 2 {
		t.Fatalf("claim %+v", c.TravelReimbursement)
	}
}

func TestDecideTravel(t *testing.T) {
	f := setup(t)
	erik, id := f.employee("erik"), f.claimOf("erik")
	t.Run("rule TRV-5: not one's own below approve_all", func(t *testing.T) {
		_, err := f.work.DecideTravel(f.ctx, f.employee("carl"), f.claimOf("carl"), true)
		wantErr(t, err, apperr.ErrForbidden)
	})
	t.Run("rule TRV-3: not outside one's subordinates", func(t *testing.T) {
		_, err := f.work.DecideTravel(f.ctx, f.employee("dina"), id, true)
		wantErr(t, err, apperr.ErrNotFound)
	})
	t.Run("rule TRV-2: create approves nothing", func(t *testing.T) {
		_, err := f.work.DecideTravel(f.ctx, f.employee("lea"), id, true)
		wantErr(t, err, apperr.ErrNotFound)
	})
	t.Run("rule TRV-3: a subordinate's", func(t *testing.T) {
		c := must(f.work.DecideTravel(f.ctx, f.employee("carl"), id, true))(t)
		if c.Status != domain.Approved || *c.ApprovedByUserID != f.employee("carl").User.ID || c.ApprovedAt == nil || c.Version != 2 {
			t.Fatalf("claim %+v", c.TravelReimbursement)
		}
	})
	t.Run("an approved claim no longer changes", func(t *testing.T) {
		_, err := f.work.UpdateTravel(f.ctx, erik, id, work.TravelInput{Amount: ptr(int64(1))}, domain.Version(2))
		wantErr(t, err, apperr.ErrConflict)
		wantErr(t, f.work.DeleteTravel(f.ctx, erik, id), apperr.ErrConflict)
	})
	t.Run("rule TRV-5: approve_all approves one's own", func(t *testing.T) {
		ada := f.employee("ada")
		own := must(f.work.CreateTravel(f.ctx, ada, work.TravelInput{TravelDate: ptr("2026-11-03"), Amount: ptr(int64(100))}))(t)
		if c := must(f.work.DecideTravel(f.ctx, ada, own.ID, false))(t); c.Status != domain.Rejected {
			t.Fatalf("claim %+v", c.TravelReimbursement)
		}
	})
}

func TestDeleteTravel(t *testing.T) {
	f := setup(t)
	id := f.claimOf("erik")
	wantErr(t, f.work.DeleteTravel(f.ctx, f.employee("carl"), id), apperr.ErrForbidden) // rule TRV-2
	wantErr(t, f.work.DeleteTravel(f.ctx, f.employee("erik"), id), nil)
	_, err := f.work.Travel(f.ctx, f.employee("erik"), id)
	wantErr(t, err, apperr.ErrNotFound)
}
