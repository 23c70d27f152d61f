package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

type unitPatch struct {
	Name    *string                       `jsonapi:"name"`
	Version *int64                        `jsonapi:"version"`
	Parent  *jsonapi.IncomingRelationship `jsonapi:"parent,rel"`
}

func unitResource(u *model.BusinessUnit) *jsonapi.Resource {
	id := strconv.FormatInt(u.ID, 10)
	parent := jsonapi.Relationship{Data: jsonapi.ToOneNull(), Links: jsonapi.RelationshipLinks(apiBase, "business-units", id, "parent")}
	if u.ParentID != nil {
		parent = toOne("business-units", id, "parent", "business-units", *u.ParentID)
	}
	return &jsonapi.Resource{Type: "business-units", ID: id,
		Attributes:    map[string]any{"name": u.Name, "version": u.Version},
		Relationships: map[string]jsonapi.Relationship{"parent": parent},
		Links:         &jsonapi.Links{Self: apiBase + "/business-units/" + id}}
}

// listUnits answers GET /api/v1/business-units: the unit tree is visible to every employee.
func (s *Server) listUnits(c *fiber.Ctx) error {
	return collection[model.BusinessUnit]{table: "business_units AS b",
		scope:   func(q *bun.SelectQuery) *bun.SelectQuery { return q },
		sorts:   map[string]string{"name": "b.name"},
		filters: map[string]string{"parent": "b.parent_id"},
		include: []string{"parent"}, resource: unitResource}.run(s, c)
}

// getUnit answers GET /api/v1/business-units/:id: the unit tree is visible to everyone.
func (s *Server) getUnit(c *fiber.Ctx) error {
	id, err := pathID(c, "business unit")
	if err != nil {
		return err
	}
	var b model.BusinessUnit
	if err := getOne(c.UserContext(), s.db, &b, "business_units AS b", id); err != nil {
		return err
	}
	return s.writeIncluding(c, caller(c), unitResource(&b), "parent")
}

// deleteUnit answers DELETE /api/v1/business-units/:id (ADM-2): only a unit with no sub-units,
// users or cases, since every user and case belongs to exactly one unit (ORG-3).
func (s *Server) deleteUnit(c *fiber.Ctx) error {
	p := caller(c)
	if d := rights.DecideAdmin(p.Subject, rights.AdminSettings); !d.Allow {
		return denied(d)
	}
	id, err := pathID(c, "business unit")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var b model.BusinessUnit
		if err := getOne(ctx, tx, &b, "business_units AS b", id); err != nil {
			return err
		}
		for what, q := range map[string]*bun.SelectQuery{
			"sub-units": tx.NewSelect().Model((*model.BusinessUnit)(nil)).Where("parent_id = ?", id),
			"users":     tx.NewSelect().Model((*model.User)(nil)).Where("unit_id = ?", id),
			"cases":     tx.NewSelect().Model((*model.Case)(nil)).Where("unit_id = ?", id),
		} {
			n, err := q.Count(ctx)
			if err != nil {
				return apperr.Wrap(err, "count "+what)
			}
			if n > 0 {
				return apperr.E(apperr.Conflict, "The unit still has %d %s; move them first.", n, what)
			}
		}
		if b.ParentID == nil {
			return apperr.E(apperr.Conflict, "The root unit stays (ORG-3).")
		}
		if _, err := tx.NewDelete().Model((*model.BusinessUnit)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete unit")
		}
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "business-units", ResourceID: id,
			Changes: history.Diff(map[string]any{"name": b.Name, "parent": b.ParentID}, nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

func unitParents(ctx context.Context, db bun.IDB) (map[int64]int64, error) {
	var units []model.BusinessUnit
	if err := db.NewSelect().Model(&units).Column("id", "parent_id").Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load unit tree")
	}
	out := make(map[int64]int64, len(units))
	for _, u := range units {
		var p int64
		if u.ParentID != nil {
			p = *u.ParentID
		}
		out[u.ID] = p
	}
	return out, nil
}

// createUnit answers POST /api/v1/business-units (ADM-2). A new unit hangs below an
// existing one: the tree has one root (ORG-3).
func (s *Server) createUnit(c *fiber.Ctx) error {
	p := caller(c)
	if d := rights.DecideAdmin(p.Subject, rights.AdminSettings); !d.Allow {
		return denied(d)
	}
	in, err := jsonapi.ParseResource(c.Body(), "business-units", "")
	if err != nil {
		return err
	}
	var req unitPatch
	if err := in.Bind(&req, jsonapi.BindOptions{Forbidden: []string{"version"}}); err != nil {
		return err
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	if req.Parent == nil {
		return apperr.E(apperr.Invalid, "parent is required").AtPointer("/data/relationships/parent")
	}
	parent, null, err := relID(req.Parent, "business-units", "/data/relationships/parent")
	if err != nil {
		return err
	}
	if null {
		return treeError(rights.ErrSecondRootUnit, "/data/relationships/parent")
	}
	now := s.now().UTC()
	u := &model.BusinessUnit{Name: strings.TrimSpace(*req.Name), ParentID: &parent, Version: 1, CreatedAt: now, UpdatedAt: now}
	ctx := c.UserContext()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		parents, err := unitParents(ctx, tx)
		if err != nil {
			return err
		}
		if _, ok := parents[parent]; !ok {
			return treeError(rights.ErrUnknownUnit, "/data/relationships/parent")
		}
		if _, err := tx.NewInsert().Model(u).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert unit")
		}
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		return s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "business-units", ResourceID: u.ID,
			Changes: history.Diff(nil, map[string]any{"name": u.Name, "parent": parent})})
	})
	if err != nil {
		return err
	}
	return jsonapi.Created(c, jsonapi.Document{Data: jsonapi.One(unitResource(u))}, apiBase+"/business-units/"+strconv.FormatInt(u.ID, 10))
}

