package extranet

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// grantRow is a share_contacts row joined with its share.
type grantRow struct {
	ShareID         int64      `bun:"share_id"`
	CaseID          int64      `bun:"case_id"`
	ShowFinancials  bool       `bun:"show_financials"`
	ShowPhases      bool       `bun:"show_phases"`
	ShowOther       bool       `bun:"show_other"`
	CanApprove      bool       `bun:"can_approve"`
	CanComment      bool       `bun:"can_comment"`
	CanUpload       bool       `bun:"can_upload"`
	CanChangeStatus bool       `bun:"can_change_status"`
	ExpiresAt       *time.Time `bun:"expires_at"`
}

func (r grantRow) grant() Grant {
	return Grant{ShareID: r.ShareID, CaseID: r.CaseID, ShowFinancials: r.ShowFinancials, ShowPhases: r.ShowPhases,
		ShowOther: r.ShowOther, CanApprove: r.CanApprove, CanComment: r.CanComment, CanUpload: r.CanUpload,
		CanChangeStatus: r.CanChangeStatus, ExpiresAt: r.ExpiresAt}
}

// grants selects the live shares of who: a share_contacts row naming the contact, whose
// expiry (if any) is in the future, on a case of the contact's own account (EXT-5, EXT-8,
// EXT-9). It is the one scope every read and write of the portal starts from.
func (s *Service) grants(db bun.IDB, who *Contact) *bun.SelectQuery {
	return db.NewSelect().TableExpr("share_contacts AS sc").
		ColumnExpr("s.id AS share_id, s.case_id, s.show_financials, s.show_phases, s.show_other").
		ColumnExpr("sc.can_approve, sc.can_comment, sc.can_upload, sc.can_change_status, sc.expires_at").
		Join("JOIN extranet_shares AS s ON s.id = sc.share_id").
		Join("JOIN cases AS c ON c.id = s.case_id").
		Where("sc.contact_id = ?", who.ID).
		Where("c.account_id = ?", who.AccountID).
		Where("(sc.expires_at IS NULL OR sc.expires_at > ?)", s.now().UTC())
}

// grant returns who's grant on caseID, or apperr.NotFound when the case is not shared with
// them: a case of another share, another account, or an expired share is simply missing.
func (s *Service) grant(ctx context.Context, db bun.IDB, who *Contact, caseID int64) (Grant, error) {
	var row grantRow
	err := s.grants(db, who).Where("s.case_id = ?", caseID).Limit(1).Scan(ctx, &row)
	if err != nil {
		if isNoRows(err) {
			return Grant{}, notFound("case", caseID)
		}
		return Grant{}, apperr.Wrap(err, "load share")
	}
	return row.grant(), nil
}

// Grant returns who's grant on the case (apperr.NotFound when it is not shared with them).
func (s *Service) Grant(ctx context.Context, who *Contact, caseID int64) (Grant, error) {
	return s.grant(ctx, s.db, who, caseID)
}

// notFound is the one answer for a missing or invisible object: the text is the same
// whether the row does not exist or belongs to someone else (EXT-8).
func notFound(what string, id int64) error {
	return apperr.E(apperr.NotFound, "No %s %d.", what, id)
}
