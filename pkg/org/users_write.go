package org

import (
	"context"
	"maps"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// UserInput is a new user or a change of one; nil and unset fields stay as they are.
type UserInput struct {
	Name      *string
	Email     *string
	Password  *string // create only
	Active    *bool
	APIAccess *bool // update only: the switch is turned on after creating the user
	Overrides *map[string]string
	// The user's unit, supervisor and profile (null: none, which only a supervisor may be).
	UnitID, SupervisorID, ProfileID jsonapi.Nullable[int64]
}

// MinPassword is the shortest password an administrator may set.
const MinPassword = 12

const emailTaken = "A user with this email exists."

// CreateUser adds a user (USR-3, USR-4). Below Users all they join the creator's own part of
// the supervisor tree (USR-3, ORG-2); they always join it below an existing user (ORG-1); and
// their rights may not exceed the creator's without Administrator edit_settings. Errors:
// apperr.Forbidden, apperr.Invalid, apperr.Unprocessable (ORG-1), apperr.Conflict (email).
func (s *Service) CreateUser(ctx context.Context, a domain.Actor, in UserInput) (*User, error) {
	if d := rights.DecideUser(a.Subject, rights.UserCreate, rights.UserAttrs{}); !d.Allow {
		return nil, domain.Denied(d)
	}
	name, err := required(in.Name, "name")
	if err != nil {
		return nil, err
	}
	if in.Email == nil || !domain.ValidEmail(*in.Email) {
		return nil, apperr.E(apperr.Invalid, "a valid email is required").AtPointer("/data/attributes/email")
	}
	if in.Password == nil {
		return nil, apperr.E(apperr.Invalid, "password is required").AtPointer("/data/attributes/password")
	}
	if !in.UnitID.Set || !in.SupervisorID.Set || !in.ProfileID.Set {
		return nil, apperr.E(apperr.Invalid, "unit, supervisor and profile relationships are required").AtPointer("/data/relationships")
	}
	hash, err := hashNewPassword(*in.Password)
	if err != nil {
		return nil, err
	}
	if in.APIAccess != nil {
		return nil, apperr.E(apperr.Invalid, "Switch API access on after creating the user.").AtPointer("/data/attributes/apiAccess")
	}
	now := s.env.Now().UTC()
	u := &User{User: model.User{Name: name, Email: strings.ToLower(*in.Email), PasswordHash: hash, Active: true,
		Version: 1, CreatedAt: now, UpdatedAt: now}, Overrides: map[string]string{}}
	if in.Overrides != nil {
		u.Overrides = *in.Overrides
	}
	err = s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		if err := s.applyRelations(ctx, tx, u, &in, true); err != nil {
			return err
		}
		if err := checkNewUser(ctx, tx, a, u); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&u.User).Returning("*").Exec(ctx); err != nil {
			return taken(apperr.Wrap(err, "insert user"), emailTaken, "/data/attributes/email")
		}
		if err := writeOverrides(ctx, tx, u.ID, u.Overrides); err != nil {
			return err
		}
		if err := RightsChanged(ctx, tx); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "users", ResourceID: u.ID,
			SubjectUserID: u.ID, Changes: history.Diff(nil, userSnapshot(u))})
	})
	if err != nil {
		return nil, err
	}
	u.Managed = managed(a, u)
	return u, nil
}

// UpdateUser changes user id. Details need UserEdit (USR-2, USR-4); the profile and
// overrides need DecideRightsChange (USR-5, PRF-5); the API switch needs UserSetAPIAccess
// (API-2); supervisor changes and (de)activation keep the tree one tree (ORG-1); at least one
// active Administrator always remains (PRF-4). The change applies to the user's next request
// (PRF-6). Nothing is written unless every check passes. Errors: apperr.NotFound,
// apperr.Forbidden, apperr.Invalid, apperr.Stale, apperr.Unprocessable, apperr.Conflict
// (email).
func (s *Service) UpdateUser(ctx context.Context, a domain.Actor, id int64, in UserInput, x domain.Expect) (*User, error) {
	u, err := domain.Save(ctx, s.env, a, domain.Update[*User]{Table: "users", Resource: "users", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*User, error) {
			u, err := s.loadUser(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if d := rights.DecideUser(a.Subject, rights.UserEdit, u.Attrs()); !d.Allow && u.ID != a.User.ID {
				return nil, domain.Denied(d)
			}
			return u, nil
		},
		Snapshot: userSnapshot,
		Apply: func(ctx context.Context, tx bun.IDB, u *User) error {
			return s.applyUserChange(ctx, tx, a, u, &in)
		},
		Set: func(q *bun.UpdateQuery, u *User) *bun.UpdateQuery {
			return q.Set("name = ?", u.Name).Set("email = ?", u.Email).Set("active = ?", u.Active).
				Set("api_access = ?", u.APIAccess).Set("unit_id = ?", u.UnitID).Set("supervisor_id = ?", u.SupervisorID).
				Set("profile_id = ?", u.ProfileID).Set("token_version = ?", u.TokenVersion).Set("updated_at = ?", u.UpdatedAt)
		},
		Entry: func(u *User, e *history.Entry) { e.SubjectUserID = u.ID },
		After: func(ctx context.Context, tx bun.IDB, u *User) error {
			if in.Overrides != nil {
				if err := writeOverrides(ctx, tx, u.ID, u.Overrides); err != nil {
					return err
				}
			}
			return RightsChanged(ctx, tx)
		},
	})
	if err != nil {
		return nil, taken(err, emailTaken, "/data/attributes/email")
	}
	u.Managed = managed(a, u)
	return u, nil
}

