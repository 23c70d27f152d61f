// Package access loads what the rights package decides on: a request's Subject (effective
// rights, unit closure, subordinates, memberships) from the database. Decisions themselves
// stay in pkg/rights, which does no I/O.
package access

import (
	"context"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// ProfileValues returns a profile row as right name → text value (ORG-5).
func ProfileValues(p *model.Profile) map[string]string {
	b := strconv.FormatBool
	return map[string]string{
		rights.ColAccounts:               p.Accounts,
		rights.ColDeleteAccounts:         b(p.DeleteAccounts),
		rights.ColCases:                  p.Cases,
		rights.ColDeleteCases:            b(p.DeleteCases),
		rights.ColOwnResourceAllocations: b(p.OwnResourceAllocations),
		rights.ColJoinCases:              p.JoinCases,
		rights.ColUsers:                  p.Users,
		rights.ColInvoiceStatus:          p.InvoiceStatus,
		rights.ColScheduledInvoicing:     b(p.ScheduledInvoicing),
		rights.ColApproval:               p.Approval,
		rights.ColApproveOwnCases:        b(p.ApproveOwnCases),
		rights.ColTravel:                 p.Travel,
		rights.ColSharing:                b(p.Sharing),
		rights.ColAdmin:                  p.Admin,
	}
}

// SetProfileRights writes r into the right columns of p.
func SetProfileRights(p *model.Profile, r rights.Rights, order rights.StatusOrder) error {
	v, err := r.Values(order)
	if err != nil {
		return fmt.Errorf("format profile %q: %w", p.Name, err)
	}
	p.Accounts, p.Cases, p.JoinCases, p.Users = v[rights.ColAccounts], v[rights.ColCases], v[rights.ColJoinCases], v[rights.ColUsers]
	p.InvoiceStatus, p.Approval, p.Travel, p.Admin = v[rights.ColInvoiceStatus], v[rights.ColApproval], v[rights.ColTravel], v[rights.ColAdmin]
	p.DeleteAccounts, p.DeleteCases, p.OwnResourceAllocations = r.DeleteAccounts, r.DeleteCases, r.OwnResourceAllocations
	p.ScheduledInvoicing, p.ApproveOwnCases, p.Sharing = r.ScheduledInvoicing, r.ApproveOwnCases, r.Sharing
	return nil
}

// StatusOrder returns the invoice statuses' ids in list order (RIGHTS.md section 5).
func StatusOrder(ctx context.Context, db bun.IDB) (rights.StatusOrder, error) {
	var ids []int64
	if err := db.NewSelect().Model((*model.InvoiceStatus)(nil)).Column("id").OrderExpr("position").Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("load invoice status order: %w", err)
	}
	return rights.StatusOrder(ids), nil
}

// EffectiveRights returns a user's profile rights with their overrides applied (ORG-5).
func EffectiveRights(ctx context.Context, db bun.IDB, u *model.User, order rights.StatusOrder) (rights.Rights, error) {
	var p model.Profile
	if err := db.NewSelect().Model(&p).Where("id = ?", u.ProfileID).Scan(ctx); err != nil {
		return rights.Rights{}, fmt.Errorf("load profile of user %d: %w", u.ID, err)
	}
	profile, err := rights.ParseProfile(ProfileValues(&p), order)
	if err != nil {
		return rights.Rights{}, fmt.Errorf("parse profile %d: %w", p.ID, err)
	}
	var ovs []model.RightOverride
	if err := db.NewSelect().Model(&ovs).Where("user_id = ?", u.ID).Scan(ctx); err != nil {
		return rights.Rights{}, fmt.Errorf("load overrides of user %d: %w", u.ID, err)
	}
	overrides := make(map[string]string, len(ovs))
	for _, o := range ovs {
		overrides[o.RightName] = o.Value
	}
	r, err := rights.Effective(profile, overrides, order)
	if err != nil {
		return rights.Rights{}, fmt.Errorf("effective rights of user %d: %w", u.ID, err)
	}
	return r, nil
}
