package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

type profilePatch struct {
	Name    *string            `jsonapi:"name"`
	Rights  *map[string]string `jsonapi:"rights"`
	Version *int64             `jsonapi:"version"`
}

type profileRow struct {
	model.Profile `bun:",extend"`
	UserCount     int `bun:"user_count"`
}

// profileUserCount counts a profile's users (aliased "profile"), for its column and its sort.
const profileUserCount = "(SELECT COUNT(*) FROM users u WHERE u.profile_id = profile.id)"

// profileColumns adds each profile's user count (PRF-2) to a query over profiles aliased
// "profile".
func profileColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr(profileUserCount + " AS user_count")
}

func profileQuery(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ModelTableExpr("profiles AS profile").ColumnExpr("profile.*").Apply(profileColumns)
}

// getProfile answers GET /api/v1/profiles/:id (ADM-2).
func (s *Server) getProfile(c *fiber.Ctx) error {
	if d := rights.DecideProfile(caller(c).Subject, rights.ProfileView, 0); !d.Allow {
		return denied(d)
	}
	row, err := s.loadProfile(c, s.db)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, profileResource(row))
}

func profileResource(p *profileRow) *jsonapi.Resource {
	id := strconv.FormatInt(p.ID, 10)
	attrs := map[string]any{"name": p.Name, "rights": access.ProfileValues(&p.Profile), "userCount": p.UserCount,
		"version": p.Version, "builtIn": p.Key != nil}
	if p.Key != nil {
		attrs["key"] = *p.Key
	}
	return &jsonapi.Resource{Type: "profiles", ID: id, Attributes: attrs, Links: &jsonapi.Links{Self: apiBase + "/profiles/" + id}}
}

// listProfiles answers GET /api/v1/profiles with each profile's user count (PRF-2).
func (s *Server) listProfiles(c *fiber.Ctx) error {
	p := caller(c)
	if d := rights.DecideProfile(p.Subject, rights.ProfileView, 0); !d.Allow {
		return denied(d)
	}
	return collection[profileRow]{table: "profiles AS profile", extend: profileColumns,
		scope:    func(q *bun.SelectQuery) *bun.SelectQuery { return q },
		sorts:    map[string]string{"name": "profile.name", "userCount": profileUserCount},
		filters:  map[string]string{"key": "profile.key"},
		resource: func(r *profileRow) *jsonapi.Resource { return profileResource(r) }}.run(s, c)
}

func (s *Server) loadProfile(c *fiber.Ctx, db bun.IDB) (*profileRow, error) {
	id, err := pathID(c, "profile")
	if err != nil {
		return nil, err
	}
	var row profileRow
	if err := db.NewSelect().Model(&row).Apply(profileQuery).Where("profile.id = ?", id).Scan(c.UserContext()); err != nil {
		if isNoRows(err) {
			return nil, apperr.E(apperr.NotFound, "No profile %d.", id)
		}
		return nil, apperr.Wrap(err, "load profile")
	}
	return &row, nil
}

// createProfile answers POST /api/v1/profiles (ADM-2, PRF-2).
func (s *Server) createProfile(c *fiber.Ctx) error {
	p := caller(c)
	if d := rights.DecideProfile(p.Subject, rights.ProfileCreate, 0); !d.Allow {
		return denied(d)
	}
	in, err := jsonapi.ParseResource(c.Body(), "profiles", "")
	if err != nil {
		return err
	}
	var req profilePatch
	if err := in.Bind(&req, jsonapi.BindOptions{Forbidden: []string{"version", "key", "userCount", "builtIn"}}); err != nil {
		return err
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	if req.Rights == nil {
		return apperr.E(apperr.Invalid, "rights are required").AtPointer("/data/attributes/rights")
	}
	ctx := c.UserContext()
	now := s.now().UTC()
	row := &profileRow{Profile: model.Profile{Name: strings.TrimSpace(*req.Name), Version: 1, CreatedAt: now, UpdatedAt: now}}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := setRightsFromRequest(ctx, tx, &row.Profile, *req.Rights); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&row.Profile).Returning("*").Exec(ctx); err != nil {
			if isUniqueViolation(err) {
				return apperr.E(apperr.Conflict, "A profile with this name exists.").AtPointer("/data/attributes/name")
			}
			return apperr.Wrap(err, "insert profile")
		}
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		return s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "profiles", ResourceID: row.ID,
			Changes: history.Diff(nil, profileSnapshot(&row.Profile))})
	})
	if err != nil {
		return err
	}
	id := strconv.FormatInt(row.ID, 10)
	return jsonapi.Created(c, jsonapi.Document{Data: jsonapi.One(profileResource(row))}, apiBase+"/profiles/"+id)
}

