package access

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// LoadSubject builds the Subject of user u from the database. It reads everything fresh
// each time; requests take their subject from a Cache, which calls it whenever the rights
// epoch or u's row moved, so that a change applies to the very next request (RIGHTS.md PRF-6).
func LoadSubject(ctx context.Context, db bun.IDB, u *model.User) (*rights.Subject, error) {
	order, err := StatusOrder(ctx, db)
	if err != nil {
		return nil, err
	}
	r, err := EffectiveRights(ctx, db, u, order)
	if err != nil {
		return nil, err
	}
	subs, err := Subordinates(ctx, db, u.ID)
	if err != nil {
		return nil, err
	}
	units, err := UnitClosure(ctx, db, u.UnitID)
	if err != nil {
		return nil, err
	}
	var member []int64
	if err := db.NewSelect().Model((*model.CaseMember)(nil)).Column("case_id").Where("user_id = ?", u.ID).Scan(ctx, &member); err != nil {
		return nil, fmt.Errorf("load memberships of user %d: %w", u.ID, err)
	}
	settings, err := LoadSettings(ctx, db)
	if err != nil {
		return nil, err
	}
	return &rights.Subject{
		UserID:       u.ID,
		ProfileID:    u.ProfileID,
		Rights:       r,
		UnitID:       u.UnitID,
		OwnUnits:     rights.NewSet(units...),
		Subordinates: rights.NewSet(subs...),
		MemberOf:     rights.NewSet(member...),
		APIAccess:    u.APIAccess,
		Settings:     rights.Settings{ApprovalEnabled: settings.WorkHourApproval, TravelEnabled: settings.TravelEnabled},
	}, nil
}

// Subordinates returns every user below userID in the supervisor tree (ORG-2), by a
// recursive query that PostgreSQL and SQLite both run.
func Subordinates(ctx context.Context, db bun.IDB, userID int64) ([]int64, error) {
	var ids []int64
	err := db.NewRaw(`WITH RECURSIVE sub(id) AS (
		SELECT id FROM users WHERE supervisor_id = ?
		UNION SELECT u.id FROM users u JOIN sub ON u.supervisor_id = sub.id)
		SELECT id FROM sub`, userID).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("load subordinates of user %d: %w", userID, err)
	}
	return ids, nil
}

// UnitClosure returns unitID and all its sub-units (ORG-3).
func UnitClosure(ctx context.Context, db bun.IDB, unitID int64) ([]int64, error) {
	var ids []int64
	err := db.NewRaw(`WITH RECURSIVE sub(id) AS (
		SELECT id FROM business_units WHERE id = ?
		UNION SELECT b.id FROM business_units b JOIN sub ON b.parent_id = sub.id)
		SELECT id FROM sub`, unitID).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("load sub-units of unit %d: %w", unitID, err)
	}
	return ids, nil
}

// LoadSettings returns the organisation's settings row.
func LoadSettings(ctx context.Context, db bun.IDB) (*model.Settings, error) {
	var s model.Settings
	if err := db.NewSelect().Model(&s).Where("id = 1").Scan(ctx); err != nil {
		return nil, fmt.Errorf("load settings: %w", err)
	}
	return &s, nil
}
