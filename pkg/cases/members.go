package cases

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// memberIDs returns the user ids of the members of case caseID, ascending.
func memberIDs(ctx context.Context, db bun.IDB, caseID int64) ([]int64, error) {
	var ids []int64
	if err := db.NewSelect().Model((*model.CaseMember)(nil)).Column("user_id").Where("case_id = ?", caseID).OrderExpr("user_id").
		Scan(ctx, &ids); err != nil {
		return nil, apperr.Wrap(err, "load members of case")
	}
	return ids, nil
}

// Members returns the user ids of the members of case caseID, ascending, for an employee who
// may view the case (CASE-2). Errors: apperr.NotFound (CASE-1).
func (s *Service) Members(ctx context.Context, a domain.Actor, caseID int64) ([]int64, error) {
	if _, _, err := domain.CaseFor(ctx, s.env.DB, a, caseID, rights.CaseView); err != nil {
		return nil, err
	}
	return memberIDs(ctx, s.env.DB, caseID)
}

// AddMembers adds the active users userIDs to case caseID and returns its members. Adding
// oneself alone is joining (JOIN-1..4), which needs no view right; adding others is
// owner-like (CASE-4, CASE-12). Memberships are part of every subject, so the rights epoch
// moves in the same transaction (PRF-6). Errors: apperr.NotFound, apperr.Forbidden,
// apperr.Invalid (no such active user).
func (s *Service) AddMembers(ctx context.Context, a domain.Actor, caseID int64, userIDs []int64) ([]int64, error) {
	return s.membersChange(ctx, a, caseID, userIDs, true)
}

// RemoveMembers removes the users userIDs from case caseID and returns its members. A member
// may leave; removing others is owner-like (CASE-4, CASE-12); the owner always stays a member
// (ORG-4). The rights epoch moves in the same transaction (PRF-6). Errors: apperr.NotFound,
// apperr.Forbidden, apperr.Conflict (the owner).
func (s *Service) RemoveMembers(ctx context.Context, a domain.Actor, caseID int64, userIDs []int64) ([]int64, error) {
	return s.membersChange(ctx, a, caseID, userIDs, false)
}

func (s *Service) membersChange(ctx context.Context, a domain.Actor, caseID int64, userIDs []int64, add bool) ([]int64, error) {
	var after []int64
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		var c model.Case
		if err := tx.NewSelect().Model(&c).Where("id = ?", caseID).Scan(ctx); err != nil {
			return domain.Loaded(err, "case", caseID)
		}
		if err := membersDecide(a, &c, userIDs, add); err != nil {
			return err
		}
		before, err := memberIDs(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		for _, uid := range userIDs {
			if err := membersApply(ctx, tx, &c, uid, add, s.env.Now().UTC()); err != nil {
				return err
			}
		}
		if err := caseRightsChanged(ctx, tx); err != nil {
			return err
		}
		if after, err = memberIDs(ctx, tx, c.ID); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "update", ResourceType: "cases", ResourceID: c.ID, CaseID: c.ID,
			Changes: history.Diff(map[string]any{"members": before}, map[string]any{"members": after})})
	})
	return after, err
}

// membersDecide decides a change of c's members by a: joining alone needs the join right
// (JOIN-1..4) and is missing only where the case is invisible and joining refused; anything
// else needs the case visible (CASE-1); leaving needs nothing more, and changing others needs
// ManageMembers (CASE-4, CASE-12).
func membersDecide(a domain.Actor, c *model.Case, userIDs []int64, add bool) error {
	if a.Subject == nil {
		return domain.NotFound("case", c.ID)
	}
	attrs := domain.CaseAttrs(c)
	view := rights.DecideCase(a.Subject, rights.CaseView, attrs)
	onlySelf := len(userIDs) == 1 && userIDs[0] == a.User.ID
	switch {
	case add && onlySelf:
		if d := rights.DecideCase(a.Subject, rights.CaseJoin, attrs); !d.Allow {
			return domain.Decide(view, d, "case", c.ID)
		}
		return nil
	case !view.Allow:
		return domain.NotFound("case", c.ID)
	case !add && onlySelf:
		return nil // leaving needs nothing beyond seeing the case
	}
	return domain.Decide(view, rights.DecideCase(a.Subject, rights.CaseManageMembers, attrs), "case", c.ID)
}

// membersApply adds user uid to c or removes them.
func membersApply(ctx context.Context, tx bun.IDB, c *model.Case, uid int64, add bool, now time.Time) error {
	if !add {
		if uid == c.OwnerID {
			return apperr.E(apperr.Conflict, "The owner is always a member of their case.").AtPointer("/data")
		}
		if _, err := tx.NewDelete().Model((*model.CaseMember)(nil)).Where("case_id = ? AND user_id = ?", c.ID, uid).Exec(ctx); err != nil {
			return apperr.Wrap(err, "remove member of case")
		}
		return nil
	}
	ok, err := tx.NewSelect().Model((*model.User)(nil)).Where("id = ? AND active", uid).Exists(ctx)
	if err != nil {
		return apperr.Wrap(err, "check member of case")
	}
	if !ok {
		return apperr.E(apperr.Invalid, "No active user %d.", uid).AtPointer("/data")
	}
	if _, err := tx.NewInsert().Model(&model.CaseMember{CaseID: c.ID, UserID: uid, CreatedAt: now}).
		On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return apperr.Wrap(err, "add member of case")
	}
	return nil
}
