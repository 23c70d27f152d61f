package server

import (
	"context"
	"maps"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// createUser answers POST /api/v1/users (USR-3, USR-4). The new user's rights may not exceed
// the creator's (rights.DecideRightsChange), and they join the supervisor tree below an
// existing user (ORG-1).
func (s *Server) createUser(c *fiber.Ctx) error {
	p := caller(c)
	in, err := jsonapi.ParseResource(c.Body(), "users", "")
	if err != nil {
		return err
	}
	var req userPatch
	if err := in.Bind(&req, jsonapi.BindOptions{Forbidden: []string{"version"}}); err != nil {
		return err
	}
	if d := rights.DecideUser(p.Subject, rights.UserCreate, rights.UserAttrs{}); !d.Allow {
		return denied(d)
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	if req.Email == nil || !validEmail(*req.Email) {
		return apperr.E(apperr.Invalid, "a valid email is required").AtPointer("/data/attributes/email")
	}
	if req.Password == nil {
		return apperr.E(apperr.Invalid, "password is required").AtPointer("/data/attributes/password")
	}
	if req.Unit == nil || req.Supervisor == nil || req.Profile == nil {
		return apperr.E(apperr.Invalid, "unit, supervisor and profile relationships are required").AtPointer("/data/relationships")
	}
	hash, err := hashNewPassword(*req.Password)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	u := &model.User{Name: strings.TrimSpace(*req.Name), Email: strings.ToLower(*req.Email), PasswordHash: hash, Active: true,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if req.APIAccess != nil {
		return apperr.E(apperr.Invalid, "Switch API access on after creating the user.").AtPointer("/data/attributes/apiAccess")
	}
	ctx := c.UserContext()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.applyUserRelations(ctx, tx, p, u, &req, true); err != nil {
			return err
		}
		overrides := map[string]string{}
		if req.Overrides != nil {
			overrides = *req.Overrides
		}
		if err := s.checkNewUser(ctx, tx, p, u, overrides); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(u).Returning("*").Exec(ctx); err != nil {
			if isUniqueViolation(err) {
				return apperr.E(apperr.Conflict, "A user with this email exists.").AtPointer("/data/attributes/email")
			}
			return apperr.Wrap(err, "insert user")
		}
		if err := writeOverrides(ctx, tx, u.ID, overrides); err != nil {
			return err
		}
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		return s.record(ctx, tx, p, userChangeEntry("create", nil, u, nil, overrides))
	})
	if err != nil {
		return err
	}
	ovs, err := s.overridesOf(ctx, s.db, u.ID)
	if err != nil {
		return err
	}
	id := strconv.FormatInt(u.ID, 10)
	return jsonapi.Created(c, jsonapi.Document{Data: jsonapi.One(s.userResource(p, u, ovs[u.ID]))}, apiBase+"/users/"+id)
}

// updateUser answers PATCH /api/v1/users/:id. Details need UserEdit (USR-2, USR-4); the
// profile and overrides need DecideRightsChange (USR-5, PRF-5); the API switch needs
// UserSetAPIAccess (API-2); supervisor changes keep the tree valid (ORG-1); and at least one
// active Administrator always remains (PRF-4). Nothing is written unless all checks pass.
func (s *Server) updateUser(c *fiber.Ctx) error {
	p := caller(c)
	ctx := c.UserContext()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := s.loadUser(c, tx)
		if err != nil {
			return err
		}
		in, err := jsonapi.ParseResource(c.Body(), "users", strconv.FormatInt(u.ID, 10))
		if err != nil {
			return err
		}
		var req userPatch
		if err := in.Bind(&req, jsonapi.BindOptions{Forbidden: []string{"password"}}); err != nil {
			return err
		}
		target := rights.UserAttrs{ID: u.ID, UnitID: u.UnitID}
		if d := rights.DecideUser(p.Subject, rights.UserEdit, target); !d.Allow && u.ID != p.User.ID {
			return apperr.E(apperr.Forbidden, "%s", d.Reason.Message()).Because(ruleList(d.Reason))
		}
		if err := expectVersion(c, req.Version, u.Version); err != nil {
			return err
		}
		before := *u
		ovsAll, err := s.overridesOf(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		ovBefore := ovsAll[u.ID]
		if err := applyUserDetails(p, u, &req); err != nil {
			return err
		}
		if err := s.applyUserRelations(ctx, tx, p, u, &req, false); err != nil {
			return err
		}
		ovAfter := maps.Clone(ovBefore)
		if req.Overrides != nil {
			ovAfter = *req.Overrides
		}
		rightsChanged := u.ProfileID != before.ProfileID || !maps.Equal(ovBefore, ovAfter)
		if rightsChanged {
			if err := s.checkRightsChange(ctx, tx, p, u, ovAfter); err != nil {
				return err
			}
		}
		if err := s.applyActivation(ctx, tx, p, u, &before, req.Active); err != nil {
			return err
		}
		if err := s.checkAdministratorsRemain(ctx, tx, &before, u); err != nil {
			return err
		}
		u.UpdatedAt = s.now().UTC()
		err = db.BumpVersion(ctx, tx, "users", u.ID, before.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("name = ?", u.Name).Set("email = ?", u.Email).Set("active = ?", u.Active).
				Set("api_access = ?", u.APIAccess).Set("unit_id = ?", u.UnitID).Set("supervisor_id = ?", u.SupervisorID).
				Set("profile_id = ?", u.ProfileID).Set("token_version = ?", u.TokenVersion).Set("updated_at = ?", u.UpdatedAt)
		})
		if err != nil {
			if isUniqueViolation(err) {
				return apperr.E(apperr.Conflict, "A user with this email exists.").AtPointer("/data/attributes/email")
			}
			return err
		}
		u.Version++
		if req.Overrides != nil {
			if err := writeOverrides(ctx, tx, u.ID, ovAfter); err != nil {
				return err
			}
		}
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, userChangeEntry("update", &before, u, ovBefore, ovAfter)); err != nil {
			return err
		}
		return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.One(s.userResource(p, u, ovAfter))})
	})
}

