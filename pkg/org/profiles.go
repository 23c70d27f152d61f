package org

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Profile is an access-rights profile with how many users hold it (PRF-2).
type Profile struct {
	model.Profile `bun:",extend"`
	UserCount     int `bun:"user_count"`
}

// Versioned implements domain.Versioned.
func (p *Profile) Versioned() (int64, *int64) { return p.ID, &p.Version }

// ProfileInput is a new profile or a change of one; nil fields stay as they are.
type ProfileInput struct {
	Name *string
	// Rights maps right names to values: all of them on create, any of them on update.
	Rights *map[string]string
}

// profileUserCount counts a profile's users (aliased "profile"), for its column and its sort.
const profileUserCount = "(SELECT COUNT(*) FROM users u WHERE u.profile_id = profile.id)"

// profileColumns adds each profile's user count (PRF-2) to a query over "profiles AS profile".
func profileColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr(profileUserCount + " AS user_count")
}

func selectProfiles(tx bun.IDB, dst any) *bun.SelectQuery {
	return tx.NewSelect().Model(dst).ModelTableExpr("profiles AS profile").ColumnExpr("profile.*").Apply(profileColumns)
}

// mayViewProfiles: profiles are settings (ADM-2).
func mayViewProfiles(a domain.Actor) error {
	if d := rights.DecideProfile(a.Subject, rights.ProfileView, 0); !d.Allow {
		return domain.Denied(d)
	}
	return nil
}

// ProfileList is the profiles with their user counts (ADM-2, PRF-2). Errors:
// apperr.Forbidden.
func (s *Service) ProfileList(a domain.Actor) (listing.Spec[Profile], error) {
	if err := mayViewProfiles(a); err != nil {
		return listing.Spec[Profile]{}, err
	}
	return listing.Spec[Profile]{DB: s.env.DB, Table: "profiles AS profile", Scope: everyone, Extend: profileColumns,
		Sorts:   map[string]string{"name": "profile.name", "userCount": profileUserCount},
		Filters: map[string]string{"key": "profile.key"}}, nil
}

// Profile returns profile id (ADM-2). Errors: apperr.Forbidden, apperr.NotFound.
func (s *Service) Profile(ctx context.Context, a domain.Actor, id int64) (*Profile, error) {
	if err := mayViewProfiles(a); err != nil {
		return nil, err
	}
	return loadProfile(ctx, s.env.DB, id)
}

// ProfilesByID returns the profiles of ids in one query (include), none to those who may
// not view profiles (ADM-2).
func (s *Service) ProfilesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Profile, error) {
	if mayViewProfiles(a) != nil {
		return nil, nil
	}
	var rows []*Profile
	if err := selectProfiles(s.env.DB, &rows).Where("profile.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load profiles")
	}
	return rows, nil
}

func loadProfile(ctx context.Context, tx bun.IDB, id int64) (*Profile, error) {
	var p Profile
	if err := selectProfiles(tx, &p).Where("profile.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "profile", id)
	}
	return &p, nil
}

const profileTaken = "A profile with this name exists."

// CreateProfile adds a profile with a complete set of rights (ADM-2, PRF-2). Errors:
// apperr.Forbidden, apperr.Invalid, apperr.Conflict (name).
func (s *Service) CreateProfile(ctx context.Context, a domain.Actor, in ProfileInput) (*Profile, error) {
	if d := rights.DecideProfile(a.Subject, rights.ProfileCreate, 0); !d.Allow {
		return nil, domain.Denied(d)
	}
	name, err := required(in.Name, "name")
	if err != nil {
		return nil, err
	}
	if in.Rights == nil {
		return nil, apperr.E(apperr.Invalid, "rights are required").AtPointer("/data/attributes/rights")
	}
	now := s.env.Now().UTC()
	p := &Profile{Profile: model.Profile{Name: name, Version: 1, CreatedAt: now, UpdatedAt: now}}
	err = s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		if err := setRights(ctx, tx, &p.Profile, *in.Rights); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&p.Profile).Returning("*").Exec(ctx); err != nil {
			return taken(apperr.Wrap(err, "insert profile"), profileTaken, "/data/attributes/name")
		}
		if err := RightsChanged(ctx, tx); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "profiles", ResourceID: p.ID,
			Changes: history.Diff(nil, profileSnapshot(p))})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateProfile renames a profile or changes some of its rights. Nobody edits the profile