// updateUnit answers PATCH /api/v1/business-units/:id; moving a unit keeps the tree free
// of cycles with one root (ORG-3).
func (s *Server) updateUnit(c *fiber.Ctx) error {
	p := caller(c)
	if d := rights.DecideAdmin(p.Subject, rights.AdminSettings); !d.Allow {
		return denied(d)
	}
	ctx := c.UserContext()
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		id, err := pathID(c, "business unit")
		if err != nil {
			return err
		}
		var u model.BusinessUnit
		if err := tx.NewSelect().Model(&u).Where("id = ?", id).Scan(ctx); err != nil {
			if isNoRows(err) {
				return apperr.E(apperr.NotFound, "No business unit %d.", id)
			}
			return apperr.Wrap(err, "load unit")
		}
		in, err := jsonapi.ParseResource(c.Body(), "business-units", strconv.FormatInt(id, 10))
		if err != nil {
			return err
		}
		var req unitPatch
		if err := in.Bind(&req); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, u.Version); err != nil {
			return err
		}
		before := map[string]any{"name": u.Name, "parent": u.ParentID}
		if req.Name != nil {
			if strings.TrimSpace(*req.Name) == "" {
				return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
			}
			u.Name = strings.TrimSpace(*req.Name)
		}
		if req.Parent != nil {
			parent, _, err := relID(req.Parent, "business-units", "/data/relationships/parent")
			if err != nil {
				return err
			}
			parents, err := unitParents(ctx, tx)
			if err != nil {
				return err
			}
			if err := rights.ValidateUnitParentChange(parents, u.ID, parent); err != nil {
				return treeError(err, "/data/relationships/parent")
			}
			if parent == 0 {
				u.ParentID = nil
			} else {
				u.ParentID = &parent
			}
		}
		u.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "business_units", u.ID, u.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("name = ?", u.Name).Set("parent_id = ?", u.ParentID).Set("updated_at = ?", u.UpdatedAt)
		}); err != nil {
			return err
		}
		u.Version++
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "business-units", ResourceID: u.ID,
			Changes: history.Diff(before, map[string]any{"name": u.Name, "parent": u.ParentID})}); err != nil {
			return err
		}
		return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.One(unitResource(&u))})
	})
}

// unitKind is the business-units type of the registry.
func (s *Server) unitKind() kind {
	return kind{name: "business-units", list: s.listUnits, create: s.createUnit, get: s.getUnit, update: s.updateUnit, remove: s.deleteUnit,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			var b model.BusinessUnit
			if err := getOne(ctx, s.db, &b, "business_units AS b", id); err != nil {
				return nil, err
			}
			return unitResource(&b), nil
		})}
}
