package cases_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// rules CASE-2, CASE-4, EXT-3, EXT-8 and STYLE rule 3: a phase is seen with its case; one of
// a case the actor may not view, or of an unshared section, is missing, like one that does
// not exist.
func TestPhaseView(t *testing.T) {
	w := newPartsWorld(t)
	id := w.phaseID(partsCase, "Discovery")
	aino := w.contact(partsAino, partsRights{})
	for _, tc := range []struct {
		name string
		a    domain.Actor
		code apperr.Code
	}{
		{"CASE-2: a member sees it", w.employee("erik"), ""},
		{"CASE-4: the owner sees it", w.employee("carl"), ""},
		{"CASE-1: an outsider does not", w.employee("kim"), apperr.NotFound},
		{"EXT-3: a contact shown phases sees it", aino, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := w.svc.Phase(w.ctx, tc.a, id)
			partsCode(t, err, tc.code)
			if err == nil && (p.ID != id || p.Name != "Discovery") {
				t.Fatalf("phase %+v", p)
			}
			// The batch read of include is the API's: it shows an employee what Phase shows.
			got, err := w.svc.PhasesByID(w.ctx, tc.a, []int64{id})
			partsCode(t, err, "")
			if want := tc.code == "" && !tc.a.IsContact(); want != (len(got) == 1) {
				t.Fatalf("batch of %d, want the phase: %v", len(got), want)
			}
		})
	}
	t.Run("a missing phase answers like a hidden one", func(t *testing.T) {
		_, hidden := w.svc.Phase(w.ctx, w.employee("kim"), id)
		_, missing := w.svc.Phase(w.ctx, w.employee("kim"), 987654)
		partsCode(t, missing, apperr.NotFound)
		if hidden.Error() != domain.NotFound("phase", id).Error() {
			t.Fatalf("hidden %v", hidden)
		}
	})
	t.Run("EXT-3, EXT-8: without the Phases section a contact meets a missing phase and list", func(t *testing.T) {
		w.sections(false, true)
		defer w.sections(true, true)
		_, err := w.svc.Phase(w.ctx, aino, id)
		partsCode(t, err, apperr.NotFound)
		_, _, err = w.svc.CasePhases(w.ctx, aino, w.caseID(partsCase), domain.Window{Limit: 10})
		partsCode(t, err, apperr.NotFound)
	})
	t.Run("EXT-3: the list of a shared case, in date order", func(t *testing.T) {
		rows, n, err := w.svc.CasePhases(w.ctx, aino, w.caseID(partsCase), domain.Window{Limit: 1})
		partsCode(t, err, "")
		if n != 2 || len(rows) != 1 || !rows[0].Grant.ShowPhases {
			t.Fatalf("%d of %d: %+v", len(rows), n, rows)
		}
	})
	t.Run("EXT-8: another account's case is missing to a contact", func(t *testing.T) {
		_, _, err := w.svc.CasePhases(w.ctx, aino, w.caseID(partsOther), domain.Window{Limit: 10})
		partsCode(t, err, apperr.NotFound)
	})
}

// rule CASE-4: owner-like users add, change and delete phases; a member may view but not
// manage them (403), an outsider meets a missing case (404).
func TestPhaseWrites(t *testing.T) {
	w := newPartsWorld(t)
	carl, erik, kim := w.employee("carl"), w.employee("erik"), w.employee("kim")
	caseID := w.caseID(partsCase)
	in := cases.PhaseInput{Name: partsPtr("Follow-up"), CaseID: &caseID, StartsOn: jsonapi.Nullable[string]{Set: true, Value: "2026-12-01"}}

	t.Run("create", func(t *testing.T) {
		_, err := w.svc.CreatePhase(w.ctx, erik, in)
		partsCode(t, err, apperr.Forbidden)
		_, err = w.svc.CreatePhase(w.ctx, kim, in)
		partsCode(t, err, apperr.NotFound)
		_, err = w.svc.CreatePhase(w.ctx, carl, cases.PhaseInput{Name: partsPtr("  "), CaseID: &caseID})
		partsCode(t, err, apperr.Invalid)
		_, err = w.svc.CreatePhase(w.ctx, carl, cases.PhaseInput{Name: partsPtr("x"), CaseID: &caseID,
			EndsOn: jsonapi.Nullable[string]{Set: true, Value: "2026-13-01"}})
		partsCode(t, err, apperr.Invalid)
		p, err := w.svc.CreatePhase(w.ctx, carl, in)
		partsCode(t, err, "")
		if p.Status != "open" || p.ApprovalStatus != domain.Pending || p.StartsOn != "2026-12-01" || p.Version != 1 ||
			w.lastChange("phases", p.ID).Action != "create" {
			t.Fatalf("phase %+v", p)
		}
	})
	id := w.phaseID(partsCase, "Discovery")
	t.Run("update", func(t *testing.T) {
		_, err := w.svc.UpdatePhase(w.ctx, erik, id, cases.PhaseInput{Status: partsPtr("done")}, domain.Version(1))
		partsCode(t, err, apperr.Forbidden)
		_, err = w.svc.UpdatePhase(w.ctx, carl, id, cases.PhaseInput{Status: partsPtr("finished")}, domain.Version(1))
		partsCode(t, err, apperr.Invalid)
		_, err = w.svc.UpdatePhase(w.ctx, carl, id, cases.PhaseInput{Status: partsPtr("done")}, domain.Version(7))
		partsCode(t, err, apperr.Stale)
		p, err := w.svc.UpdatePhase(w.ctx, carl, id, cases.PhaseInput{Status: partsPtr("done")}, domain.Version(1))
		partsCode(t, err, "")
		if p.Status != "done" || p.Version != 2 {
			t.Fatalf("phase %+v", p)
		}
	})
	t.Run("EXT-6: a contact changes no phase", func(t *testing.T) {
		aino := w.contact(partsAino, partsRights{approve: true, comment: true, upload: true})
		_, err := w.svc.UpdatePhase(w.ctx, aino, id, cases.PhaseInput{Status: partsPtr("open")}, domain.AnyVersion)
		partsCode(t, err, apperr.Forbidden)
		partsCode(t, w.svc.DeletePhase(w.ctx, aino, id), apperr.Forbidden)
	})
	t.Run("delete", func(t *testing.T) {
		partsCode(t, w.svc.DeletePhase(w.ctx, erik, id), apperr.Forbidden)
		partsCode(t, w.svc.DeletePhase(w.ctx, kim, id), apperr.NotFound)
		partsCode(t, w.svc.DeletePhase(w.ctx, carl, id), "")
		_, err := w.svc.Phase(w.ctx, carl, id)
		partsCode(t, err, apperr.NotFound)
	})
}