// applyUserChange makes the change on u in memory, checking every rule on the way.
func (s *Service) applyUserChange(ctx context.Context, tx bun.IDB, a domain.Actor, u *User, in *UserInput) error {
	before := u.User
	overridesBefore := u.Overrides
	if err := applyUserDetails(a, u, in); err != nil {
		return err
	}
	if err := s.applyRelations(ctx, tx, u, in, false); err != nil {
		return err
	}
	if in.Overrides != nil {
		u.Overrides = *in.Overrides
	}
	if u.ProfileID != before.ProfileID || !maps.Equal(overridesBefore, u.Overrides) {
		if err := checkRightsChange(ctx, tx, a, u); err != nil {
			return err
		}
	}
	if err := applyActivation(ctx, tx, a, u, &before, in.Active); err != nil {
		return err
	}
	if err := checkAdministratorsRemain(ctx, tx, &before, &u.User); err != nil {
		return err
	}
	u.UpdatedAt = s.env.Now().UTC()
	return nil
}

// userSnapshot is what the history compares, rights included (PRF-6).
func userSnapshot(u *User) map[string]any {
	m := map[string]any{"name": u.Name, "email": u.Email, "active": u.Active, "apiAccess": u.APIAccess,
		"unit": u.UnitID, "profile": u.ProfileID, "supervisor": u.SupervisorID}
	for k, v := range u.Overrides {
		m["override."+k] = v
	}
	return m
}

// applyUserDetails sets name, email and the API switch: details need UserEdit (USR-2,
// USR-4), the switch UserSetAPIAccess (API-2, USR-5).
func applyUserDetails(a domain.Actor, u *User, in *UserInput) error {
	if in.Name != nil || in.Email != nil || in.Active != nil || in.UnitID.Set || in.SupervisorID.Set {
		if d := rights.DecideUser(a.Subject, rights.UserEdit, u.Attrs()); !d.Allow {
			return domain.Denied(d)
		}
	}
	if err := rename(&u.Name, in.Name, "name"); err != nil {
		return err
	}
	if in.Email != nil {
		if !domain.ValidEmail(*in.Email) {
			return apperr.E(apperr.Invalid, "not a valid email address").AtPointer("/data/attributes/email")
		}
		u.Email = strings.ToLower(*in.Email)
	}
	if in.APIAccess != nil && *in.APIAccess != u.APIAccess {
		if d := rights.DecideUser(a.Subject, rights.UserSetAPIAccess, u.Attrs()); !d.Allow {
			return domain.Denied(d)
		}
		u.APIAccess = *in.APIAccess
	}
	return nil
}

// applyActivation deactivates or reactivates u. Nobody deactivates themself (USR-5); a user
// with subordinates stays (ORG-1), and a deactivated user's sessions end at once; coming
// back needs an active supervisor, so that the tree stays one tree (ORG-1).
func applyActivation(ctx context.Context, tx bun.IDB, a domain.Actor, u *User, before *model.User, active *bool) error {
	if active == nil || *active == before.Active {
		return nil
	}
	if !*active && u.ID == a.User.ID {
		return apperr.E(apperr.Forbidden, "You cannot deactivate yourself.").Because("USR-5")
	}
	edges, err := supervisorEdges(ctx, tx)
	if err != nil {
		return err
	}
	if !*active {
		if err := rights.ValidateUserDeactivation(edges, u.ID); err != nil {
			return treeError(err, "/data/attributes/active")
		}
		u.Active = false
		u.TokenVersion++
		return nil
	}
	var sup int64
	if u.SupervisorID != nil {
		sup = *u.SupervisorID
	}
	if err := rights.ValidateSupervisorChange(edges, u.ID, sup); err != nil {
		return treeError(err, "/data/attributes/active")
	}
	u.Active = true
	return nil
}