// they use (PRF-3), and the Administrator profile keeps every right at its top level (PRF-1,
// PRF-4). The change applies to the next request of every user holding the profile (PRF-6).
// Errors: apperr.NotFound, apperr.Forbidden, apperr.Invalid, apperr.Stale,
// apperr.Unprocessable, apperr.Conflict (name).
func (s *Service) UpdateProfile(ctx context.Context, a domain.Actor, id int64, in ProfileInput, x domain.Expect) (*Profile, error) {
	p, err := domain.Save(ctx, s.env, a, domain.Update[*Profile]{Table: "profiles", Resource: "profiles", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*Profile, error) {
			p, err := loadProfile(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if d := rights.DecideProfile(a.Subject, rights.ProfileEdit, p.ID); !d.Allow {
				return nil, domain.Denied(d)
			}
			return p, nil
		},
		Snapshot: profileSnapshot,
		Apply: func(ctx context.Context, tx bun.IDB, p *Profile) error {
			if err := rename(&p.Name, in.Name, "name"); err != nil {
				return err
			}
			if in.Rights != nil {
				merged := access.ProfileValues(&p.Profile)
				for k, v := range *in.Rights {
					merged[k] = v
				}
				if err := setRights(ctx, tx, &p.Profile, merged); err != nil {
					return err
				}
			}
			p.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, p *Profile) *bun.UpdateQuery {
			q = q.Set("name = ?", p.Name).Set("updated_at = ?", p.UpdatedAt)
			v := access.ProfileValues(&p.Profile)
			for _, col := range rights.Columns() {
				q = q.Set("? = ?", bun.Ident(col), columnValue(col, v[col]))
			}
			return q
		},
		After: func(ctx context.Context, tx bun.IDB, _ *Profile) error { return RightsChanged(ctx, tx) },
	})
	if err != nil {
		return nil, taken(err, profileTaken, "/data/attributes/name")
	}
	return p, nil
}

// DeleteProfile deletes a profile nobody holds (PRF-2); nobody deletes the profile they use
// (PRF-3), and the Administrator profile stays (PRF-1). Errors: apperr.NotFound,
// apperr.Forbidden, apperr.Conflict.
func (s *Service) DeleteProfile(ctx context.Context, a domain.Actor, id int64) error {
	return s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		p, err := loadProfile(ctx, tx, id)
		if err != nil {
			return err
		}
		if d := rights.DecideProfile(a.Subject, rights.ProfileDelete, p.ID); !d.Allow {
			return domain.Denied(d)
		}
		if err := rights.CheckProfileDelete(p.UserCount); err != nil {
			return apperr.E(apperr.Conflict, "%d users hold this profile; move them to another profile first.", p.UserCount).Because("PRF-2")
		}
		if isAdministratorProfile(&p.Profile) {
			return apperr.E(apperr.Conflict, "The Administrator profile cannot be deleted.").Because("PRF-1")
		}
		if _, err := tx.NewDelete().Model((*model.Profile)(nil)).Where("id = ?", p.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete profile "+itoa(p.ID))
		}
		if err := RightsChanged(ctx, tx); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "delete", ResourceType: "profiles", ResourceID: p.ID,
			Changes: history.Diff(profileSnapshot(p), nil)})
	})
}

// setRights validates a complete right → value map and writes it into p. The Administrator
// profile must keep every right at its top level (PRF-1, PRF-4). Errors: apperr.Invalid,
// apperr.Unprocessable.
func setRights(ctx context.Context, tx bun.IDB, p *model.Profile, values map[string]string) error {
	order, err := access.StatusOrder(ctx, tx)
	if err != nil {
		return apperr.Wrap(err, "load invoice status order")
	}
	r, err := rights.ParseProfile(values, order)
	if err != nil {
		return apperr.E(apperr.Invalid, "%s", strings.TrimPrefix(err.Error(), "rights: ")).AtPointer("/data/attributes/rights")
	}
	key := ""
	if p.Key != nil {
		key = *p.Key
	}
	if err := rights.CheckProfileRights(key, r); err != nil {
		return treeError(err, "/data/attributes/rights")
	}
	if err := access.SetProfileRights(p, r, order); err != nil {
		return apperr.Wrap(err, "set rights of profile")
	}
	return nil
}

func profileSnapshot(p *Profile) map[string]any {
	m := map[string]any{"name": p.Name}
	for k, v := range access.ProfileValues(&p.Profile) {
		m["rights."+k] = v
	}
	return m
}

// columnValue converts a right's text value to its column's type (flags are booleans).
func columnValue(col, v string) any {
	switch col {
	case rights.ColDeleteAccounts, rights.ColDeleteCases, rights.ColOwnResourceAllocations, rights.ColScheduledInvoicing,
		rights.ColApproveOwnCases, rights.ColSharing:
		return v == "true"
	}
	return v
}
