package org_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/org"
)

func ref(id int64) jsonapi.Nullable[int64] { return jsonapi.Nullable[int64]{Set: true, Value: id} }

var null = jsonapi.Nullable[int64]{Set: true, Null: true}

func users(t *testing.T, f *fixture, a domain.Actor, raw string) []org.User {
	t.Helper()
	return rowsOf(t, f, f.svc.UserList(a), raw)
}

// TestUserDirectory: every employee sees the directory; a user's access only the user and
// those who manage them see (USR-2, USR-4), in the list, one by one and in batches alike.
func TestUserDirectory(t *testing.T) {
	f := newFixture(t)
	carl, kim := f.actor("carl"), f.actor("kim")
	mustOK(t, second(f.db.NewInsert().Model(&model.RightOverride{UserID: f.userID("erik"), RightName: "cases", Value: "own_unit"}).Exec(f.ctx)))

	managedOf := func(rows []org.User) map[string]bool {
		out := map[string]bool{}
		for _, u := range rows {
			out[u.Email[:len(u.Email)-len("@northwind.example")]] = u.Managed
		}
		return out
	}
	t.Run("every employee lists all users (n=12)", func(t *testing.T) {
		if n := len(users(t, f, kim, "page[size]=100")); n != 12 {
			t.Fatalf("kim lists %d users", n)
		}
	})
	t.Run("rule USR-2: a manager sees the access of subordinates, not of others", func(t *testing.T) {
		m := managedOf(users(t, f, carl, "page[size]=100"))
		if !m["erik"] || !m["carl"] || m["ivan"] || m["ada"] {
			t.Fatalf("managed %v", m)
		}
	})
	t.Run("overrides come with the row", func(t *testing.T) {
		for _, u := range users(t, f, carl, "filter[unit]="+itoa(f.unitID("Strategy"))) {
			if want := u.ID == f.userID("erik"); want != (u.Overrides["cases"] == "own_unit") {
				t.Fatalf("%s overrides %v", u.Email, u.Overrides)
			}
		}
	})
	t.Run("one user: missing is NotFound", func(t *testing.T) {
		u, err := f.svc.User(f.ctx, kim, f.userID("kim"))
		mustOK(t, err)
		if !u.Managed {
			t.Fatal("kim does not see her own access")
		}
		_, err = f.svc.User(f.ctx, kim, 99999)
		wantCode(t, err, apperr.NotFound)
	})
	t.Run("a batch decides like one by one", func(t *testing.T) {
		rows, err := f.svc.UsersByID(f.ctx, carl, []int64{f.userID("erik"), f.userID("ivan"), 99999})
		mustOK(t, err)
		if len(rows) != 2 {
			t.Fatalf("%d users", len(rows))
		}
		for _, u := range rows {
			if u.Managed != (u.ID == f.userID("erik")) || (u.ID == f.userID("erik") && u.Overrides["cases"] != "own_unit") {
				t.Fatalf("%s managed=%v overrides=%v", u.Email, u.Managed, u.Overrides)
			}
		}
	})
}

func newUser(f *fixture, email string) org.UserInput {
	return org.UserInput{Name: ptr("New Person"), Email: ptr(email), Password: ptr("a-long-password-1"),
		UnitID: ref(f.unitID("Strategy")), SupervisorID: ref(f.userID("carl")), ProfileID: ref(f.profileID("employee"))}
}

func TestCreateUser(t *testing.T) {
	f := newFixture(t)
	bea := f.actor("bea")
	t.Run("rule USR-4: Users all adds a user, and the rights epoch moves", func(t *testing.T) {
		before := f.epoch()
		u, err := f.svc.CreateUser(f.ctx, bea, newUser(f, "New.Person@northwind.example"))
		mustOK(t, err)
		if u.Email != "new.person@northwind.example" || u.Version != 1 || !u.Active || !u.Managed {
			t.Fatalf("created %+v", u.User)
		}
		if f.epoch() == before {
			t.Fatal("the rights epoch did not move (PRF-6)")
		}
	})
	t.Run("a second user with the email is a Conflict", func(t *testing.T) {
		_, err := f.svc.CreateUser(f.ctx, bea, newUser(f, "new.person@northwind.example"))
		wantCode(t, err, apperr.Conflict)
	})
	t.Run("rule USR-2: edit_subordinates may not add users", func(t *testing.T) {
		_, err := f.svc.CreateUser(f.ctx, f.actor("carl"), newUser(f, "x@northwind.example"))
		wantCode(t, err, apperr.Forbidden)
	})
	t.Run("a name is required", func(t *testing.T) {
		in := newUser(f, "y@northwind.example")
		in.Name = ptr(" ")
		_, err := f.svc.CreateUser(f.ctx, bea, in)
		wantCode(t, err, apperr.Invalid)
	})
	t.Run("rule ORG-1: a new user joins below an existing user", func(t *testing.T) {
		in := newUser(f, "z@northwind.example")
		in.SupervisorID = null
		_, err := f.svc.CreateUser(f.ctx, bea, in)
		wantCode(t, err, apperr.Unprocessable)
		in.SupervisorID = ref(99999)
		_, err = f.svc.CreateUser(f.ctx, bea, in)
		wantCode(t, err, apperr.Unprocessable)
	})
}

