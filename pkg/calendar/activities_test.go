package calendar_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/calendar"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// fixture is the calendar service over a database holding the demo organisation: erik's
// personal "Dentist" with lea taking part, and kim's "Vacation" absence.
type fixture struct {
	db  *bun.DB
	svc *calendar.Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	db := dbtest.Open(t)
	if _, err := demo.Load(context.Background(), db, time.Now); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	return &fixture{db: db, svc: calendar.New(domain.NewEnv(db, func() time.Time { return now }))}
}

func (f *fixture) user(t *testing.T, key string) *model.User {
	t.Helper()
	var u model.User
	if err := f.db.NewSelect().Model(&u).Where("email = ?", key+"@northwind.example").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &u
}

// actor is demo user key with their rights.
func (f *fixture) actor(t *testing.T, key string) domain.Actor {
	t.Helper()
	u := f.user(t, key)
	s, err := access.LoadSubject(context.Background(), f.db, u)
	if err != nil {
		t.Fatal(err)
	}
	return domain.Employee(u, s)
}

func (f *fixture) idOf(t *testing.T, table, cond string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := f.db.NewSelect().TableExpr(table).Column("id").Where(cond, args...).Limit(1).Scan(context.Background(), &id); err != nil {
		t.Fatalf("%s where %s: %v", table, cond, err)
	}
	return id
}

func (f *fixture) activity(t *testing.T, name string) int64 {
	return f.idOf(t, "activities", "name = ?", name)
}

// stored is the activity as the database holds it, with its participants.
func (f *fixture) stored(t *testing.T, id int64) (model.Activity, []int64) {
	t.Helper()
	ctx := context.Background()
	var a model.Activity
	if err := f.db.NewSelect().Model(&a).Where("id = ?", id).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	var parts []int64
	if err := f.db.NewSelect().Model((*model.ActivityParticipant)(nil)).Column("user_id").Where("activity_id = ?", id).
		OrderExpr("user_id").Scan(ctx, &parts); err != nil {
		t.Fatal(err)
	}
	return a, parts
}

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
	if !errors.As(err, &e) || e.Code != apperr.Forbidden || !slices.Contains(strings.Split(e.Reason, ","), rule) {
		t.Fatalf("error %v, want forbidden by %s", err, rule)
	}
}

func ptr[T any](v T) *T { return &v }

func hour(h int) *time.Time { return ptr(time.Date(2026, 11, 25, h, 0, 0, 0, time.UTC)) }

// TestActivityReads: rules ACT-1, ACT-2, ACT-4 and ACT-5. Every activity shows in every
// calendar, reduced alike in the list, one by one and in a batch.
func TestActivityReads(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dentist, vacation := f.activity(t, "Dentist"), f.activity(t, "Vacation")
	for _, tc := range []struct {
		name, who string
		id        int64
		want      rights.Visibility
	}{
		{"rule ACT-5: others see only that erik's dentist is private", "carl", dentist, rights.VisibleLabel},
		{"rule ACT-5: a participant sees it all", "lea", dentist, rights.VisibleFull},
		{"rule ACT-4: a colleague sees only that kim is out of office", "carl", vacation, rights.VisibleLabel},
		{"rule ACT-4: kim's managers see the absence", "dina", vacation, rights.VisibleFull},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := f.actor(t, tc.who)
			one, err := f.svc.Activity(ctx, a, tc.id)
			if err != nil || one.Visibility != tc.want {
				t.Fatalf("one: %+v, %v", one, err)
			}
			batch, err := f.svc.ActivitiesByID(ctx, a, []int64{tc.id})
			if err != nil || len(batch) != 1 || batch[0].Visibility != tc.want {
				t.Fatalf("batch: %+v, %v", batch, err)
			}
			page, err := f.svc.ActivityList(a).Page(ctx, jsonapi.Query{Page: jsonapi.Page{Number: 1, Size: 50}})
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(page.Rows, func(r calendar.Activity) bool { return r.ID == tc.id })
			if i < 0 || page.Rows[i].Visibility != tc.want {
				t.Fatalf("rule ACT-1: the list shows %d rows, the activity at %d", len(page.Rows), i)
			}
		})
	}
	t.Run("a missing activity is NotFound", func(t *testing.T) {
		_, err := f.svc.Activity(ctx, f.actor(t, "kim"), 999999)
		mustCode(t, err, apperr.NotFound)
	})
}

