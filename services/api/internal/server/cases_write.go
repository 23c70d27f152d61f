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

// caseBody is what a client may send for a case. Owner and unit are the server's: the
// creator owns a new case in their unit (ORG-4); derived figures are never writable.
type caseBody struct {
	Name              *string                       `jsonapi:"name"`
	Status            *string                       `jsonapi:"status"`
	StartsOn          jsonapi.Nullable[string]      `jsonapi:"startsOn"`
	EndsOn            jsonapi.Nullable[string]      `jsonapi:"endsOn"`
	BillingForecast   *int64                        `jsonapi:"billingForecast"`
	ExpenseForecast   *int64                        `jsonapi:"expenseForecast"`
	ExpectedValue     *int64                        `jsonapi:"expectedValue"`
	Probability       *int                          `jsonapi:"probability"`
	ExpectedOrderDate jsonapi.Nullable[string]      `jsonapi:"expectedOrderDate"`
	Version           *int64                        `jsonapi:"version"`
	Account           *jsonapi.IncomingRelationship `jsonapi:"account,rel"`
}

var caseStatuses = map[string]bool{"open": true, "in_progress": true, "on_hold": true, "closed": true}

// serverOwnedCaseFields may never be sent: owner, unit and every derived figure.
var serverOwnedCaseFields = []string{"owner", "unit", "revenue", "billed", "uninvoiced", "laborExpenses", "otherExpenses",
	"totalExpenses", "margin", "createdAt", "updatedAt"}

// forbiddenCaseFields adds the financial fields a decision hides (CASE-5, CASE-7): a caller
// may not write what they may not read.
func forbiddenCaseFields(d rights.Decision) []string {
	return append(append([]string{}, serverOwnedCaseFields...), d.Hidden.Fields()...)
}

func applyCase(cs *model.Case, req *caseBody) error {
	if req.Name != nil {
		if strings.TrimSpace(*req.Name) == "" {
			return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
		}
		cs.Name = strings.TrimSpace(*req.Name)
	}
	if req.Status != nil {
		if !caseStatuses[*req.Status] {
			return apperr.E(apperr.Invalid, "status must be open, in_progress, on_hold or closed").AtPointer("/data/attributes/status")
		}
		cs.Status = *req.Status
	}
	if err := applyDates(dateField{"startsOn", req.StartsOn, &cs.StartsOn}, dateField{"endsOn", req.EndsOn, &cs.EndsOn},
		dateField{"expectedOrderDate", req.ExpectedOrderDate, &cs.ExpectedOrderDate}); err != nil {
		return err
	}
	for name, v := range map[string]*int64{"billingForecast": req.BillingForecast, "expenseForecast": req.ExpenseForecast, "expectedValue": req.ExpectedValue} {
		if v == nil {
			continue
		}
		if err := checkRange(name, *v, model.MoneyRange); err != nil {
			return err
		}
	}
	if req.BillingForecast != nil {
		cs.BillingForecast = *req.BillingForecast
	}
	if req.ExpenseForecast != nil {
		cs.ExpenseForecast = *req.ExpenseForecast
	}
	if req.ExpectedValue != nil {
		cs.ExpectedValue = *req.ExpectedValue
	}
	if req.Probability != nil {
		if *req.Probability < 0 || *req.Probability > 100 {
			return apperr.E(apperr.Invalid, "probability is a percentage 0..100").AtPointer("/data/attributes/probability")
		}
		cs.Probability = *req.Probability
	}
	if cs.StartsOn != "" && cs.EndsOn != "" && cs.EndsOn < cs.StartsOn {
		return apperr.E(apperr.Invalid, "endsOn is before startsOn").AtPointer("/data/attributes/endsOn")
	}
	return nil
}

func caseSnapshot(cs *model.Case) map[string]any {
	return map[string]any{"name": cs.Name, "status": cs.Status, "startsOn": string(cs.StartsOn), "endsOn": string(cs.EndsOn),
		"billingForecast": cs.BillingForecast, "expenseForecast": cs.ExpenseForecast, "expectedValue": cs.ExpectedValue,
		"probability": cs.Probability, "expectedOrderDate": string(cs.ExpectedOrderDate), "owner": cs.OwnerID,
		"unit": cs.UnitID, "account": cs.AccountID}
}

