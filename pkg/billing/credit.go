package billing

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// CreditInvoice issues a credit note that cancels invoice id: the note carries the negative
// total, and the invoice's hours are freed (their invoice becomes none), so that they can be
// billed again and their approval can change again (see work.ErrInvoicedHour). The invoice's
// status must be within the actor's limit (INV-4). Errors: apperr.NotFound,
// apperr.Forbidden, apperr.Conflict (a credit note, or an invoice credited already).
func (s *Service) CreditInvoice(ctx context.Context, a domain.Actor, id int64) (*Invoice, error) {
	var out *Invoice
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		inv, err := s.loadInvoice(ctx, tx, a, id, rights.InvoiceCredit)
		if err != nil {
			return err
		}
		if inv.CreditOfID != nil || inv.Total <= 0 {
			return apperr.E(apperr.Conflict, "A credit note cannot be credited.")
		}
		if credited, err := isCredited(ctx, tx, inv.ID); err != nil {
			return err
		} else if credited {
			return apperr.E(apperr.Conflict, "Invoice %s is credited already.", inv.Number)
		}
		now := s.env.Now().UTC()
		credit := &model.Invoice{CaseID: inv.CaseID, StatusID: inv.StatusID, IssueDate: model.DateOf(now), DueDate: model.DateOf(now),
			Total: -inv.Total, Currency: inv.Currency, CreditOfID: &inv.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := insertNumbered(ctx, tx, credit); err != nil {
			return err
		}
		if err := s.freeHours(ctx, tx, a, inv.ID); err != nil {
			return err
		}
		if err := refreshFigures(ctx, tx, inv.CaseID); err != nil {
			return err
		}
		if err := s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "invoices", ResourceID: credit.ID, CaseID: inv.CaseID,
			Changes: history.Diff(nil, map[string]any{"number": credit.Number, "total": credit.Total, "creditOf": inv.ID})}); err != nil {
			return err
		}
		out, err = s.loadInvoice(ctx, tx, a, credit.ID, rights.InvoiceView)
		return err
	})
	return out, err
}

// RemindInvoice counts a payment reminder sent for invoice id, whose status must be within
// the actor's limit (INV-4). Errors: apperr.NotFound, apperr.Forbidden, apperr.Stale.
func (s *Service) RemindInvoice(ctx context.Context, a domain.Actor, id int64) (*Invoice, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Invoice]{Table: "invoices", Resource: "invoices", Expect: domain.AnyVersion,
		Load: func(ctx context.Context, tx bun.IDB) (*Invoice, error) {
			return s.loadInvoice(ctx, tx, a, id, rights.InvoiceRemind)
		},
		Snapshot: invoiceSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, inv *Invoice) error {
			inv.ReminderCount++
			inv.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, inv *Invoice) *bun.UpdateQuery {
			return q.Set("reminder_count = ?", inv.ReminderCount).Set("updated_at = ?", inv.UpdatedAt)
		},
		Entry: invoiceEntry,
	})
}

// isCredited reports whether invoice id has a credit note.
func isCredited(ctx context.Context, tx bun.IDB, id int64) (bool, error) {
	ok, err := tx.NewSelect().Model((*model.Invoice)(nil)).Where("credit_of_id = ?", id).Exists(ctx)
	if err != nil {
		return false, apperr.Wrap(err, fmt.Sprintf("look for a credit note of invoice %d", id))
	}
	return ok, nil
}

// freeHours takes the hours off invoice id (a credit note or a deleted draft): their invoice
// becomes none, so that they can be billed again and their approval can change again,
// which each hour's history notes.
func (s *Service) freeHours(ctx context.Context, tx bun.IDB, a domain.Actor, id int64) error {
	var hours []model.WorkHour
	if err := tx.NewSelect().Model(&hours).Where("invoice_id = ?", id).Scan(ctx); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("load hours of invoice %d", id))
	}
	if _, err := tx.NewUpdate().Model((*model.WorkHour)(nil)).Set("invoice_id = NULL").Set("version = version + 1").
		Where("invoice_id = ?", id).Exec(ctx); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("free hours of invoice %d", id))
	}
	return s.recordHourInvoicing(ctx, tx, a, hours, &id, nil)
}

// recordHourInvoicing writes one history entry per work hour whose invoice changed, so that
// an hour's own history says when it was billed, freed or credited.
func (s *Service) recordHourInvoicing(ctx context.Context, tx bun.IDB, a domain.Actor, hours []model.WorkHour, before, after *int64) error {
	for i := range hours {
		h := &hours[i]
		if err := s.env.Record(ctx, tx, a, history.Entry{Action: "update", ResourceType: "work-hours", ResourceID: h.ID, CaseID: h.CaseID,
			SubjectUserID: h.UserID, Changes: history.Diff(map[string]any{"invoice": before}, map[string]any{"invoice": after})}); err != nil {
			return err
		}
	}
	return nil
}
