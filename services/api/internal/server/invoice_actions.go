package server

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// recordHourInvoicing writes one history entry per work hour whose invoice changed, so that
// an hour's own history says when it was billed, freed or credited.
func (s *Server) recordHourInvoicing(ctx context.Context, tx bun.IDB, p *principal, hours []model.WorkHour, before, after *int64) error {
	for i := range hours {
		h := &hours[i]
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "work-hours", ResourceID: h.ID, CaseID: h.CaseID,
			SubjectUserID: h.UserID, Changes: history.Diff(map[string]any{"invoice": before}, map[string]any{"invoice": after})}); err != nil {
			return err
		}
	}
	return nil
}

// freeHours takes the hours off invoice id so that they can be billed again (a credit note or
// a deleted draft), noting it in each hour's history.
func (s *Server) freeHours(ctx context.Context, tx bun.IDB, p *principal, id int64) error {
	var hours []model.WorkHour
	if err := tx.NewSelect().Model(&hours).Where("invoice_id = ?", id).Scan(ctx); err != nil {
		return apperr.Wrap(err, "load invoiced hours")
	}
	if _, err := tx.NewUpdate().Model((*model.WorkHour)(nil)).Set("invoice_id = NULL").Set("version = version + 1").
		Where("invoice_id = ?", id).Exec(ctx); err != nil {
		return apperr.Wrap(err, "free hours")
	}
	return s.recordHourInvoicing(ctx, tx, p, hours, &id, nil)
}

// creditInvoice answers POST /api/v1/invoices/:id/credit: a credit note cancels the invoice
// and frees its hours for billing again (INV-4).
func (s *Server) creditInvoice(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		r, _, _, err := s.loadInvoice(ctx, tx, p, c.Params("id"), rights.InvoiceCredit)
		if err != nil {
			return err
		}
		if r.CreditOfID != nil || r.Total <= 0 {
			return apperr.E(apperr.Conflict, "A credit note cannot be credited.")
		}
		if ok, err := tx.NewSelect().Model((*model.Invoice)(nil)).Where("credit_of_id = ?", r.ID).Exists(ctx); err != nil {
			return apperr.Wrap(err, "check credit")
		} else if ok {
			return apperr.E(apperr.Conflict, "Invoice %s is credited already.", r.Number)
		}
		now := s.now().UTC()
		credit := &model.Invoice{CaseID: r.CaseID, StatusID: r.StatusID, IssueDate: model.DateOf(now),
			DueDate: model.DateOf(now), Total: -r.Total, Currency: r.Currency, CreditOfID: &r.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := insertNumbered(ctx, tx, credit); err != nil {
			return err
		}
		if err := s.freeHours(ctx, tx, p, r.ID); err != nil {
			return err
		}
		if err := casefigures.Refresh(ctx, tx, r.CaseID); err != nil {
			return apperr.Wrap(err, "credit note")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "invoices", ResourceID: credit.ID, CaseID: r.CaseID,
			Changes: history.Diff(nil, map[string]any{"number": credit.Number, "total": credit.Total, "creditOf": r.ID})}); err != nil {
			return err
		}
		return s.writeInvoice(c, ctx, tx, p, credit.ID, fiber.StatusCreated)
	})
}

// remindInvoice answers POST /api/v1/invoices/:id/reminders: counts a payment reminder (INV-4).
func (s *Server) remindInvoice(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		r, d, _, err := s.loadInvoice(ctx, tx, p, c.Params("id"), rights.InvoiceRemind)
		if err != nil {
			return err
		}
		if err := db.BumpVersion(ctx, tx, "invoices", r.ID, r.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("reminder_count = reminder_count + 1").Set("updated_at = ?", s.now().UTC())
		}); err != nil {
			return err
		}
		r.ReminderCount++
		r.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "invoices", ResourceID: r.ID, CaseID: r.CaseID,
			Changes: history.Diff(map[string]any{"reminderCount": r.ReminderCount - 1}, map[string]any{"reminderCount": r.ReminderCount})}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, invoiceResource(r, d))
	})
}

// deleteInvoice answers DELETE /api/v1/invoices/:id: only an invoice still in the first
// status, within the caller's limit (INV-4); its hours can be billed again.
func (s *Server) deleteInvoice(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		r, _, order, err := s.loadInvoice(ctx, tx, p, c.Params("id"), rights.InvoiceDelete)
		if err != nil {
			return err
		}
		if pos, _ := order.Position(r.StatusID); pos != 0 || r.CreditOfID != nil {
			return apperr.E(apperr.Conflict, "Only a draft invoice can be deleted; credit it instead.")
		}
		if credited, err := tx.NewSelect().Model((*model.Invoice)(nil)).Where("credit_of_id = ?", r.ID).Exists(ctx); err != nil {
			return apperr.Wrap(err, "check credit notes")
		} else if credited {
			return apperr.E(apperr.Conflict, "Invoice %s has a credit note and stays as its record.", r.Number)
		}
		if err := s.freeHours(ctx, tx, p, r.ID); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.Invoice)(nil)).Where("id = ?", r.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete invoice")
		}
		if err := casefigures.Refresh(ctx, tx, r.CaseID); err != nil {
			return apperr.Wrap(err, "invoice")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "invoices", ResourceID: r.ID, CaseID: r.CaseID,
			Changes: history.Diff(map[string]any{"number": r.Number, "total": r.Total}, nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}
