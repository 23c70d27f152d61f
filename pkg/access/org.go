package access

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// LoadAllSubjects builds the Subject of every active user in one pass over the organisation
// (a few queries, however many users), for questions like "who can view this case".
func LoadAllSubjects(ctx context.Context, db bun.IDB) ([]*rights.Subject, error) {
	order, err := StatusOrder(ctx, db)
	if err != nil {
		return nil, err
	}
	settings, err := LoadSettings(ctx, db)
	if err != nil {
		return nil, err
	}
	var users []model.User
	if err := db.NewSelect().Model(&users).Where("active").OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	var units []model.BusinessUnit
	if err := db.NewSelect().Model(&units).Column("id", "parent_id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	var profiles []model.Profile
	if err := db.NewSelect().Model(&profiles).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load profiles: %w", err)
	}
	var overrides []model.RightOverride
	if err := db.NewSelect().Model(&overrides).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load overrides: %w", err)
	}
	var members []model.CaseMember
	if err := db.NewSelect().Model(&members).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load memberships: %w", err)
	}
	supervisorOf := edges(users, func(u model.User) (int64, *int64) { return u.ID, u.SupervisorID })
	parentOf := edges(units, func(u model.BusinessUnit) (int64, *int64) { return u.ID, u.ParentID })
	base := make(map[int64]rights.Rights, len(profiles))
	for i := range profiles {
		r, err := rights.ParseProfile(ProfileValues(&profiles[i]), order)
		if err != nil {
			return nil, fmt.Errorf("parse profile %d: %w", profiles[i].ID, err)
		}
		base[profiles[i].ID] = r
	}
	ovs := map[int64]map[string]string{}
	for _, o := range overrides {
		if ovs[o.UserID] == nil {
			ovs[o.UserID] = map[string]string{}
		}
		ovs[o.UserID][o.RightName] = o.Value
	}
	memberOf := map[int64][]int64{}
	for _, m := range members {
		memberOf[m.UserID] = append(memberOf[m.UserID], m.CaseID)
	}
	org := rights.NewOrg(supervisorOf, parentOf)
	out := make([]*rights.Subject, 0, len(users))
	for _, u := range users {
		r, err := rights.Effective(base[u.ProfileID], ovs[u.ID], order)
		if err != nil {
			return nil, fmt.Errorf("effective rights of user %d: %w", u.ID, err)
		}
		s := org.Subject(u.ID, u.UnitID, r)
		s.ProfileID, s.APIAccess = u.ProfileID, u.APIAccess
		s.MemberOf = rights.NewSet(memberOf[u.ID]...)
		s.Settings = rights.Settings{ApprovalEnabled: settings.WorkHourApproval, TravelEnabled: settings.TravelEnabled}
		out = append(out, &s)
	}
	return out, nil
}

// edges maps the id of each row to the id its link names (a user's supervisor, a unit's
// parent), 0 for none: the trees rights.NewOrg takes.
func edges[T any](rows []T, link func(T) (id int64, to *int64)) map[int64]int64 {
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		id, to := link(r)
		out[id] = 0
		if to != nil {
			out[id] = *to
		}
	}
	return out
}
