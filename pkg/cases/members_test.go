package cases_test

import (
	"slices"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
)

func TestMembers(t *testing.T) {
	f := caseSetup(t)
	acme, initech := f.caseID("Acme strategy review"), f.caseID("Initech integration")
	carl, erik, gus, jon := f.employee("carl"), f.employee("erik"), f.employee("gus"), f.employee("jon")

	t.Run("rule CASE-2: a member reads the members", func(t *testing.T) {
		ids, err := f.svc.Members(f.ctx, erik, acme)
		caseWant(t, err, apperr.Internal)
		if len(ids) != 3 || !slices.Contains(ids, carl.User.ID) || !slices.Contains(ids, erik.User.ID) {
			t.Fatalf("members %v", ids)
		}
	})
	t.Run("rule CASE-1: not of an invisible case", func(t *testing.T) {
		_, err := f.svc.Members(f.ctx, jon, acme)
		caseWant(t, err, apperr.NotFound)
	})
	t.Run("rules CASE-4, CASE-12: the owner adds others", func(t *testing.T) {
		before := f.epoch()
		ids, err := f.svc.AddMembers(f.ctx, carl, acme, []int64{gus.User.ID})
		caseWant(t, err, apperr.Internal)
		if !slices.Contains(ids, gus.User.ID) || f.epoch() == before {
			t.Fatalf("members %v, epoch moved %t", ids, f.epoch() != before)
		}
	})
	t.Run("a member leaves", func(t *testing.T) {
		ids, err := f.svc.RemoveMembers(f.ctx, f.employee("gus"), acme, []int64{gus.User.ID})
		caseWant(t, err, apperr.Internal)
		if slices.Contains(ids, gus.User.ID) {
			t.Fatalf("members %v", ids)
		}
	})
	t.Run("rule JOIN-2: joining a case of one's own unit needs no view right", func(t *testing.T) {
		ids, err := f.svc.AddMembers(f.ctx, f.employee("gus"), acme, []int64{gus.User.ID})
		caseWant(t, err, apperr.Internal)
		if !slices.Contains(ids, gus.User.ID) {
			t.Fatalf("members %v", ids)
		}
	})
	t.Run("rule JOIN-2: not a case of another unit, which stays missing", func(t *testing.T) {
		_, err := f.svc.AddMembers(f.ctx, f.employee("gus"), initech, []int64{gus.User.ID})
		caseWant(t, err, apperr.NotFound)
	})
	t.Run("rule CASE-12: a plain member may not add others", func(t *testing.T) {
		_, err := f.svc.AddMembers(f.ctx, erik, acme, []int64{jon.User.ID})
		caseWant(t, err, apperr.Forbidden)
	})
	t.Run("rule ORG-4: the owner stays a member", func(t *testing.T) {
		_, err := f.svc.RemoveMembers(f.ctx, carl, acme, []int64{carl.User.ID})
		caseWant(t, err, apperr.Conflict)
	})
	t.Run("no such user", func(t *testing.T) {
		_, err := f.svc.AddMembers(f.ctx, carl, acme, []int64{0})
		caseWant(t, err, apperr.Invalid)
	})
}
