package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

type travelRow struct {
	model.TravelReimbursement `bun:",extend"`
	UserUnitID                int64  `bun:"user_unit_id"`
	CaseOwnerID               *int64 `bun:"case_owner_id"`
	CaseUnitID                *int64 `bun:"case_unit_id"`
	CaseAccountID             *int64 `bun:"case_account_id"`
}

func travelColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("t.*, tu.unit_id AS user_unit_id").
		ColumnExpr("tc.owner_id AS case_owner_id, tc.unit_id AS case_unit_id, tc.account_id AS case_account_id").
		Join("JOIN users AS tu ON tu.id = t.user_id").
		Join("LEFT JOIN cases AS tc ON tc.id = t.case_id")
}

func (t *travelRow) attrs() rights.TravelAttrs {
	a := rights.TravelAttrs{UserID: t.UserID, UserUnitID: t.UserUnitID}
	if t.CaseID != nil && t.CaseOwnerID != nil {
		a.Case = &rights.CaseAttrs{ID: *t.CaseID, OwnerID: *t.CaseOwnerID, UnitID: *t.CaseUnitID, AccountID: *t.CaseAccountID}
	}
	return a
}

func travelResource(t *travelRow) *jsonapi.Resource {
	id := strconv.FormatInt(t.ID, 10)
	attrs := map[string]any{"travelDate": string(t.TravelDate), "description": t.Description, "amount": t.Amount,
		"status": t.Status, "approvedAt": nil, "version": t.Version, "createdAt": t.CreatedAt.UTC(), "updatedAt": t.UpdatedAt.UTC()}
	if t.ApprovedAt != nil {
		attrs["approvedAt"] = t.ApprovedAt.UTC()
	}
	return &jsonapi.Resource{Type: "travel-reimbursements", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{
			"user":           toOne("travel-reimbursements", id, "user", "users", t.UserID),
			"case":           optRel("travel-reimbursements", id, "case", "cases", t.CaseID),
			"approvedByUser": optRel("travel-reimbursements", id, "approvedByUser", "users", t.ApprovedByUserID),
		},
		Links: &jsonapi.Links{Self: apiBase + "/travel-reimbursements/" + id}}
}

func travelSnapshot(t *model.TravelReimbursement) map[string]any {
	return map[string]any{"travelDate": string(t.TravelDate), "description": t.Description, "amount": t.Amount, "status": t.Status, "case": t.CaseID}
}

// listTravel answers GET /api/v1/travel-reimbursements (TRV-1..5).
func (s *Server) listTravel(c *fiber.Ctx) error {
	p := caller(c)
	return collection[travelRow]{table: "travel_reimbursements AS t", extend: travelColumns, scope: scope.TravelView(p.Subject, "t"),
		sorts:   map[string]string{"travelDate": "t.travel_date", "amount": "t.amount", "createdAt": "t.created_at"},
		filters: map[string]string{"user": "t.user_id", "status": "t.status", "case": "t.case_id"}, include: []string{"user", "case"},
		resource: func(t *travelRow) *jsonapi.Resource {
			if !rights.DecideTravel(p.Subject, rights.TravelView, t.attrs()).Allow {
				s.log.Error("travel scope leak", "travel", t.ID, "user", p.User.ID)
				return nil
			}
			return travelResource(t)
		}}.run(s, c)
}

func (s *Server) loadTravel(ctx context.Context, db bun.IDB, p *principal, rawID string, a rights.TravelAction) (*travelRow, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, apperr.E(apperr.NotFound, "No travel reimbursement %q.", rawID)
	}
	var t travelRow
	err = db.NewSelect().Model(&t).ModelTableExpr("travel_reimbursements AS t").Apply(travelColumns).Where("t.id = ?", id).Scan(ctx)
	if isNoRows(err) {
		return nil, apperr.E(apperr.NotFound, "No travel reimbursement %d.", id)
	}
	if err != nil {
		return nil, apperr.Wrap(err, "load travel")
	}
	if !rights.DecideTravel(p.Subject, rights.TravelView, t.attrs()).Allow {
		return nil, apperr.E(apperr.NotFound, "No travel reimbursement %d.", id)
	}
	if d := rights.DecideTravel(p.Subject, a, t.attrs()); !d.Allow {
		return nil, denied(d)
	}
	return &t, nil
}