// applyUserDetails sets name, email and the API switch: details need UserEdit (USR-2, USR-4),
// the switch UserSetAPIAccess (API-2, USR-5).
func applyUserDetails(p *principal, u *model.User, req *userPatch) error {
	target := rights.UserAttrs{ID: u.ID, UnitID: u.UnitID}
	if req.Name != nil || req.Email != nil || req.Active != nil || req.Unit != nil || req.Supervisor != nil {
		if d := rights.DecideUser(p.Subject, rights.UserEdit, target); !d.Allow {
			return denied(d)
		}
	}
	if req.Name != nil {
		if strings.TrimSpace(*req.Name) == "" {
			return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
		}
		u.Name = strings.TrimSpace(*req.Name)
	}
	if req.Email != nil {
		if !validEmail(*req.Email) {
			return apperr.E(apperr.Invalid, "not a valid email address").AtPointer("/data/attributes/email")
		}
		u.Email = strings.ToLower(*req.Email)
	}
	if req.APIAccess != nil && *req.APIAccess != u.APIAccess {
		if d := rights.DecideUser(p.Subject, rights.UserSetAPIAccess, target); !d.Allow {
			return denied(d)
		}
		u.APIAccess = *req.APIAccess
	}
	return nil
}

// applyActivation deactivates or reactivates u. Nobody deactivates themself (USR-5); a user
// with subordinates stays (ORG-1), and a deactivated user's sessions end at once; coming back
// needs an active supervisor, so that the tree stays one tree (ORG-1).
func (s *Server) applyActivation(ctx context.Context, tx bun.IDB, p *principal, u, before *model.User, active *bool) error {
	switch {
	case active == nil || *active == before.Active:
		return nil
	case !*active:
		if u.ID == p.User.ID {
			return apperr.E(apperr.Forbidden, "You cannot deactivate yourself.").Because("USR-5")
		}
		edges, err := supervisorEdges(ctx, tx)
		if err != nil {
			return err
		}
		if err := rights.ValidateUserDeactivation(edges, u.ID); err != nil {
			return treeError(err, "/data/attributes/active")
		}
		u.Active = false
		u.TokenVersion++
		return nil
	}
	edges, err := supervisorEdges(ctx, tx)
	if err != nil {
		return err
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

// applyUserRelations sets unit, supervisor and profile from the request, checking that they
// exist and that the supervisor tree stays one tree without cycles (ORG-1).
func (s *Server) applyUserRelations(ctx context.Context, tx bun.IDB, p *principal, u *model.User, req *userPatch, creating bool) error {
	if req.Unit != nil {
		id, null, err := relID(req.Unit, "business-units", "/data/relationships/unit")
		if err != nil {
			return err
		}
		if null {
			return apperr.E(apperr.Invalid, "Every user belongs to a unit (ORG-3).").AtPointer("/data/relationships/unit")
		}
		if n, err := tx.NewSelect().Model((*model.BusinessUnit)(nil)).Where("id = ?", id).Count(ctx); err != nil || n == 0 {
			return apperr.E(apperr.Invalid, "No business unit %d.", id).AtPointer("/data/relationships/unit")
		}
		u.UnitID = id
	}
	if req.Profile != nil {
		id, null, err := relID(req.Profile, "profiles", "/data/relationships/profile")
		if err != nil {
			return err
		}
		if null {
			return apperr.E(apperr.Invalid, "Every user has a profile.").AtPointer("/data/relationships/profile")
		}
		if _, err := profileByID(ctx, tx, id); err != nil {
			return err
		}
		u.ProfileID = id
	}
	if req.Supervisor != nil {
		id, null, err := relID(req.Supervisor, "users", "/data/relationships/supervisor")
		if err != nil {
			return err
		}
		edges, err := supervisorEdges(ctx, tx)
		if err != nil {
			return err
		}
		if creating {
			if null {
				return treeError(rights.ErrSecondHead, "/data/relationships/supervisor")
			}
			if _, ok := edges[id]; !ok {
				return treeError(rights.ErrUnknownUser, "/data/relationships/supervisor")
			}
		} else if err := rights.ValidateSupervisorChange(edges, u.ID, id); err != nil {
			return treeError(err, "/data/relationships/supervisor")
		}
		if null {
			u.SupervisorID = nil
		} else {
			u.SupervisorID = &id
		}
	}
	return nil
}

// checkRightsChange applies DecideRightsChange to u's next effective rights (USR-5, PRF-5).
func (s *Server) checkRightsChange(ctx context.Context, tx bun.IDB, p *principal, u *model.User, overrides map[string]string) error {
	prof, err := profileByID(ctx, tx, u.ProfileID)
	if err != nil {
		return err
	}
	next, err := nextRights(ctx, tx, prof, overrides)
	if err != nil {
		return err
	}
	if d := rights.DecideRightsChange(p.Subject, rights.UserAttrs{ID: u.ID, UnitID: u.UnitID}, next); !d.Allow {
		return denied(d)
	}
	return nil
}

// checkNewUser: below Users all, a new user joins the creator's own part of the supervisor
// tree, as themself or under one of their subordinates (USR-3, ORG-2), and nobody hands out
// rights above their own without Administrator edit_settings (the rights-change guard).
func (s *Server) checkNewUser(ctx context.Context, tx bun.IDB, p *principal, u *model.User, overrides map[string]string) error {
	if p.Subject.Rights.Users < rights.UsersAll && u.SupervisorID != nil &&
		*u.SupervisorID != p.User.ID && !p.Subject.Subordinates.Has(*u.SupervisorID) {
		return apperr.E(apperr.Forbidden, "You may add users only below yourself or your subordinates.").
			AtPointer("/data/relationships/supervisor").Because("USR-3")
	}
	prof, err := profileByID(ctx, tx, u.ProfileID)
	if err != nil {
		return err
	}
	next, err := nextRights(ctx, tx, prof, overrides)
	if err != nil {
		return err
	}
	if p.Subject.Rights.Admin < rights.AdminEditSettings && !p.Subject.Rights.Covers(next) {
		return apperr.E(apperr.Forbidden, "You cannot give a new user rights above your own.").AtPointer("/data/relationships/profile")
	}
	return nil
}

// checkAdministratorsRemain refuses a change that would leave no active Administrator (PRF-4).
func (s *Server) checkAdministratorsRemain(ctx context.Context, tx bun.IDB, before, after *model.User) error {
	wasAdmin, err := s.holdsAdministrator(ctx, tx, before)
	if err != nil || !wasAdmin {
		return err
	}
	isAdmin, err := s.holdsAdministrator(ctx, tx, after)
	if err != nil || isAdmin {
		return err
	}
	others, err := activeAdministrators(ctx, tx, before.ID)
	if err != nil {
		return err
	}
	return treeError(rights.CheckAdministratorsRemain(others), "/data/relationships/profile")
}

func (s *Server) holdsAdministrator(ctx context.Context, tx bun.IDB, u *model.User) (bool, error) {
	if !u.Active {
		return false, nil
	}
	prof, err := profileByID(ctx, tx, u.ProfileID)
	if err != nil {
		return false, err
	}
	return isAdministratorProfile(prof), nil
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

// isUniqueViolation recognises a unique-constraint error from PostgreSQL or SQLite.
func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE=23505") ||
		strings.Contains(msg, "duplicate key value")
}