// TestCreateActivity: rules USR-1, USR-2, CASE-1 and CASE-15.
func TestCreateActivity(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	kim, carl, gus := f.actor(t, "kim"), f.actor(t, "carl"), f.actor(t, "gus")
	erik, lea := f.user(t, "erik").ID, f.user(t, "lea").ID
	in := func() calendar.ActivityInput {
		return calendar.ActivityInput{Category: ptr("todo"), Name: ptr(" Prepare workshop "), StartsAt: hour(9), EndsAt: hour(10)}
	}
	t.Run("rule USR-1: one's own, with participants and a history", func(t *testing.T) {
		v := in()
		v.Participants = &[]int64{lea, lea}
		a, err := f.svc.CreateActivity(ctx, kim, v)
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "Prepare workshop" || a.OwnerID != kim.User.ID || a.Visibility != rights.VisibleFull {
			t.Fatalf("created %+v", a)
		}
		if _, parts := f.stored(t, a.ID); !slices.Equal(parts, []int64{lea}) {
			t.Fatalf("participants %v", parts)
		}
	})
	t.Run("rule USR-2: not for others without the Users right", func(t *testing.T) {
		v := in()
		v.OwnerID = &erik
		_, err := f.svc.CreateActivity(ctx, kim, v)
		mustCode(t, err, apperr.Forbidden)
	})
	t.Run("rule USR-2: a manager adds one for a subordinate", func(t *testing.T) {
		v := in()
		v.OwnerID = &erik
		if a, err := f.svc.CreateActivity(ctx, carl, v); err != nil || a.OwnerID != erik {
			t.Fatalf("%+v, %v", a, err)
		}
	})
	t.Run("rule CASE-1: a case the author may not view is as missing as one that does not exist", func(t *testing.T) {
		hidden := f.idOf(t, "cases", "name = ?", "Acme platform migration")
		v := in()
		v.CaseID = jsonapi.Nullable[int64]{Set: true, Value: hidden}
		_, a := f.svc.CreateActivity(ctx, gus, v)
		v.CaseID.Value = 999999
		_, b := f.svc.CreateActivity(ctx, gus, v)
		mustCode(t, a, apperr.Invalid)
		if strings.ReplaceAll(a.Error(), strconv.FormatInt(hidden, 10), "N") != strings.ReplaceAll(b.Error(), "999999", "N") {
			t.Fatalf("hidden %v, missing %v", a, b)
		}
	})
	t.Run("an activity ends after it starts, and has a name", func(t *testing.T) {
		v := in()
		v.EndsAt = hour(8)
		_, err := f.svc.CreateActivity(ctx, kim, v)
		mustCode(t, err, apperr.Invalid)
		v = in()
		v.Name = ptr(" ")
		_, err = f.svc.CreateActivity(ctx, kim, v)
		mustCode(t, err, apperr.Invalid)
	})
	t.Run("participants are active users", func(t *testing.T) {
		v := in()
		v.Participants = &[]int64{999999}
		_, err := f.svc.CreateActivity(ctx, kim, v)
		mustCode(t, err, apperr.Invalid)
	})
}

