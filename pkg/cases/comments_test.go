package cases_test

import (
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
)

// rules CASE-2, CASE-4, EXT-2, EXT-3, EXT-6, EXT-7: one AddComment for employees who may view
// the case and for contacts with the Comment right; targets must be on the case and, for a
// contact, in a section they see.
func TestAddComment(t *testing.T) {
	w := newPartsWorld(t)
	caseID, phase := w.caseID(partsCase), w.phaseID(partsCase, "Discovery")
	otherPhase := w.phaseID(partsOther, "Analysis")
	erik, kim := w.employee("erik"), w.employee("kim")
	aino := w.contact(partsAino, partsRights{comment: true})
	mikko := w.contact(partsMikko, partsRights{approve: true})

	for _, tc := range []struct {
		name string
		a    domain.Actor
		in   cases.CommentInput
		code apperr.Code
	}{
		{"CASE-2: a member comments on the case", erik, cases.CommentInput{CaseID: caseID, Body: "Kick-off went well"}, ""},
		{"CASE-2: and on its phase", erik, cases.CommentInput{CaseID: caseID, TargetType: cases.TargetPhase, TargetID: phase, Body: "On track"}, ""},
		{"a phase of another case is invalid", erik, cases.CommentInput{CaseID: caseID, TargetType: cases.TargetPhase, TargetID: otherPhase, Body: "x"}, apperr.Invalid},
		{"an unknown target type is invalid", erik, cases.CommentInput{CaseID: caseID, TargetType: "invoice", TargetID: 1, Body: "x"}, apperr.Invalid},
		{"an empty comment is invalid", erik, cases.CommentInput{CaseID: caseID, Body: "   "}, apperr.Invalid},
		{"CASE-1: an outsider meets a missing case", kim, cases.CommentInput{CaseID: caseID, Body: "x"}, apperr.NotFound},
		{"EXT-2: a contact with the Comment right comments", aino, cases.CommentInput{CaseID: caseID, TargetType: cases.TargetPhase, TargetID: phase, Body: "Fine by us"}, ""},
		{"EXT-2: a contact without it may not", mikko, cases.CommentInput{CaseID: caseID, Body: "x"}, apperr.Forbidden},
		{"EXT-8: a phase of another case is missing to a contact", aino, cases.CommentInput{CaseID: caseID, TargetType: cases.TargetPhase, TargetID: otherPhase, Body: "x"}, apperr.NotFound},
		{"EXT-8: another account's case is missing to a contact", aino, cases.CommentInput{CaseID: w.caseID(partsOther), Body: "x"}, apperr.NotFound},
		{"a contact's comment is at most 5000 characters", aino, cases.CommentInput{CaseID: caseID, Body: strings.Repeat("x", 5001)}, apperr.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := w.svc.AddComment(w.ctx, tc.a, tc.in)
			partsCode(t, err, tc.code)
			if err != nil {
				return
			}
			if !c.Mine || c.ByContact() != tc.a.IsContact() || c.Body != strings.TrimSpace(tc.in.Body) || c.AuthorName == "" {
				t.Fatalf("comment %+v", c)
			}
			if rec := w.lastChange("comments", c.ID); rec.Action != "create" || (rec.ActorContactID != nil) != tc.a.IsContact() {
				t.Fatalf("history %+v", rec)
			}
		})
	}
	t.Run("EXT-3: a phase in a section not shared is missing to a contact", func(t *testing.T) {
		w.sections(false, true)
		defer w.sections(true, true)
		_, err := w.svc.AddComment(w.ctx, aino, cases.CommentInput{CaseID: caseID, TargetType: cases.TargetPhase, TargetID: phase, Body: "x"})
		partsCode(t, err, apperr.NotFound)
	})
}

