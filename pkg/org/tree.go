package org

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// The invariants of the organisation, checked by pkg/rights on what these read: the
// supervisor tree (ORG-1), the unit tree (ORG-3), and the last Administrator (PRF-4).

// supervisorEdges returns user → supervisor (0 for the head) for every active user (ORG-1).
func supervisorEdges(ctx context.Context, tx bun.IDB) (map[int64]int64, error) {
	var rows []model.User
	if err := tx.NewSelect().Model(&rows).Column("id", "supervisor_id").Where("active").Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load supervisor tree")
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = deref(r.SupervisorID)
	}
	return out, nil
}

// unitParents returns unit → parent (0 for the root) for every unit (ORG-3).
func unitParents(ctx context.Context, tx bun.IDB) (map[int64]int64, error) {
	var units []model.BusinessUnit
	if err := tx.NewSelect().Model(&units).Column("id", "parent_id").Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load unit tree")
	}
	out := make(map[int64]int64, len(units))
	for _, u := range units {
		out[u.ID] = deref(u.ParentID)
	}
	return out, nil
}

func deref(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// profileByID loads the profile a user is given: a missing one is apperr.Invalid at the
// profile relationship.
func profileByID(ctx context.Context, tx bun.IDB, id int64) (*model.Profile, error) {
	var p model.Profile
	if err := tx.NewSelect().Model(&p).Where("id = ?", id).Scan(ctx); err != nil {
		if domain.IsNoRows(err) {
			return nil, apperr.E(apperr.Invalid, "No profile %d.", id).AtPointer("/data/relationships/profile")
		}
		return nil, apperr.Wrap(err, "load profile "+itoa(id))
	}
	return &p, nil
}

// rightsOf returns the effective rights u would have with their profile and overrides
// (ORG-5); malformed overrides are apperr.Invalid.
func rightsOf(ctx context.Context, tx bun.IDB, u *User) (rights.Rights, error) {
	profile, err := profileByID(ctx, tx, u.ProfileID)
	if err != nil {
		return rights.Rights{}, err
	}
	order, err := access.StatusOrder(ctx, tx)
	if err != nil {
		return rights.Rights{}, apperr.Wrap(err, "load invoice status order")
	}
	base, err := rights.ParseProfile(access.ProfileValues(profile), order)
	if err != nil {
		return rights.Rights{}, apperr.Wrap(err, "parse profile "+itoa(profile.ID))
	}
	r, err := rights.Effective(base, u.Overrides, order)
	if err != nil {
		return rights.Rights{}, apperr.E(apperr.Invalid, "%s", strings.TrimPrefix(err.Error(), "rights: ")).AtPointer("/data/attributes/rightOverrides")
	}
	return r, nil
}

func isAdministratorProfile(p *model.Profile) bool {
	return p.Key != nil && *p.Key == rights.ProfileAdministrator
}

// checkAdministratorsRemain refuses a change that would leave no active Administrator
// (PRF-4): apperr.Unprocessable.
func checkAdministratorsRemain(ctx context.Context, tx bun.IDB, before, after *model.User) error {
	wasAdmin, err := holdsAdministrator(ctx, tx, before)
	if err != nil || !wasAdmin {
		return err
	}
	isAdmin, err := holdsAdministrator(ctx, tx, after)
	if err != nil || isAdmin {
		return err
	}
	others, err := tx.NewSelect().TableExpr("users AS u").Join("JOIN profiles AS p ON p.id = u.profile_id").
		Where("p.key = ?", rights.ProfileAdministrator).Where("u.active").Where("u.id <> ?", before.ID).Count(ctx)
	if err != nil {
		return apperr.Wrap(err, "count administrators")
	}
	return treeError(rights.CheckAdministratorsRemain(int(others)), "/data/relationships/profile")
}

func holdsAdministrator(ctx context.Context, tx bun.IDB, u *model.User) (bool, error) {
	if !u.Active {
		return false, nil
	}
	p, err := profileByID(ctx, tx, u.ProfileID)
	if err != nil {
		return false, err
	}
	return isAdministratorProfile(p), nil
}