// updateProfile answers PATCH /api/v1/profiles/:id. Nobody edits the profile they use
// (PRF-3), and the Administrator profile keeps every right at its top level (PRF-1, PRF-4).
// The change applies to the next request of every user holding the profile (PRF-6).
func (s *Server) updateProfile(c *fiber.Ctx) error {
	p := caller(c)
	ctx := c.UserContext()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := s.loadProfile(c, tx)
		if err != nil {
			return err
		}
		if d := rights.DecideProfile(p.Subject, rights.ProfileEdit, row.ID); !d.Allow {
			return denied(d)
		}
		in, err := jsonapi.ParseResource(c.Body(), "profiles", strconv.FormatInt(row.ID, 10))
		if err != nil {
			return err
		}
		var req profilePatch
		if err := in.Bind(&req, jsonapi.BindOptions{Forbidden: []string{"key", "userCount", "builtIn"}}); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, row.Version); err != nil {
			return err
		}
		before := profileSnapshot(&row.Profile)
		if req.Name != nil {
			if strings.TrimSpace(*req.Name) == "" {
				return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
			}
			row.Name = strings.TrimSpace(*req.Name)
		}
		if req.Rights != nil {
			merged := access.ProfileValues(&row.Profile)
			for k, v := range *req.Rights {
				merged[k] = v
			}
			if err := setRightsFromRequest(ctx, tx, &row.Profile, merged); err != nil {
				return err
			}
		}
		row.UpdatedAt = s.now().UTC()
		err = db.BumpVersion(ctx, tx, "profiles", row.ID, row.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			v := access.ProfileValues(&row.Profile)
			q = q.Set("name = ?", row.Name).Set("updated_at = ?", row.UpdatedAt)
			for _, col := range rights.Columns() {
				q = q.Set("? = ?", bun.Ident(col), columnValue(col, v[col]))
			}
			return q
		})
		if err != nil {
			if isUniqueViolation(err) {
				return apperr.E(apperr.Conflict, "A profile with this name exists.").AtPointer("/data/attributes/name")
			}
			return err
		}
		row.Version++
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "profiles", ResourceID: row.ID,
			Changes: history.Diff(before, profileSnapshot(&row.Profile))}); err != nil {
			return err
		}
		return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.One(profileResource(row))})
	})
}

// deleteProfile answers DELETE /api/v1/profiles/:id; a profile in use cannot be deleted
// (PRF-2) and nobody deletes the profile they use (PRF-3).
func (s *Server) deleteProfile(c *fiber.Ctx) error {
	p := caller(c)
	ctx := c.UserContext()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, err := s.loadProfile(c, tx)
		if err != nil {
			return err
		}
		if d := rights.DecideProfile(p.Subject, rights.ProfileDelete, row.ID); !d.Allow {
			return denied(d)
		}
		if err := rights.CheckProfileDelete(row.UserCount); err != nil {
			return apperr.E(apperr.Conflict, "%d users hold this profile; move them to another profile first.", row.UserCount).Because("PRF-2")
		}
		if isAdministratorProfile(&row.Profile) {
			return apperr.E(apperr.Conflict, "The Administrator profile cannot be deleted.").Because("PRF-1")
		}
		if _, err := tx.NewDelete().Model((*model.Profile)(nil)).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete profile")
		}
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "profiles", ResourceID: row.ID,
			Changes: history.Diff(profileSnapshot(&row.Profile), nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

// setRightsFromRequest validates a complete right → value map and writes it into p. The
// Administrator profile must keep every right at its top level (PRF-1, PRF-4).
func setRightsFromRequest(ctx context.Context, tx bun.IDB, p *model.Profile, values map[string]string) error {
	order, err := access.StatusOrder(ctx, tx)
	if err != nil {
		return err
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
	return access.SetProfileRights(p, r, order)
}

func profileSnapshot(p *model.Profile) map[string]any {
	m := map[string]any{"name": p.Name}
	for k, v := range access.ProfileValues(p) {
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

// profileKind is the profiles type of the registry.
func (s *Server) profileKind() kind {
	return kind{name: "profiles", list: s.listProfiles, create: s.createProfile, get: s.getProfile, update: s.updateProfile, remove: s.deleteProfile,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			if !rights.DecideProfile(p.Subject, rights.ProfileView, 0).Allow {
				return nil, nil
			}
			var row profileRow
			if err := s.db.NewSelect().Model(&row).Apply(profileQuery).Where("profile.id = ?", id).Scan(ctx); err != nil {
				if isNoRows(err) {
					return nil, nil
				}
				return nil, apperr.Wrap(err, "load profile")
			}
			return profileResource(&row), nil
		})}
}