// createCase answers POST /api/v1/cases (CASE-3, ACC-2). The caller owns the new case, in
// their own unit, and is its first member.
func (s *Server) createCase(c *fiber.Ctx) error {
	p := caller(c)
	d := rights.DecideCase(p.Subject, rights.CaseCreate, rights.CaseAttrs{OwnerID: p.User.ID, UnitID: p.User.UnitID})
	if !d.Allow {
		return denied(d)
	}
	var req caseBody
	if err := bind(c, "cases", "", &req, append(forbiddenCaseFields(d), "version")...); err != nil {
		return err
	}
	if req.Name == nil || req.Account == nil {
		return apperr.E(apperr.Invalid, "name and the account relationship are required").AtPointer("/data")
	}
	now := s.now().UTC()
	cs := &model.Case{OwnerID: p.User.ID, UnitID: p.User.UnitID, Status: "open", Probability: 100, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := applyCase(cs, &req); err != nil {
		return err
	}
	err := s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if cs.AccountID, err = accountExists(ctx, tx, req.Account); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(cs).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert case")
		}
		if _, err := tx.NewInsert().Model(&model.CaseMember{CaseID: cs.ID, UserID: p.User.ID, CreatedAt: now}).Exec(ctx); err != nil {
			return apperr.Wrap(err, "add owner as member")
		}
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		return s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "cases", ResourceID: cs.ID, CaseID: cs.ID,
			Changes: history.Diff(nil, caseSnapshot(cs))})
	})
	if err != nil {
		return err
	}
	row, view, err := s.loadCase(c.UserContext(), p, strconv.FormatInt(cs.ID, 10), rights.CaseView)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, caseResource(row, view))
}

// updateCase answers PATCH /api/v1/cases/:id: owner-like callers only (CASE-4, CASE-12).
func (s *Server) updateCase(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		row, d, err := s.loadCaseTx(ctx, tx, p, c.Params("id"), rights.CaseEdit)
		if err != nil {
			return err
		}
		var req caseBody
		if err := bind(c, "cases", strconv.FormatInt(row.ID, 10), &req, append(forbiddenCaseFields(d), "account")...); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, row.Version); err != nil {
			return err
		}
		before := caseSnapshot(&row.Case)
		if err := applyCase(&row.Case, &req); err != nil {
			return err
		}
		row.UpdatedAt = s.now().UTC()
		cs := &row.Case
		if err := db.BumpVersion(ctx, tx, "cases", cs.ID, cs.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("name = ?", cs.Name).Set("status = ?", cs.Status).Set("starts_on = ?", cs.StartsOn).
				Set("ends_on = ?", cs.EndsOn).Set("billing_forecast = ?", cs.BillingForecast).
				Set("expense_forecast = ?", cs.ExpenseForecast).Set("expected_value = ?", cs.ExpectedValue).
				Set("probability = ?", cs.Probability).Set("expected_order_date = ?", cs.ExpectedOrderDate).
				Set("updated_at = ?", cs.UpdatedAt)
		}); err != nil {
			return err
		}
		cs.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "cases", ResourceID: cs.ID, CaseID: cs.ID,
			Changes: history.Diff(before, caseSnapshot(cs))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, caseResource(row, d))
	})
}

// deleteCase answers DELETE /api/v1/cases/:id (CASE-13). Only a case without hours, travel
// or invoices can go: those are other people's records and accounting; such a case is closed
// instead. Its phases, files, comments, members and share go with it, and so do its stored
// files, once the deletion is committed.
func (s *Server) deleteCase(c *fiber.Ctx) error {
	p := caller(c)
	var keys []string
	err := s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		row, _, err := s.loadCaseTx(ctx, tx, p, c.Params("id"), rights.CaseDelete)
		if err != nil {
			return err
		}
		for what, m := range map[string]any{"invoices": (*model.Invoice)(nil), "work hours": (*model.WorkHour)(nil),
			"travel reimbursements": (*model.TravelReimbursement)(nil)} {
			n, err := tx.NewSelect().Model(m).Where("case_id = ?", row.ID).Count(ctx)
			if err != nil {
				return apperr.Wrap(err, "count "+what)
			}
			if n > 0 {
				return apperr.E(apperr.Conflict, "The case has %d %s; close it instead of deleting it.", n, what)
			}
		}
		if err := tx.NewSelect().Model((*model.File)(nil)).Column("storage_key").Where("case_id = ? AND storage_key IS NOT NULL", row.ID).Scan(ctx, &keys); err != nil {
			return apperr.Wrap(err, "list case files")
		}
		if _, err := tx.NewDelete().Model((*model.Case)(nil)).Where("id = ?", row.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete case")
		}
		// The case's memberships went with it (ON DELETE CASCADE).
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		return s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "cases", ResourceID: row.ID, CaseID: row.ID,
			Changes: history.Diff(caseSnapshot(&row.Case), nil)})
	})
	if err != nil {
		return err
	}
	for _, key := range keys {
		if s.files == nil {
			break
		}
		if err := s.files.Delete(context.WithoutCancel(c.UserContext()), key); err != nil {
			s.log.Warn("file object left behind", "key", key, "err", err)
		}
	}
	return jsonapi.NoContent(c)
}