// rules EXT-2, EXT-3, EXT-8, CASE-2: who reads which comments.
func TestCommentView(t *testing.T) {
	w := newPartsWorld(t)
	caseID, phase := w.caseID(partsCase), w.phaseID(partsCase, "Discovery")
	erik := w.employee("erik")
	onCase, err := w.svc.AddComment(w.ctx, erik, cases.CommentInput{CaseID: caseID, Body: "On the case"})
	partsCode(t, err, "")
	onPhase, err := w.svc.AddComment(w.ctx, erik, cases.CommentInput{CaseID: caseID, TargetType: cases.TargetPhase, TargetID: phase, Body: "On a phase"})
	partsCode(t, err, "")
	aino := w.contact(partsAino, partsRights{comment: true})
	mikko := w.contact(partsMikko, partsRights{upload: true})

	t.Run("EXT-2: with the Comment right a contact reads them, oldest first, by whom", func(t *testing.T) {
		rows, n, err := w.svc.CaseComments(w.ctx, aino, caseID, domain.Window{Limit: 10})
		partsCode(t, err, "")
		if n != 2 || rows[0].ID != onCase.ID || rows[0].AuthorName != "Erik Strategist" || rows[0].Mine {
			t.Fatalf("%d: %+v", n, rows)
		}
	})
	t.Run("EXT-2: without it the list is refused and each comment missing", func(t *testing.T) {
		_, _, err := w.svc.CaseComments(w.ctx, mikko, caseID, domain.Window{Limit: 10})
		partsCode(t, err, apperr.Forbidden)
		_, err = w.svc.Comment(w.ctx, mikko, onCase.ID)
		partsCode(t, err, apperr.NotFound)
	})
	t.Run("EXT-3: comments on an unshared section are left out", func(t *testing.T) {
		w.sections(false, true)
		defer w.sections(true, true)
		rows, n, err := w.svc.CaseComments(w.ctx, aino, caseID, domain.Window{Limit: 10})
		partsCode(t, err, "")
		if n != 1 || rows[0].ID != onCase.ID {
			t.Fatalf("%d: %+v", n, rows)
		}
		_, err = w.svc.Comment(w.ctx, aino, onPhase.ID)
		partsCode(t, err, apperr.NotFound)
	})
	t.Run("CASE-1: an outsider sees none", func(t *testing.T) {
		_, err := w.svc.Comment(w.ctx, w.employee("kim"), onCase.ID)
		partsCode(t, err, apperr.NotFound)
		rows, err := w.svc.CommentsByID(w.ctx, w.employee("kim"), []int64{onCase.ID, onPhase.ID})
		partsCode(t, err, "")
		if len(rows) != 0 {
			t.Fatalf("batch %+v", rows)
		}
	})
	t.Run("CASE-4: the owner sees both in one batch", func(t *testing.T) {
		rows, err := w.svc.CommentsByID(w.ctx, w.employee("carl"), []int64{onCase.ID, onPhase.ID})
		partsCode(t, err, "")
		if len(rows) != 2 || rows[0].Mine {
			t.Fatalf("batch %+v", rows)
		}
	})
}

// rule CASE-4: the author edits their comment; the author or an owner-like user deletes it;
// a contact changes none (EXT-6).
func TestCommentEditAndDelete(t *testing.T) {
	w := newPartsWorld(t)
	caseID := w.caseID(partsCase)
	erik, carl := w.employee("erik"), w.employee("carl")
	c, err := w.svc.AddComment(w.ctx, erik, cases.CommentInput{CaseID: caseID, Body: "Draft"})
	partsCode(t, err, "")

	t.Run("only its author edits it", func(t *testing.T) {
		_, err := w.svc.UpdateComment(w.ctx, carl, c.ID, "Mine now", domain.Version(1))
		partsCode(t, err, apperr.Forbidden)
		_, err = w.svc.UpdateComment(w.ctx, w.employee("kim"), c.ID, "x", domain.Version(1))
		partsCode(t, err, apperr.NotFound)
		_, err = w.svc.UpdateComment(w.ctx, erik, c.ID, "", domain.Version(1))
		partsCode(t, err, apperr.Invalid)
		_, err = w.svc.UpdateComment(w.ctx, erik, c.ID, "Final", domain.Version(5))
		partsCode(t, err, apperr.Stale)
		got, err := w.svc.UpdateComment(w.ctx, erik, c.ID, " Final ", domain.Version(1))
		partsCode(t, err, "")
		if got.Body != "Final" || got.Version != 2 || got.UpdatedAt == nil {
			t.Fatalf("comment %+v", got)
		}
	})
	t.Run("EXT-6: a contact changes no comment, not even their own", func(t *testing.T) {
		aino := w.contact(partsAino, partsRights{comment: true})
		own, err := w.svc.AddComment(w.ctx, aino, cases.CommentInput{CaseID: caseID, Body: "Ours"})
		partsCode(t, err, "")
		_, err = w.svc.UpdateComment(w.ctx, aino, own.ID, "Changed", domain.AnyVersion)
		partsCode(t, err, apperr.Forbidden)
		partsCode(t, w.svc.DeleteComment(w.ctx, aino, own.ID), apperr.Forbidden)
	})
	t.Run("CASE-4: the owner deletes a member's comment", func(t *testing.T) {
		fay := w.employee("fay")
		partsCode(t, w.svc.DeleteComment(w.ctx, fay, c.ID), apperr.Forbidden)
		partsCode(t, w.svc.DeleteComment(w.ctx, carl, c.ID), "")
		if rec := w.lastChange("comments", c.ID); rec.Action != "delete" {
			t.Fatalf("history %+v", rec)
		}
	})
}