func (s *Server) getTravel(c *fiber.Ctx) error {
	t, err := s.loadTravel(c.UserContext(), s.db, caller(c), c.Params("id"), rights.TravelView)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, travelResource(t))
}

type travelBody struct {
	TravelDate  *string                       `jsonapi:"travelDate"`
	Description *string                       `jsonapi:"description"`
	Amount      *int64                        `jsonapi:"amount"`
	Version     *int64                        `jsonapi:"version"`
	Case        *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
}

func applyTravel(t *model.TravelReimbursement, req *travelBody) error {
	if req.TravelDate != nil {
		d, err := checkDate("travelDate", *req.TravelDate)
		if err != nil {
			return err
		}
		t.TravelDate = d
	}
	if req.Description != nil {
		t.Description = strings.TrimSpace(*req.Description)
	}
	if req.Amount != nil {
		if err := checkRange("amount", *req.Amount, model.MoneyRange); err != nil {
			return err
		}
		t.Amount = *req.Amount
	}
	return nil
}

// createTravel answers POST /api/v1/travel-reimbursements: one's own claim (TRV-2), on a
// case one is a member of if a case is named (CASE-12).
func (s *Server) createTravel(c *fiber.Ctx) error {
	p := caller(c)
	var req travelBody
	if err := bind(c, "travel-reimbursements", "", &req, "status", "approvedAt", "approvedByUser", "user", "version", "createdAt", "updatedAt"); err != nil {
		return err
	}
	if req.TravelDate == nil || req.Amount == nil {
		return apperr.E(apperr.Invalid, "travelDate and amount are required").AtPointer("/data/attributes")
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.now().UTC()
		t := &travelRow{TravelReimbursement: model.TravelReimbursement{UserID: p.User.ID, Status: "pending", Version: 1, CreatedAt: now, UpdatedAt: now},
			UserUnitID: p.User.UnitID}
		if req.Case != nil {
			caseID, err := req.Case.ToOne("cases")
			if err != nil {
				return err
			}
			row, err := s.caseForWork(ctx, tx, p, caseID)
			if err != nil {
				return err
			}
			t.CaseID, t.CaseOwnerID, t.CaseUnitID, t.CaseAccountID = &row.ID, &row.OwnerID, &row.UnitID, &row.AccountID
		}
		if d := rights.DecideTravel(p.Subject, rights.TravelAdd, t.attrs()); !d.Allow {
			return denied(d)
		}
		if err := applyTravel(&t.TravelReimbursement, &req); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&t.TravelReimbursement).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert travel")
		}
		if err := refreshTravelCase(ctx, tx, t.CaseID); err != nil {
			return err
		}
		var caseID int64
		if t.CaseID != nil {
			caseID = *t.CaseID
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "travel-reimbursements", ResourceID: t.ID, CaseID: caseID,
			SubjectUserID: t.UserID, Changes: history.Diff(nil, travelSnapshot(&t.TravelReimbursement))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusCreated, travelResource(t))
	})
}

