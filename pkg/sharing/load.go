package sharing

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
)

// grantRow is a share_contacts row joined with its share.
type grantRow struct {
	ShareID         int64      `bun:"share_id"`
	CaseID          int64      `bun:"case_id"`
	ShowFinancials  bool       `bun:"show_financials"`
	ShowPhases      bool       `bun:"show_phases"`
	ShowOther       bool       `bun:"show_other"`
	HideBilling     bool       `bun:"hide_billing"`
	HideHourPrices  bool       `bun:"hide_hour_prices"`
	HideStatus      bool       `bun:"hide_status"`
	HideHours       bool       `bun:"hide_hours"`
	HideFiles       bool       `bun:"hide_files"`
	CanApprove      bool       `bun:"can_approve"`
	CanComment      bool       `bun:"can_comment"`
	CanUpload       bool       `bun:"can_upload"`
	CanChangeStatus bool       `bun:"can_change_status"`
	ExpiresAt       *time.Time `bun:"expires_at"`
}

func (r grantRow) grant() Grant {
	return Grant{ShareID: r.ShareID, CaseID: r.CaseID, ShowFinancials: r.ShowFinancials, ShowPhases: r.ShowPhases,
		ShowOther: r.ShowOther, HideBilling: r.HideBilling, HideHourPrices: r.HideHourPrices, HideStatus: r.HideStatus,
		HideHours: r.HideHours, HideFiles: r.HideFiles, CanApprove: r.CanApprove, CanComment: r.CanComment, CanUpload: r.CanUpload,
		CanChangeStatus: r.CanChangeStatus, ExpiresAt: r.ExpiresAt}
}

// Live selects the live shares of contact who: a share_contacts row naming the contact, whose
// expiry (if any) is after now, on a case of the contact's own account (EXT-5, EXT-8,
// EXT-9). It is the one scope every read and write of a contact starts from.
func Live(db bun.IDB, now time.Time, who domain.Contact) *bun.SelectQuery {
	return db.NewSelect().TableExpr("share_contacts AS sc").
		ColumnExpr("s.id AS share_id, s.case_id, s.show_financials, s.show_phases, s.show_other").
		ColumnExpr("s.hide_billing, s.hide_hour_prices, s.hide_status, s.hide_hours, s.hide_files").
		ColumnExpr("sc.can_approve, sc.can_comment, sc.can_upload, sc.can_change_status, sc.expires_at").
		Join("JOIN extranet_shares AS s ON s.id = sc.share_id").
		Join("JOIN cases AS c ON c.id = s.case_id").
		Where("sc.contact_id = ?", who.ID).
		Where("c.account_id = ?", who.AccountID).
		Where("(sc.expires_at IS NULL OR sc.expires_at > ?)", now.UTC())
}

// Of returns who's grant on caseID, or apperr.NotFound when the case is not shared with
// them: a case of another share, another account, or an expired share is simply missing.
func Of(ctx context.Context, db bun.IDB, now time.Time, who domain.Contact, caseID int64) (Grant, error) {
	var row grantRow
	err := Live(db, now, who).Where("s.case_id = ?", caseID).Limit(1).Scan(ctx, &row)
	if err != nil {
		if domain.IsNoRows(err) {
			return Grant{}, domain.NotFound("case", caseID)
		}
		return Grant{}, apperr.Wrap(err, "load share")
	}
	return row.grant(), nil
}

// OfObject returns who's grant on the case of object what/id when the object is visible
// under action, and the object's own NotFound otherwise, so that an object of an unshared
// case and one of an unshared section answer exactly like a missing one (EXT-8).
func OfObject(ctx context.Context, db bun.IDB, now time.Time, who domain.Contact, caseID int64, action Action, what string, id int64) (Grant, error) {
	g, err := Of(ctx, db, now, who, caseID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Grant{}, domain.NotFound(what, id)
	}
	if err != nil {
		return Grant{}, err
	}
	if !g.Decide(action).Visible {
		return Grant{}, domain.NotFound(what, id)
	}
	return g, nil
}

// All returns who's grants on every case shared with them, in no order.
func All(ctx context.Context, db bun.IDB, now time.Time, who domain.Contact) ([]Grant, error) {
	var rows []grantRow
	if err := Live(db, now, who).Scan(ctx, &rows); err != nil {
		return nil, apperr.Wrap(err, "list shares")
	}
	out := make([]Grant, len(rows))
	for i, r := range rows {
		out[i] = r.grant()
	}
	return out, nil
}

// CountPerCase counts, for each case shared with who on which action a is allowed, the rows
// that count selects for those cases; count must select case_id and n, grouped by case_id.
// Cases with none are left out. The shares are one query and the counts of every case
// another, however many cases there are.
func CountPerCase(ctx context.Context, db bun.IDB, now time.Time, who domain.Contact, a Action, what string,
	count func(ids []int64) *bun.SelectQuery) (map[int64]int, error) {
	grants, err := All(ctx, db, now, who)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, g := range grants {
		if g.Can(a) {
			ids = append(ids, g.CaseID)
		}
	}
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		CaseID int64 `bun:"case_id"`
		N      int   `bun:"n"`
	}
	if err := count(ids).Scan(ctx, &rows); err != nil {
		return nil, apperr.Wrap(err, "count "+what)
	}
	for _, r := range rows {
		out[r.CaseID] = r.N
	}
	return out, nil
}
