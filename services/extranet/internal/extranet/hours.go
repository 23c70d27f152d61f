package extranet

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
)

// Approval statuses of hours and phases.
const (
	Pending  = "pending"
	Approved = "approved"
	Rejected = "rejected"
)

// maxDecisionComment bounds approval and rejection comments.
const maxDecisionComment = 2000

// HourView is a work-hour entry as a contact sees it, with the name of who worked.
type HourView struct {
	Hour   model.WorkHour
	Person string
	Grant  Grant
}

type hourRow struct {
	model.WorkHour `bun:",extend"`
	Person         string `bun:"person"`
}

func selectHours(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("work_hours AS wh").ColumnExpr("wh.*").
		ColumnExpr("u.name AS person").Join("JOIN users AS u ON u.id = wh.user_id")
}

// Hours lists the work hours of a shared case, newest first. They belong to the Other
// section (EXT-3): without it the list is apperr.NotFound, like an unshared case (EXT-8).
func (s *Service) Hours(ctx context.Context, who *Contact, caseID int64, p Page) ([]HourView, int64, error) {
	g, err := s.grant(ctx, s.db, who, caseID)
	if err != nil {
		return nil, 0, err
	}
	if err := g.Check(ViewHours, "No work hours are shared on this case."); err != nil {
		return nil, 0, err
	}
	var rows []hourRow
	n, err := selectHours(s.db, &rows).Where("wh.case_id = ?", caseID).OrderExpr("wh.work_date DESC, wh.id DESC").
		Limit(p.Limit).Offset(p.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list work hours")
	}
	out := make([]HourView, len(rows))
	for i, r := range rows {
		out[i] = HourView{Hour: r.WorkHour, Person: r.Person, Grant: g}
	}
	return out, n, nil
}

// Hour returns one work hour, or apperr.NotFound when its case is not shared with who or
// the Other section is not shared (EXT-8).
func (s *Service) Hour(ctx context.Context, who *Contact, id int64) (HourView, error) {
	return s.loadHour(ctx, s.db, who, id)
}

func (s *Service) loadHour(ctx context.Context, db bun.IDB, who *Contact, id int64) (HourView, error) {
	var r hourRow
	if err := selectHours(db, &r).Where("wh.id = ?", id).Scan(ctx); err != nil {
		if isNoRows(err) {
			return HourView{}, notFound("work hour", id)
		}
		return HourView{}, apperr.Wrap(err, "load work hour")
	}
	g, err := s.objectGrant(ctx, db, who, r.CaseID, ViewHours, "work hour", id)
	if err != nil {
		return HourView{}, err
	}
	return HourView{Hour: r.WorkHour, Person: r.Person, Grant: g}, nil
}

// DecideHour approves (approve=true) or rejects a work hour for who (EXT-2, EXT-6): it
// needs the Other section and the Approve right. A rejection needs a comment. version, when
// given, is the hour's version the contact saw (apperr.Stale otherwise). Approval has no
// effect on billing (WHA-8), so invoiced hours may be decided too. Deciding what is already
// decided that way changes nothing. Errors: apperr.NotFound, apperr.Forbidden,
// apperr.Invalid, apperr.Stale.
func (s *Service) DecideHour(ctx context.Context, who *Contact, id int64, approve bool, comment string, version *int64) (HourView, error) {
	status, comment, err := decision(approve, comment)
	if err != nil {
		return HourView{}, err
	}
	if approve {
		comment = "" // an hour keeps only the reason of a rejection
	}
	var out HourView
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		v, err := s.loadHour(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if err := v.Grant.Check(ApproveHours, ""); err != nil {
			return err
		}
		h := &v.Hour
		if err := checkVersion(version, h.Version); err != nil {
			return err
		}
		if h.ApprovalStatus == status && h.RejectComment == comment {
			out = v
			return nil
		}
		before := hourSnapshot(h)
		now := s.now().UTC()
		h.ApprovalStatus, h.RejectComment, h.ApprovedByUserID = status, comment, nil
		// The decider is recorded for a rejection too, as the internal API does for employees.
		h.ApprovedByContactID, h.ApprovedAt = &who.ID, &now
		if err := db.BumpVersion(ctx, tx, "work_hours", h.ID, h.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("approval_status = ?", h.ApprovalStatus).Set("reject_comment = ?", h.RejectComment).
				Set("approved_by_user_id = NULL").Set("approved_by_contact_id = ?", h.ApprovedByContactID).
				Set("approved_at = ?", h.ApprovedAt).Set("updated_at = ?", now)
		}); err != nil {
			return err
		}
		h.Version++
		h.UpdatedAt = now
		if err := s.record(ctx, tx, who, "update", "work-hours", h.ID, h.CaseID, history.Diff(before, hourSnapshot(h))); err != nil {
			return err
		}
		out = v
		return nil
	})
	return out, err
}

func hourSnapshot(h *model.WorkHour) map[string]any {
	return map[string]any{"approvalStatus": h.ApprovalStatus, "rejectComment": h.RejectComment,
		"approvedByUser": h.ApprovedByUserID, "approvedByContact": h.ApprovedByContactID}
}

// decision validates an approval or rejection: a rejection needs a comment saying why.
func decision(approve bool, comment string) (status, trimmed string, err error) {
	trimmed = strings.TrimSpace(comment)
	if len(trimmed) > maxDecisionComment {
		return "", "", apperr.E(apperr.Invalid, "The comment may have at most %d characters.", maxDecisionComment).
			AtPointer("/data/attributes/comment")
	}
	if approve {
		return Approved, trimmed, nil
	}
	if trimmed == "" {
		return "", "", apperr.E(apperr.Invalid, "Say why you reject it: a comment is required.").AtPointer("/data/attributes/comment")
	}
	return Rejected, trimmed, nil
}

// checkVersion compares an optional expected version with the current one.
func checkVersion(want *int64, current int64) error {
	if want != nil && *want != current {
		return apperr.E(apperr.Stale, "This changed since version %d; it is now at version %d. Reload and retry.", *want, current)
	}
	return nil
}

// objectGrant returns who's grant on the case of object what/id when the object is
// visible under action, and the object's own NotFound otherwise, so that an object of an
// unshared case and one of an unshared section answer exactly like a missing one (EXT-8).
func (s *Service) objectGrant(ctx context.Context, db bun.IDB, who *Contact, caseID int64, action Action, what string, id int64) (Grant, error) {
	g, err := s.grant(ctx, db, who, caseID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Grant{}, notFound(what, id)
	}
	if err != nil {
		return Grant{}, err
	}
	if !g.Decide(action).Visible {
		return Grant{}, notFound(what, id)
	}
	return g, nil
}