// updateTravel answers PATCH /api/v1/travel-reimbursements/:id: one's own pending claim (TRV-2).
func (s *Server) updateTravel(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.loadTravel(ctx, tx, p, c.Params("id"), rights.TravelEdit)
		if err != nil {
			return err
		}
		var req travelBody
		if err := bind(c, "travel-reimbursements", strconv.FormatInt(t.ID, 10), &req, "status", "approvedAt", "approvedByUser", "user", "case", "createdAt", "updatedAt"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, t.Version); err != nil {
			return err
		}
		if t.Status == "approved" {
			return apperr.E(apperr.Conflict, "An approved claim can no longer change.")
		}
		before := travelSnapshot(&t.TravelReimbursement)
		if err := applyTravel(&t.TravelReimbursement, &req); err != nil {
			return err
		}
		t.Status, t.UpdatedAt = "pending", s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "travel_reimbursements", t.ID, t.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("travel_date = ?", t.TravelDate).Set("description = ?", t.Description).Set("amount = ?", t.Amount).
				Set("status = ?", t.Status).Set("updated_at = ?", t.UpdatedAt)
		}); err != nil {
			return err
		}
		if err := refreshTravelCase(ctx, tx, t.CaseID); err != nil {
			return err
		}
		t.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "travel-reimbursements", ResourceID: t.ID,
			SubjectUserID: t.UserID, Changes: history.Diff(before, travelSnapshot(&t.TravelReimbursement))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, travelResource(t))
	})
}

// deleteTravel answers DELETE /api/v1/travel-reimbursements/:id: one's own unapproved claim.
func (s *Server) deleteTravel(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		t, err := s.loadTravel(ctx, tx, p, c.Params("id"), rights.TravelDelete)
		if err != nil {
			return err
		}
		if t.Status == "approved" {
			return apperr.E(apperr.Conflict, "An approved claim can no longer be deleted.")
		}
		if _, err := tx.NewDelete().Model((*model.TravelReimbursement)(nil)).Where("id = ?", t.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete travel")
		}
		if err := refreshTravelCase(ctx, tx, t.CaseID); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "travel-reimbursements", ResourceID: t.ID,
			SubjectUserID: t.UserID, Changes: history.Diff(travelSnapshot(&t.TravelReimbursement), nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

// decideTravel answers POST …/approve and …/reject (TRV-3..5; only approve_all approves
// one's own).
func (s *Server) decideTravel(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := caller(c)
		return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
			t, err := s.loadTravel(ctx, tx, p, c.Params("id"), rights.TravelApprove)
			if err != nil {
				return err
			}
			before := travelSnapshot(&t.TravelReimbursement)
			now := s.now().UTC()
			t.Status = "rejected"
			if approve {
				t.Status = "approved"
			}
			t.ApprovedByUserID, t.ApprovedAt = &p.User.ID, &now
			if err := db.BumpVersion(ctx, tx, "travel_reimbursements", t.ID, t.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
				return q.Set("status = ?", t.Status).Set("approved_by_user_id = ?", p.User.ID).Set("approved_at = ?", now).Set("updated_at = ?", now)
			}); err != nil {
				return err
			}
			t.Version++
			if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "travel-reimbursements", ResourceID: t.ID,
				SubjectUserID: t.UserID, Changes: history.Diff(before, travelSnapshot(&t.TravelReimbursement))}); err != nil {
				return err
			}
			return writeOne(c, fiber.StatusOK, travelResource(t))
		})
	}
}

// refreshTravelCase recomputes the figures of a claim's case, if it has one: its amount is
// the case's other expenses.
func refreshTravelCase(ctx context.Context, tx bun.IDB, caseID *int64) error {
	if caseID == nil {
		return nil
	}
	if err := casefigures.Refresh(ctx, tx, *caseID); err != nil {
		return apperr.Wrap(err, "travel")
	}
	return nil
}

// travelKind is the travel-reimbursements type of the registry.
func (s *Server) travelKind() kind {
	return kind{name: "travel-reimbursements", list: s.listTravel, create: s.createTravel, get: s.getTravel, update: s.updateTravel, remove: s.deleteTravel,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			t, err := s.loadTravel(ctx, s.db, p, idString(id), rights.TravelView)
			if err != nil {
				return nil, err
			}
			return travelResource(t), nil
		})}
}