func TestUpdateUser(t *testing.T) {
	f := newFixture(t)
	ada, carl := f.actor("ada"), f.actor("carl")
	erik := f.userID("erik")
	t.Run("rule USR-2: a manager renames a subordinate", func(t *testing.T) {
		u, err := f.svc.UpdateUser(f.ctx, carl, erik, org.UserInput{Name: ptr(" Erik S ")}, domain.Version(1))
		mustOK(t, err)
		if u.Name != "Erik S" || u.Version != 2 {
			t.Fatalf("updated %q v%d", u.Name, u.Version)
		}
	})
	t.Run("a stale version is refused", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, carl, erik, org.UserInput{Name: ptr("E")}, domain.Version(1))
		wantCode(t, err, apperr.Stale)
	})
	t.Run("rule USR-2: not outside the subordinates", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, carl, f.userID("ivan"), org.UserInput{Name: ptr("I")}, domain.AnyVersion)
		wantCode(t, err, apperr.Forbidden)
	})
	t.Run("a missing user is NotFound", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, ada, 99999, org.UserInput{Name: ptr("I")}, domain.AnyVersion)
		wantCode(t, err, apperr.NotFound)
	})
	t.Run("rule USR-5: nobody changes their own profile", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, carl, carl.User.ID, org.UserInput{ProfileID: ref(f.profileID("administrator"))}, domain.AnyVersion)
		wantCode(t, err, apperr.Forbidden)
	})
	t.Run("a bad email is Invalid", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, ada, erik, org.UserInput{Email: ptr("not an email")}, domain.AnyVersion)
		wantCode(t, err, apperr.Invalid)
	})
	t.Run("rule ORG-1: a supervisor change may not make a cycle", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, ada, f.userID("carl"), org.UserInput{SupervisorID: ref(f.userID("lea"))}, domain.AnyVersion)
		wantCode(t, err, apperr.Unprocessable)
	})
	t.Run("rule PRF-4: the last Administrator keeps the profile", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, f.actor("bea"), ada.User.ID, org.UserInput{ProfileID: ref(f.profileID("employee"))}, domain.AnyVersion)
		wantCode(t, err, apperr.Unprocessable)
	})
	t.Run("rule PRF-6: overrides are written, recorded, and move the epoch", func(t *testing.T) {
		before := f.epoch()
		u, err := f.svc.UpdateUser(f.ctx, ada, f.userID("kim"), org.UserInput{Overrides: &map[string]string{"cases": "own_unit"}}, domain.AnyVersion)
		mustOK(t, err)
		if u.Overrides["cases"] != "own_unit" || f.epoch() == before {
			t.Fatalf("overrides %v, epoch %d → %d", u.Overrides, before, f.epoch())
		}
		n, err := f.db.NewSelect().Model((*model.ChangeRecord)(nil)).Where("resource_type = 'users' AND resource_id = ?", u.ID).Count(f.ctx)
		if err != nil || n != 1 {
			t.Fatalf("history entries %d, %v", n, err)
		}
	})
	t.Run("rule USR-5: nobody deactivates themself", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, ada, ada.User.ID, org.UserInput{Active: ptr(false)}, domain.AnyVersion)
		wantCode(t, err, apperr.Forbidden)
	})
	t.Run("rule ORG-1: a user with subordinates stays active", func(t *testing.T) {
		_, err := f.svc.UpdateUser(f.ctx, ada, f.userID("carl"), org.UserInput{Active: ptr(false)}, domain.AnyVersion)
		wantCode(t, err, apperr.Unprocessable)
	})
	t.Run("a deactivated user's sessions end", func(t *testing.T) {
		lea := f.user("lea")
		u, err := f.svc.UpdateUser(f.ctx, ada, lea.ID, org.UserInput{Active: ptr(false)}, domain.AnyVersion)
		mustOK(t, err)
		if u.Active || u.TokenVersion != lea.TokenVersion+1 {
			t.Fatalf("active %v, token version %d", u.Active, u.TokenVersion)
		}
	})
}

func TestExplainUser(t *testing.T) {
	f := newFixture(t)
	ada := f.actor("ada")
	t.Run("rule USR-5: nobody edits their own rights", func(t *testing.T) {
		d, err := f.svc.ExplainUser(f.ctx, ada.Subject, ada.User.ID, "edit-rights")
		mustOK(t, err)
		if d.Allow {
			t.Fatal("ada may edit her own rights")
		}
	})
	t.Run("an unknown action is Invalid", func(t *testing.T) {
		_, err := f.svc.ExplainUser(f.ctx, ada.Subject, ada.User.ID, "fly")
		wantCode(t, err, apperr.Invalid)
	})
	t.Run("a missing user is NotFound", func(t *testing.T) {
		_, err := f.svc.ExplainUser(f.ctx, ada.Subject, 99999, "edit")
		wantCode(t, err, apperr.NotFound)
	})
}
