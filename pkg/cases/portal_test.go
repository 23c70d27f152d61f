package cases_test

import (
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
)

// rules EXT-2, EXT-3: the portal pages' reads of a shared case. Comments come newest first
// with the names of what they are about; what waits is the pending phases, where the
// contact may approve, counted for all their cases at once.
func TestPortalReads(t *testing.T) {
	w := newPartsWorld(t)
	aino := w.contact(partsAino, partsRights{approve: true, comment: true})
	mikko := w.contact(partsMikko, partsRights{comment: true})
	caseID, discovery := w.caseID(partsCase), w.phaseID(partsCase, "Discovery")

	t.Run("comments: newest first, with the phase's name", func(t *testing.T) {
		for i, in := range []cases.CommentInput{
			{CaseID: caseID, TargetType: cases.TargetCase, Body: "first"},
			{CaseID: caseID, TargetType: cases.TargetPhase, TargetID: discovery, Body: "second"},
		} {
			w.now = w.now.Add(time.Duration(i+1) * time.Minute)
			if _, err := w.svc.AddComment(w.ctx, aino, in); err != nil {
				t.Fatal(err)
			}
		}
		rows, n, err := w.svc.RecentComments(w.ctx, mikko, caseID, domain.Window{Limit: 1})
		if err != nil || n != 2 || len(rows) != 1 || rows[0].Body != "second" || rows[0].TargetName != "Discovery" {
			t.Fatalf("%d of %d (%v): %+v", len(rows), n, err, rows)
		}
		rows, _, err = w.svc.RecentComments(w.ctx, mikko, caseID, domain.Window{Offset: 1, Limit: 1})
		if err != nil || rows[0].Body != "first" || rows[0].TargetName != "" {
			t.Fatalf("(%v) %+v", err, rows)
		}
	})
	t.Run("waiting phases and their counts", func(t *testing.T) {
		rows, n, err := w.svc.WaitingPhases(w.ctx, aino, caseID, domain.Window{Limit: 10})
		if err != nil || n != 2 || len(rows) != 2 {
			t.Fatalf("%d of %d (%v)", len(rows), n, err)
		}
		counts, err := w.svc.WaitingPhaseCounts(w.ctx, aino)
		if err != nil || len(counts) != 1 || counts[caseID] != 2 {
			t.Fatalf("counts %v (%v)", counts, err)
		}
		if counts, err := w.svc.WaitingPhaseCounts(w.ctx, mikko); err != nil || len(counts) != 0 {
			t.Fatalf("rule EXT-2: counts without the Approve right: %v (%v)", counts, err)
		}
		if _, _, err := w.svc.WaitingPhases(w.ctx, mikko, caseID, domain.Window{Limit: 10}); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("rule EXT-2: %v", err)
		}
		w.sections(false, true)
		if _, _, err := w.svc.WaitingPhases(w.ctx, aino, caseID, domain.Window{Limit: 10}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("rule EXT-3: phases not shared: %v", err)
		}
	})
}