// TestUpdateActivity: rules ACT-3, ACT-4 and ACT-5 through rights.DecideActivityUpdate.
func TestUpdateActivity(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dentist := f.activity(t, "Dentist")
	lea, carl, erik := f.actor(t, "lea"), f.actor(t, "carl"), f.actor(t, "erik")
	was, parts := f.stored(t, dentist)

	t.Run("rule ACT-3: a participant edits the text", func(t *testing.T) {
		a, err := f.svc.UpdateActivity(ctx, lea, dentist, calendar.ActivityInput{Description: ptr("Moved to Friday"),
			Participants: &[]int64{lea.User.ID}}, domain.Version(was.Version))
		if err != nil || a.Description != "Moved to Friday" || a.Version != was.Version+1 {
			t.Fatalf("%+v, %v", a, err)
		}
		was.Version++
	})
	for _, tc := range []struct {
		name string
		in   calendar.ActivityInput
	}{
		{"rule ACT-5: a participant may not add someone", calendar.ActivityInput{Participants: &[]int64{lea.User.ID, carl.User.ID}}},
		{"rule ACT-5: nor make it work", calendar.ActivityInput{Category: ptr("work")}},
		{"rule ACT-5: nor link it to an account", calendar.ActivityInput{AccountID: jsonapi.Nullable[int64]{Set: true,
			Value: f.idOf(t, "accounts", "name = ?", "Acme Oy")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.UpdateActivity(ctx, lea, dentist, tc.in, domain.Version(was.Version))
			mustRule(t, err, "ACT-5")
			if now, nowParts := f.stored(t, dentist); now.Version != was.Version || now.Category != "personal" || now.AccountID != nil ||
				!slices.Equal(nowParts, parts) {
				t.Fatalf("the refused change was stored: %+v %v", now, nowParts)
			}
		})
	}
	t.Run("rule ACT-5: who sees only the label may not edit, even with a bad request", func(t *testing.T) {
		_, err := f.svc.UpdateActivity(ctx, carl, dentist, calendar.ActivityInput{}, domain.Expect{Err: apperr.E(apperr.Invalid, "bad")})
		mustRule(t, err, "ACT-5")
	})
	t.Run("the version edited must be the current one", func(t *testing.T) {
		_, err := f.svc.UpdateActivity(ctx, erik, dentist, calendar.ActivityInput{Name: ptr("Dentist, again")}, domain.Version(was.Version-1))
		mustCode(t, err, apperr.Stale)
	})
	t.Run("rule ACT-3: the owner decides who takes part", func(t *testing.T) {
		a, err := f.svc.UpdateActivity(ctx, erik, dentist, calendar.ActivityInput{Participants: &[]int64{carl.User.ID}}, domain.Version(was.Version))
		if err != nil || !slices.Equal(a.Participants, calendar.IDs{carl.User.ID}) {
			t.Fatalf("%+v, %v", a, err)
		}
		if seen, _ := f.svc.Activity(ctx, carl, dentist); seen.Visibility != rights.VisibleFull {
			t.Fatal("the participant the owner added does not see it")
		}
	})
	t.Run("a missing activity is NotFound", func(t *testing.T) {
		_, err := f.svc.UpdateActivity(ctx, erik, 999999, calendar.ActivityInput{}, domain.AnyVersion)
		mustCode(t, err, apperr.NotFound)
	})
}

// TestDeleteAndLeaveActivity: rule ACT-3. Participants leave, the owner deletes.
func TestDeleteAndLeaveActivity(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dentist := f.activity(t, "Dentist")
	lea, carl, erik := f.actor(t, "lea"), f.actor(t, "carl"), f.actor(t, "erik")

	t.Run("rule ACT-3: a participant may not delete", func(t *testing.T) {
		mustRule(t, f.svc.DeleteActivity(ctx, lea, dentist), "ACT-3")
	})
	t.Run("rule ACT-3: participants remove only themselves", func(t *testing.T) {
		mustRule(t, f.svc.LeaveActivity(ctx, lea, dentist, []int64{erik.User.ID}), "ACT-3")
		mustRule(t, f.svc.LeaveActivity(ctx, lea, dentist, []int64{lea.User.ID, erik.User.ID}), "ACT-3")
	})
	t.Run("rule ACT-3: who does not take part has nothing to leave", func(t *testing.T) {
		mustCode(t, f.svc.LeaveActivity(ctx, carl, dentist, []int64{carl.User.ID}), apperr.Forbidden)
	})
	t.Run("rule ACT-3: a participant leaves", func(t *testing.T) {
		if err := f.svc.LeaveActivity(ctx, lea, dentist, []int64{lea.User.ID}); err != nil {
			t.Fatal(err)
		}
		if _, parts := f.stored(t, dentist); len(parts) != 0 {
			t.Fatalf("participants %v", parts)
		}
	})
	t.Run("rule ACT-3: the owner deletes", func(t *testing.T) {
		if err := f.svc.DeleteActivity(ctx, erik, dentist); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.Activity(ctx, erik, dentist)
		mustCode(t, err, apperr.NotFound)
		mustCode(t, f.svc.DeleteActivity(ctx, erik, dentist), apperr.NotFound)
	})
}