// applyRelations sets unit, supervisor and profile from in, checking that they exist and
// that the supervisor tree stays one tree without cycles (ORG-1, ORG-3).
func (s *Service) applyRelations(ctx context.Context, tx bun.IDB, u *User, in *UserInput, creating bool) error {
	if ref := in.UnitID; ref.Set {
		if ref.Null {
			return apperr.E(apperr.Invalid, "Every user belongs to a unit (ORG-3).").AtPointer("/data/relationships/unit")
		}
		ok, err := tx.NewSelect().Model((*model.BusinessUnit)(nil)).Where("id = ?", ref.Value).Exists(ctx)
		if err != nil {
			return apperr.Wrap(err, "check unit of user")
		}
		if !ok {
			return apperr.E(apperr.Invalid, "No business unit %d.", ref.Value).AtPointer("/data/relationships/unit")
		}
		u.UnitID = ref.Value
	}
	if ref := in.ProfileID; ref.Set {
		if ref.Null {
			return apperr.E(apperr.Invalid, "Every user has a profile.").AtPointer("/data/relationships/profile")
		}
		if _, err := profileByID(ctx, tx, ref.Value); err != nil {
			return err
		}
		u.ProfileID = ref.Value
	}
	if ref := in.SupervisorID; ref.Set {
		if err := setSupervisor(ctx, tx, u, ref, creating); err != nil {
			return err
		}
	}
	return nil
}

// setSupervisor moves u below the user ref names (ORG-1): a new user joins below an
// existing one; a change may make neither a cycle nor a second head.
func setSupervisor(ctx context.Context, tx bun.IDB, u *User, ref jsonapi.Nullable[int64], creating bool) error {
	const ptr = "/data/relationships/supervisor"
	edges, err := supervisorEdges(ctx, tx)
	if err != nil {
		return err
	}
	id := ref.Value
	if ref.Null {
		id = 0
	}
	if creating {
		if ref.Null {
			return treeError(rights.ErrSecondHead, ptr)
		}
		if _, ok := edges[id]; !ok {
			return treeError(rights.ErrUnknownUser, ptr)
		}
	} else if err := rights.ValidateSupervisorChange(edges, u.ID, id); err != nil {
		return treeError(err, ptr)
	}
	if ref.Null {
		u.SupervisorID = nil
	} else {
		u.SupervisorID = &id
	}
	return nil
}

// checkRightsChange applies DecideRightsChange to u's next effective rights (USR-5, PRF-5).
func checkRightsChange(ctx context.Context, tx bun.IDB, a domain.Actor, u *User) error {
	next, err := rightsOf(ctx, tx, u)
	if err != nil {
		return err
	}
	if d := rights.DecideRightsChange(a.Subject, u.Attrs(), next); !d.Allow {
		return domain.Denied(d)
	}
	return nil
}

// checkNewUser: below Users all, a new user joins the creator's own part of the supervisor
// tree, as themself or under one of their subordinates (USR-3, ORG-2), and nobody hands out
// rights above their own without Administrator edit_settings (the rights-change guard).
func checkNewUser(ctx context.Context, tx bun.IDB, a domain.Actor, u *User) error {
	if a.Subject.Rights.Users < rights.UsersAll && u.SupervisorID != nil &&
		*u.SupervisorID != a.User.ID && !a.Subject.Subordinates.Has(*u.SupervisorID) {
		return apperr.E(apperr.Forbidden, "You may add users only below yourself or your subordinates.").
			AtPointer("/data/relationships/supervisor").Because("USR-3")
	}
	next, err := rightsOf(ctx, tx, u)
	if err != nil {
		return err
	}
	if a.Subject.Rights.Admin < rights.AdminEditSettings && !a.Subject.Rights.Covers(next) {
		return apperr.E(apperr.Forbidden, "You cannot give a new user rights above your own.").AtPointer("/data/relationships/profile")
	}
	return nil
}

// hashNewPassword checks and hashes a password set by an administrator.
func hashNewPassword(pw string) (string, error) {
	if len(pw) < MinPassword {
		return "", apperr.E(apperr.Invalid, "A password needs at least %d characters.", MinPassword).AtPointer("/data/attributes/password")
	}
	h, err := auth.HashPassword(pw)
	if err != nil {
		return "", apperr.Wrap(err, "hash password")
	}
	return h, nil
}

// writeOverrides replaces a user's overrides (ORG-5, PRF-5).
func writeOverrides(ctx context.Context, tx bun.IDB, userID int64, overrides map[string]string) error {
	if _, err := tx.NewDelete().Model((*model.RightOverride)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return apperr.Wrap(err, "clear overrides")
	}
	for name, value := range overrides {
		o := &model.RightOverride{UserID: userID, RightName: name, Value: value}
		if _, err := tx.NewInsert().Model(o).Exec(ctx); err != nil {
			return apperr.Wrap(err, "write override")
		}
	}
	return nil
}