// rules EXT-2, EXT-3, EXT-6, CASE-4: the one decision on a phase, for a contact with the
// Approve right and for an owner-like employee alike.
func TestDecidePhase(t *testing.T) {
	w := newPartsWorld(t)
	id := w.phaseID(partsCase, "Discovery")
	aino := w.contact(partsAino, partsRights{approve: true})
	mikko := w.contact(partsMikko, partsRights{comment: true})

	t.Run("a rejection needs a comment", func(t *testing.T) {
		_, err := w.svc.DecidePhase(w.ctx, aino, id, false, "  ", domain.AnyVersion)
		partsCode(t, err, apperr.Invalid)
	})
	t.Run("EXT-2, EXT-6: without the Approve right a contact may not", func(t *testing.T) {
		_, err := w.svc.DecidePhase(w.ctx, mikko, id, true, "", domain.AnyVersion)
		partsCode(t, err, apperr.Forbidden)
	})
	t.Run("CASE-4: a plain member may not", func(t *testing.T) {
		_, err := w.svc.DecidePhase(w.ctx, w.employee("erik"), id, true, "", domain.AnyVersion)
		partsCode(t, err, apperr.Forbidden)
	})
	t.Run("EXT-7: a contact rejects, recorded as theirs", func(t *testing.T) {
		p, err := w.svc.DecidePhase(w.ctx, aino, id, false, " Scope is unclear ", domain.Version(1))
		partsCode(t, err, "")
		if p.ApprovalStatus != domain.Rejected || p.ApprovalComment != "Scope is unclear" || p.Version != 2 ||
			p.ApprovedByContactID == nil || *p.ApprovedByContactID != aino.Contact.ID || p.ApprovedByUserID != nil {
			t.Fatalf("phase %+v", p)
		}
		if rec := w.lastChange("phases", id); rec.ActorContactID == nil || *rec.ActorContactID != aino.Contact.ID {
			t.Fatalf("history %+v", rec)
		}
	})
	t.Run("deciding the same again changes nothing", func(t *testing.T) {
		n := w.changes("phases", id)
		p, err := w.svc.DecidePhase(w.ctx, aino, id, false, "Scope is unclear", domain.AnyVersion)
		partsCode(t, err, "")
		if p.Version != 2 || w.changes("phases", id) != n {
			t.Fatalf("version %d, %d changes (was %d)", p.Version, w.changes("phases", id), n)
		}
	})
	t.Run("an old version is stale", func(t *testing.T) {
		_, err := w.svc.DecidePhase(w.ctx, aino, id, true, "", domain.Version(1))
		partsCode(t, err, apperr.Stale)
	})
	t.Run("CASE-4: the owner approves, with a comment", func(t *testing.T) {
		carl := w.employee("carl")
		p, err := w.svc.DecidePhase(w.ctx, carl, id, true, "Clear now", domain.Version(2))
		partsCode(t, err, "")
		if p.ApprovalStatus != domain.Approved || p.ApprovalComment != "Clear now" || p.ApprovedByContactID != nil ||
			p.ApprovedByUserID == nil || *p.ApprovedByUserID != carl.User.ID || p.ApprovedAt == nil {
			t.Fatalf("phase %+v", p)
		}
	})
	t.Run("EXT-3: in a section not shared the phase is missing", func(t *testing.T) {
		w.sections(false, true)
		_, err := w.svc.DecidePhase(w.ctx, aino, id, true, "", domain.AnyVersion)
		partsCode(t, err, apperr.NotFound)
	})
}
