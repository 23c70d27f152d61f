package extranet

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
)

// PhaseView is a phase as a contact sees it.
type PhaseView struct {
	Phase model.Phase
	Grant Grant
}

// Phases lists the phases of a shared case in date order. They are the Phases section
// (EXT-3): without it the list is apperr.NotFound (EXT-8).
func (s *Service) Phases(ctx context.Context, who *Contact, caseID int64, p Page) ([]PhaseView, int64, error) {
	g, err := s.grant(ctx, s.db, who, caseID)
	if err != nil {
		return nil, 0, err
	}
	if err := g.Check(ViewPhases, "No phases are shared on this case."); err != nil {
		return nil, 0, err
	}
	var rows []model.Phase
	n, err := s.db.NewSelect().Model(&rows).Where("case_id = ?", caseID).OrderExpr("starts_on, id").
		Limit(p.Limit).Offset(p.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list phases")
	}
	out := make([]PhaseView, len(rows))
	for i, r := range rows {
		out[i] = PhaseView{Phase: r, Grant: g}
	}
	return out, n, nil
}

// Phase returns one phase, or apperr.NotFound when its case or the Phases section is not
// shared with who (EXT-8).
func (s *Service) Phase(ctx context.Context, who *Contact, id int64) (PhaseView, error) {
	return s.loadPhase(ctx, s.db, who, id)
}

func (s *Service) loadPhase(ctx context.Context, db bun.IDB, who *Contact, id int64) (PhaseView, error) {
	var ph model.Phase
	if err := db.NewSelect().Model(&ph).Where("id = ?", id).Scan(ctx); err != nil {
		if isNoRows(err) {
			return PhaseView{}, notFound("phase", id)
		}
		return PhaseView{}, apperr.Wrap(err, "load phase")
	}
	g, err := s.objectGrant(ctx, db, who, ph.CaseID, ViewPhases, "phase", id)
	if err != nil {
		return PhaseView{}, err
	}
	return PhaseView{Phase: ph, Grant: g}, nil
}

// DecidePhase approves or rejects a phase for who (EXT-2, EXT-6): it needs the Phases
// section and the Approve right; a rejection needs a comment, an approval may have one.
// version, when given, is the phase version the contact saw. Errors: apperr.NotFound,
// apperr.Forbidden, apperr.Invalid, apperr.Stale.
func (s *Service) DecidePhase(ctx context.Context, who *Contact, id int64, approve bool, comment string, version *int64) (PhaseView, error) {
	status, comment, err := decision(approve, comment)
	if err != nil {
		return PhaseView{}, err
	}
	var out PhaseView
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		v, err := s.loadPhase(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if err := v.Grant.Check(ApprovePhases, ""); err != nil {
			return err
		}
		ph := &v.Phase
		if err := checkVersion(version, ph.Version); err != nil {
			return err
		}
		out = v
		if ph.ApprovalStatus == status && ph.ApprovalComment == comment {
			return nil
		}
		before := phaseSnapshot(ph)
		now := s.now().UTC()
		ph.ApprovalStatus, ph.ApprovalComment, ph.ApprovedByUserID = status, comment, nil
		// The decider is recorded for a rejection too, as the internal API does for employees.
		ph.ApprovedByContactID, ph.ApprovedAt = &who.ID, &now
		if err := db.BumpVersion(ctx, tx, "phases", ph.ID, ph.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("approval_status = ?", ph.ApprovalStatus).Set("approval_comment = ?", ph.ApprovalComment).
				Set("approved_by_user_id = NULL").Set("approved_by_contact_id = ?", ph.ApprovedByContactID).
				Set("approved_at = ?", ph.ApprovedAt).Set("updated_at = ?", now)
		}); err != nil {
			return err
		}
		ph.Version++
		ph.UpdatedAt = now
		out = v
		return s.record(ctx, tx, who, "update", "phases", ph.ID, ph.CaseID, history.Diff(before, phaseSnapshot(ph)))
	})
	return out, err
}

func phaseSnapshot(p *model.Phase) map[string]any {
	return map[string]any{"approvalStatus": p.ApprovalStatus, "approvalComment": p.ApprovalComment,
		"approvedByUser": p.ApprovedByUserID, "approvedByContact": p.ApprovedByContactID}
}
