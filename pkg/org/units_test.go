package org_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/org"
)

func TestUnits(t *testing.T) {
	f := newFixture(t)
	ada, carl, kim := f.actor("ada"), f.actor("carl"), f.actor("kim")
	t.Run("rule ORG-3: every employee views the tree", func(t *testing.T) {
		if n := len(rowsOf(t, f, f.svc.UnitList(kim), "")); n != 5 {
			t.Fatalf("kim lists %d units", n)
		}
		_, err := f.svc.Unit(f.ctx, kim, 99999)
		wantCode(t, err, apperr.NotFound)
		rows, err := f.svc.UnitsByID(f.ctx, kim, []int64{f.unitID("Strategy"), 99999})
		if err != nil || len(rows) != 1 {
			t.Fatalf("%d units, %v", len(rows), err)
		}
	})
	var created *org.Unit
	t.Run("rule ADM-2: an administrator adds a unit below another", func(t *testing.T) {
		before := f.epoch()
		u, err := f.svc.CreateUnit(f.ctx, ada, org.UnitInput{Name: ptr(" Research "), ParentID: ref(f.unitID("Strategy"))})
		mustOK(t, err)
		if u.Name != "Research" || u.Version != 1 || f.epoch() == before {
			t.Fatalf("created %+v, epoch %d → %d", u.BusinessUnit, before, f.epoch())
		}
		created = u
	})
	t.Run("rule ADM-1: without admin rights no unit changes", func(t *testing.T) {
		_, err := f.svc.CreateUnit(f.ctx, carl, org.UnitInput{Name: ptr("X"), ParentID: ref(f.unitID("Strategy"))})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.UpdateUnit(f.ctx, carl, created.ID, org.UnitInput{Name: ptr("X")}, domain.AnyVersion)
		wantCode(t, err, apperr.Forbidden)
		wantCode(t, f.svc.DeleteUnit(f.ctx, carl, created.ID), apperr.Forbidden)
	})
	t.Run("a name is required", func(t *testing.T) {
		_, err := f.svc.CreateUnit(f.ctx, ada, org.UnitInput{ParentID: ref(f.unitID("Strategy"))})
		wantCode(t, err, apperr.Invalid)
	})
	t.Run("rule ORG-3: one root, no cycles", func(t *testing.T) {
		_, err := f.svc.CreateUnit(f.ctx, ada, org.UnitInput{Name: ptr("Second root"), ParentID: null})
		wantCode(t, err, apperr.Unprocessable)
		_, err = f.svc.UpdateUnit(f.ctx, ada, f.unitID("Consulting"), org.UnitInput{ParentID: ref(f.unitID("Strategy"))}, domain.AnyVersion)
		wantCode(t, err, apperr.Unprocessable)
	})
	t.Run("a rename checks the version", func(t *testing.T) {
		u, err := f.svc.UpdateUnit(f.ctx, ada, created.ID, org.UnitInput{Name: ptr("R&D")}, domain.Version(1))
		mustOK(t, err)
		if u.Name != "R&D" || u.Version != 2 {
			t.Fatalf("updated %+v", u.BusinessUnit)
		}
		_, err = f.svc.UpdateUnit(f.ctx, ada, created.ID, org.UnitInput{Name: ptr("R")}, domain.Version(1))
		wantCode(t, err, apperr.Stale)
	})
	t.Run("rule ORG-3: a unit with users stays; an empty one goes", func(t *testing.T) {
		wantCode(t, f.svc.DeleteUnit(f.ctx, ada, f.unitID("Strategy")), apperr.Conflict)
		mustOK(t, f.svc.DeleteUnit(f.ctx, ada, created.ID))
		wantCode(t, f.svc.DeleteUnit(f.ctx, ada, created.ID), apperr.NotFound)
	})
}
