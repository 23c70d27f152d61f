package cases_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
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

// rules EXT-2, EXT-3: a new comment may be about any phase or file the contact sees, each
// named, all of them at once: phases only with the Phases section, files only when files
// are visible; without the Comment right there is no list.
func TestCommentTargets(t *testing.T) {
	w := newPartsWorld(t)
	aino := w.contact(partsAino, partsRights{comment: true})
	mikko := w.contact(partsMikko, partsRights{approve: true})
	caseID := w.caseID(partsCase)
	var files []int64
	for i := range 60 {
		f := &model.File{CaseID: caseID, Kind: "link", Name: fmt.Sprintf("Link %02d", i), URL: "https://example.com/",
			Version: 1, CreatedAt: w.now.Add(time.Duration(i) * time.Minute)}
		if _, err := w.db.NewInsert().Model(f).Returning("id").Exec(w.ctx); err != nil {
			t.Fatal(err)
		}
		files = append(files, f.ID)
	}
	kinds := func(ts []cases.CommentTarget) map[string]int {
		out := map[string]int{}
		for _, c := range ts {
			out[c.Type]++
		}
		return out
	}
	t.Run("phases and every file", func(t *testing.T) {
		ts, err := w.svc.CommentTargets(w.ctx, aino, caseID)
		if err != nil {
			t.Fatal(err)
		}
		k := kinds(ts)
		if k[cases.TargetPhase] != 2 || k[cases.TargetFile] < 60 || ts[0].Name != "Discovery" {
			t.Fatalf("targets %v: %+v", k, ts)
		}
		first := ts[2]
		if first.Type != cases.TargetFile || first.ID != files[59] || first.Name != "Link 59" {
			t.Fatalf("the newest file is not first: %+v", first)
		}
	})
	t.Run("rule EXT-3: no phases without the Phases section", func(t *testing.T) {
		w.sections(false, true)
		ts, err := w.svc.CommentTargets(w.ctx, aino, caseID)
		if err != nil || kinds(ts)[cases.TargetPhase] != 0 || kinds(ts)[cases.TargetFile] < 60 {
			t.Fatalf("(%v) %v", err, kinds(ts))
		}
	})
	t.Run("rule EXT-3: no files without the Other section", func(t *testing.T) {
		w.sections(true, false)
		ts, err := w.svc.CommentTargets(w.ctx, aino, caseID)
		if err != nil || kinds(ts)[cases.TargetFile] != 0 || kinds(ts)[cases.TargetPhase] != 2 {
			t.Fatalf("(%v) %v", err, kinds(ts))
		}
	})
	t.Run("rule EXT-2: without the Comment right, 403; rule EXT-8: an employee, 404", func(t *testing.T) {
		if _, err := w.svc.CommentTargets(w.ctx, mikko, caseID); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("mikko: %v", err)
		}
		if _, err := w.svc.CommentTargets(w.ctx, w.employee("carl"), caseID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("carl: %v", err)
		}
	})
}
