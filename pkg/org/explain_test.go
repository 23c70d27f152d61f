package org_test

import (
	"slices"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/org"
)

func (f *fixture) caseID(name string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", name).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("case %s: %v", name, err)
	}
	return id
}

// TestExplain: explaining access needs Users all or Administrator edit_settings (USR-4,
// ADM-2), and an asker who may view the case (STYLE rule 3).
func TestExplain(t *testing.T) {
	f := newFixture(t)
	ada, carl, kim := f.actor("ada"), f.actor("carl"), f.actor("kim")
	globex := f.caseID("Globex pricing study")
	t.Run("rules USR-4, ADM-2: who may explain", func(t *testing.T) {
		mustOK(t, org.MayExplain(ada))
		wantCode(t, org.MayExplain(carl), apperr.Forbidden)
	})
	t.Run("the subject of another user", func(t *testing.T) {
		s, err := f.svc.ExplainSubject(f.ctx, ada, f.userID("lea"))
		mustOK(t, err)
		if s.UserID != f.userID("lea") {
			t.Fatalf("subject of %d", s.UserID)
		}
		_, err = f.svc.ExplainSubject(f.ctx, ada, 99999)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.ExplainSubject(f.ctx, carl, f.userID("lea"))
		wantCode(t, err, apperr.Forbidden)
	})
	t.Run("rule CASE-9: the viewers of a case, with their reasons", func(t *testing.T) {
		viewers, err := f.svc.CaseViewers(f.ctx, ada, globex)
		mustOK(t, err)
		var ids []int64
		for _, v := range viewers {
			ids = append(ids, v.UserID)
			if v.UserID == f.userID("carl") && !slices.Contains(v.Decision.Reason.Rules(), "CASE-9") {
				t.Fatalf("carl's reason %v", v.Decision.Reason.Rules())
			}
		}
		if len(ids) != 5 || !slices.Contains(ids, f.userID("lea")) {
			t.Fatalf("viewers %v", ids)
		}
	})
	t.Run("a case the asker cannot view is missing; one they can view needs explain rights", func(t *testing.T) {
		_, err := f.svc.CaseViewers(f.ctx, kim, globex)
		wantCode(t, err, apperr.NotFound)
		_, err = f.svc.CaseViewers(f.ctx, carl, globex)
		wantCode(t, err, apperr.Forbidden)
	})
}
