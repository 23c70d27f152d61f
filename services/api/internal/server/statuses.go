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

func statusResource(st *model.InvoiceStatus) *jsonapi.Resource {
	id := strconv.FormatInt(st.ID, 10)
	return &jsonapi.Resource{Type: "invoice-statuses", ID: id,
		Attributes: map[string]any{"name": st.Name, "position": st.Position, "active": st.Active, "version": st.Version},
		Links:      &jsonapi.Links{Self: apiBase + "/invoice-statuses/" + id}}
}

// listStatuses answers GET /api/v1/invoice-statuses: the ordered list (section 5).
func (s *Server) listStatuses(c *fiber.Ctx) error {
	return collection[model.InvoiceStatus]{table: "invoice_statuses AS ist",
		scope:    func(q *bun.SelectQuery) *bun.SelectQuery { return q },
		sorts:    map[string]string{"position": "ist.position"},
		filters:  map[string]string{"active": "ist.active"},
		resource: statusResource}.run(s, c)
}

type statusBody struct {
	Name    *string `jsonapi:"name"`
	Active  *bool   `jsonapi:"active"`
	Version *int64  `jsonapi:"version"`
}

// createStatus answers POST /api/v1/invoice-statuses: a new status goes to the end of the
// list (ADM-2). Existing up_to limits keep their meaning, since they name a status, not a place.
func (s *Server) createStatus(c *fiber.Ctx) error {
	p := caller(c)
	if d := rights.DecideAdmin(p.Subject, rights.AdminSettings); !d.Allow {
		return denied(d)
	}
	var req statusBody
	if err := bind(c, "invoice-statuses", "", &req, "position", "version"); err != nil {
		return err
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var last int
		if err := tx.NewSelect().Model((*model.InvoiceStatus)(nil)).ColumnExpr("COALESCE(MAX(position), 0)").Scan(ctx, &last); err != nil {
			return apperr.Wrap(err, "last status position")
		}
		st := &model.InvoiceStatus{Name: strings.TrimSpace(*req.Name), Position: last + 1, Active: req.Active == nil || *req.Active, Version: 1}
		if _, err := tx.NewInsert().Model(st).Returning("*").Exec(ctx); err != nil {
			if isUniqueViolation(err) {
				return apperr.E(apperr.Conflict, "A status with this name exists.").AtPointer("/data/attributes/name")
			}
			return apperr.Wrap(err, "insert status")
		}
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "invoice-statuses", ResourceID: st.ID,
			Changes: history.Diff(nil, map[string]any{"name": st.Name, "position": st.Position})}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusCreated, statusResource(st))
	})
}

// updateStatus answers PATCH /api/v1/invoice-statuses/:id: rename or (de)activate (ADM-2).
func (s *Server) updateStatus(c *fiber.Ctx) error {
	p := caller(c)
	if d := rights.DecideAdmin(p.Subject, rights.AdminSettings); !d.Allow {
		return denied(d)
	}
	id, err := pathID(c, "invoice status")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var st model.InvoiceStatus
		if err := getOne(ctx, tx, &st, "invoice_statuses AS ist", id); err != nil {
			return err
		}
		var req statusBody
		if err := bind(c, "invoice-statuses", strconv.FormatInt(id, 10), &req, "position"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, st.Version); err != nil {
			return err
		}
		before := map[string]any{"name": st.Name, "active": st.Active}
		if req.Name != nil {
			if strings.TrimSpace(*req.Name) == "" {
				return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
			}
			st.Name = strings.TrimSpace(*req.Name)
		}
		if req.Active != nil {
			st.Active = *req.Active
		}
		if err := db.BumpVersion(ctx, tx, "invoice_statuses", st.ID, st.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("name = ?", st.Name).Set("active = ?", st.Active)
		}); err != nil {
			if isUniqueViolation(err) {
				return apperr.E(apperr.Conflict, "A status with this name exists.").AtPointer("/data/attributes/name")
			}
			return err
		}
		st.Version++
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "invoice-statuses", ResourceID: st.ID,
			Changes: history.Diff(before, map[string]any{"name": st.Name, "active": st.Active})}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, statusResource(&st))
	})
}

// statusKind is the invoice-statuses type of the registry.
func (s *Server) statusKind() kind {
	return kind{name: "invoice-statuses", list: s.listStatuses, create: s.createStatus, update: s.updateStatus,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			var st model.InvoiceStatus
			if err := getOne(ctx, s.db, &st, "invoice_statuses AS ist", id); err != nil {
				return nil, err
			}
			return statusResource(&st), nil
		})}
}
