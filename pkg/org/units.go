package org

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Unit is a business unit, a node of the unit tree (ORG-3). Every employee may view the
// tree.
type Unit struct {
	model.BusinessUnit `bun:",extend"`
}

// Versioned implements domain.Versioned.
func (u *Unit) Versioned() (int64, *int64) { return u.ID, &u.Version }

// UnitInput is a new unit or a change of one; nil and unset fields stay as they are.
type UnitInput struct {
	Name     *string
	ParentID jsonapi.Nullable[int64] // null: the root, which exists already (ORG-3)
}

// UnitList is the unit tree, which every employee may view.
func (s *Service) UnitList(domain.Actor) listing.Spec[Unit] {
	return listing.Spec[Unit]{DB: s.env.DB, Table: "business_units AS b", Scope: everyone,
		Sorts: map[string]string{"name": "b.name"}, Filters: map[string]string{"parent": "b.parent_id"},
		Include: []string{"parent"}}
}

// Unit returns unit id. Errors: apperr.NotFound.
func (s *Service) Unit(ctx context.Context, _ domain.Actor, id int64) (*Unit, error) {
	return loadUnit(ctx, s.env.DB, id)
}

// UnitsByID returns the units of ids in one query (include).
func (s *Service) UnitsByID(ctx context.Context, _ domain.Actor, ids []int64) ([]*Unit, error) {
	var rows []*Unit
	if err := s.env.DB.NewSelect().Model(&rows).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load business units")
	}
	return rows, nil
}

func loadUnit(ctx context.Context, tx bun.IDB, id int64) (*Unit, error) {
	var u Unit
	if err := tx.NewSelect().Model(&u).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "business unit", id)
	}
	return &u, nil
}

// mayEditSettings: units, profiles and settings are the organisation's settings (ADM-2).
func mayEditSettings(a domain.Actor) error {
	if d := rights.DecideAdmin(a.Subject, rights.AdminSettings); !d.Allow {
		return domain.Denied(d)
	}
	return nil
}

func unitSnapshot(u *Unit) map[string]any {
	return map[string]any{"name": u.Name, "parent": u.ParentID}
}

// CreateUnit adds a unit below an existing one: the tree has one root (ADM-2, ORG-3).
// Errors: apperr.Forbidden, apperr.Invalid, apperr.Unprocessable.
func (s *Service) CreateUnit(ctx context.Context, a domain.Actor, in UnitInput) (*Unit, error) {
	if err := mayEditSettings(a); err != nil {
		return nil, err
	}
	name, err := required(in.Name, "name")
	if err != nil {
		return nil, err
	}
	const ptr = "/data/relationships/parent"
	if !in.ParentID.Set {
		return nil, apperr.E(apperr.Invalid, "parent is required").AtPointer(ptr)
	}
	if in.ParentID.Null {
		return nil, treeError(rights.ErrSecondRootUnit, ptr)
	}
	parent := in.ParentID.Value
	now := s.env.Now().UTC()
	u := &Unit{model.BusinessUnit{Name: name, ParentID: &parent, Version: 1, CreatedAt: now, UpdatedAt: now}}
	err = s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		parents, err := unitParents(ctx, tx)
		if err != nil {
			return err
		}
		if _, ok := parents[parent]; !ok {
			return treeError(rights.ErrUnknownUnit, ptr)
		}
		if _, err := tx.NewInsert().Model(&u.BusinessUnit).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert unit")
		}
		if err := RightsChanged(ctx, tx); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "business-units", ResourceID: u.ID,
			Changes: history.Diff(nil, map[string]any{"name": u.Name, "parent": parent})})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateUnit renames or moves unit id; a move keeps the tree free of cycles with one root
// (ADM-2, ORG-3), and what "own unit" covers changes at the next request (PRF-6). Errors:
// apperr.Forbidden, apperr.NotFound, apperr.Invalid, apperr.Stale, apperr.Unprocessable.
func (s *Service) UpdateUnit(ctx context.Context, a domain.Actor, id int64, in UnitInput, x domain.Expect) (*Unit, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Unit]{Table: "business_units", Resource: "business-units", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*Unit, error) {
			if err := mayEditSettings(a); err != nil {
				return nil, err
			}
			return loadUnit(ctx, tx, id)
		},
		Snapshot: unitSnapshot,
		Apply: func(ctx context.Context, tx bun.IDB, u *Unit) error {
			if err := rename(&u.Name, in.Name, "name"); err != nil {
				return err
			}
			if in.ParentID.Set {
				parent := in.ParentID.Value
				if in.ParentID.Null {
					parent = 0
				}
				parents, err := unitParents(ctx, tx)
				if err != nil {
					return err
				}
				if err := rights.ValidateUnitParentChange(parents, u.ID, parent); err != nil {
					return treeError(err, "/data/relationships/parent")
				}
				u.ParentID = &parent
				if parent == 0 {
					u.ParentID = nil
				}
			}
			u.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, u *Unit) *bun.UpdateQuery {
			return q.Set("name = ?", u.Name).Set("parent_id = ?", u.ParentID).Set("updated_at = ?", u.UpdatedAt)
		},
		After: func(ctx context.Context, tx bun.IDB, _ *Unit) error { return RightsChanged(ctx, tx) },
	})
}

// DeleteUnit deletes a unit with no sub-units, users or cases, since every user and case
// belongs to exactly one unit; the root stays (ADM-2, ORG-3). Errors: apperr.Forbidden,
// apperr.NotFound, apperr.Conflict.
func (s *Service) DeleteUnit(ctx context.Context, a domain.Actor, id int64) error {
	if err := mayEditSettings(a); err != nil {
		return err
	}
	return s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		u, err := loadUnit(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, c := range []struct {
			what string
			m    any
			col  string
		}{
			{"sub-units", (*model.BusinessUnit)(nil), "parent_id"},
			{"users", (*model.User)(nil), "unit_id"},
			{"cases", (*model.Case)(nil), "unit_id"},
		} {
			n, err := tx.NewSelect().Model(c.m).Where("? = ?", bun.Ident(c.col), id).Count(ctx)
			if err != nil {
				return apperr.Wrap(err, "count "+c.what+" of unit "+itoa(id))
			}
			if n > 0 {
				return apperr.E(apperr.Conflict, "The unit still has %d %s; move them first.", n, c.what)
			}
		}
		if u.ParentID == nil {
			return apperr.E(apperr.Conflict, "The root unit stays (ORG-3).")
		}
		if _, err := tx.NewDelete().Model((*model.BusinessUnit)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete unit "+itoa(id))
		}
		if err := RightsChanged(ctx, tx); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "delete", ResourceType: "business-units", ResourceID: id,
			Changes: history.Diff(unitSnapshot(u), nil)})
	})
}
