package org_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/org"
)

func internRights() map[string]string {
	return map[string]string{"accounts": "read_only", "delete_accounts": "false", "cases": "member", "delete_cases": "false",
		"own_resource_allocations": "false", "join_cases": "no", "users": "none", "invoice_status": "any",
		"scheduled_invoicing": "false", "approval": "none", "approve_own_cases": "false", "travel": "create",
		"sharing": "false", "admin": "none"}
}

// TestProfiles: ADM-2 (profiles are settings), PRF-1..4 and PRF-6.
func TestProfiles(t *testing.T) {
	f := newFixture(t)
	ada, carl := f.actor("ada"), f.actor("carl")
	t.Run("rule PRF-2: the list counts each profile's users", func(t *testing.T) {
		spec, err := f.svc.ProfileList(ada)
		mustOK(t, err)
		counts := map[string]int{}
		for _, p := range rowsOf(t, f, spec, "") {
			counts[*p.Key] = p.UserCount
		}
		if counts["employee"] != 7 || counts["administrator"] != 1 {
			t.Fatalf("counts %v", counts)
		}
	})
	t.Run("rule ADM-2: without settings rights profiles are refused, and left out of includes", func(t *testing.T) {
		_, err := f.svc.ProfileList(carl)
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.Profile(f.ctx, carl, f.profileID("employee"))
		wantCode(t, err, apperr.Forbidden)
		rows, err := f.svc.ProfilesByID(f.ctx, carl, []int64{f.profileID("employee")})
		if err != nil || len(rows) != 0 {
			t.Fatalf("%d profiles, %v", len(rows), err)
		}
		_, err = f.svc.CreateProfile(f.ctx, carl, org.ProfileInput{Name: ptr("X"), Rights: ptr(internRights())})
		wantCode(t, err, apperr.Forbidden)
	})
	var intern *org.Profile
	t.Run("create", func(t *testing.T) {
		p, err := f.svc.CreateProfile(f.ctx, ada, org.ProfileInput{Name: ptr("Intern"), Rights: ptr(internRights())})
		mustOK(t, err)
		if p.Cases != "member" || p.Key != nil {
			t.Fatalf("created %+v", p.Profile)
		}
		intern = p
		_, err = f.svc.CreateProfile(f.ctx, ada, org.ProfileInput{Name: ptr("Intern"), Rights: ptr(internRights())})
		wantCode(t, err, apperr.Conflict)
	})
	t.Run("a bad right value is Invalid", func(t *testing.T) {
		_, err := f.svc.CreateProfile(f.ctx, ada, org.ProfileInput{Name: ptr("X"), Rights: &map[string]string{"cases": "godmode"}})
		wantCode(t, err, apperr.Invalid)
		_, err = f.svc.UpdateProfile(f.ctx, ada, intern.ID, org.ProfileInput{Rights: &map[string]string{"cases": "godmode"}}, domain.AnyVersion)
		wantCode(t, err, apperr.Invalid)
	})
	t.Run("rule PRF-6: an edit changes some rights and moves the epoch", func(t *testing.T) {
		before := f.epoch()
		p, err := f.svc.UpdateProfile(f.ctx, ada, intern.ID, org.ProfileInput{Rights: &map[string]string{"cases": "all"}}, domain.Version(1))
		mustOK(t, err)
		if p.Cases != "all" || p.Accounts != "read_only" || p.Version != 2 || f.epoch() == before {
			t.Fatalf("updated %+v", p.Profile)
		}
	})
	t.Run("rule PRF-3: nobody edits the profile they use", func(t *testing.T) {
		_, err := f.svc.UpdateProfile(f.ctx, ada, f.profileID("administrator"), org.ProfileInput{Name: ptr("Boss")}, domain.AnyVersion)
		wantCode(t, err, apperr.Forbidden)
	})
	t.Run("rule PRF-1: the Administrator profile keeps every right at the top", func(t *testing.T) {
		mustOK(t, second(f.db.NewInsert().Model(&model.RightOverride{UserID: f.userID("bea"), RightName: "admin", Value: "all"}).Exec(f.ctx)))
		_, err := f.svc.UpdateProfile(f.ctx, f.actor("bea"), f.profileID("administrator"), org.ProfileInput{Rights: &map[string]string{"cases": "none"}}, domain.AnyVersion)
		wantCode(t, err, apperr.Unprocessable)
	})
	t.Run("rule PRF-2: a profile in use stays; an unused one goes", func(t *testing.T) {
		wantCode(t, f.svc.DeleteProfile(f.ctx, ada, f.profileID("employee")), apperr.Conflict)
		mustOK(t, f.svc.DeleteProfile(f.ctx, ada, intern.ID))
		wantCode(t, f.svc.DeleteProfile(f.ctx, ada, intern.ID), apperr.NotFound)
	})
}
