package billing

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// InvoiceInput is a new invoice or a change of one; nil fields stay as they are.
type InvoiceInput struct {
	CaseID    *int64 // create only
	StatusID  *int64 // on create, nil starts in the first active status
	IssueDate *string
	DueDate   *string
}

// dates validates the dates sent and sets them on inv.
func (in *InvoiceInput) dates(inv *model.Invoice) error {
	if err := domain.SetDate("issueDate", in.IssueDate, &inv.IssueDate); err != nil {
		return err
	}
	return domain.SetDate("dueDate", in.DueDate, &inv.DueDate)
}

// status is an invoice status with its place in the ordered list.
type status struct {
	model.InvoiceStatus `bun:",extend"`
	Pos                 int `bun:"status_pos"`
}

func selectStatus(db bun.IDB, st *status) *bun.SelectQuery {
	return db.NewSelect().Model(st).ModelTableExpr("invoice_statuses AS st").ColumnExpr("st.*").ColumnExpr(statusPlace + " AS status_pos")
}

// activeStatus loads status id, which an invoice is created in or moved to: it must exist
// (apperr.Invalid) and be active (apperr.Unprocessable).
func activeStatus(ctx context.Context, db bun.IDB, id int64) (*status, error) {
	var st status
	if err := selectStatus(db, &st).Where("st.id = ?", id).Scan(ctx); err != nil {
		if !domain.IsNoRows(err) {
			return nil, apperr.Wrap(err, fmt.Sprintf("load invoice status %d", id))
		}
		return nil, apperr.E(apperr.Invalid, "No invoice status %d.", id).AtPointer("/data/relationships/status")
	}
	if !st.Active {
		return nil, apperr.E(apperr.Unprocessable, "The status %q is not active.", st.Name).AtPointer("/data/relationships/status")
	}
	return &st, nil
}

// startStatus is where a new invoice starts: status id when asked for, else the first active
// status. Errors: apperr.Unprocessable when none is configured or active, and those of
// activeStatus.
func startStatus(ctx context.Context, db bun.IDB, id *int64) (*status, error) {
	var st status
	err := selectStatus(db, &st).Where("st.active").OrderExpr("st.position").Limit(1).Scan(ctx)
	switch {
	case domain.IsNoRows(err):
		if n, err := db.NewSelect().Model((*model.InvoiceStatus)(nil)).Count(ctx); err != nil {
			return nil, apperr.Wrap(err, "count invoice statuses")
		} else if n == 0 {
			return nil, apperr.E(apperr.Unprocessable, "No invoice statuses are configured.")
		}
		return nil, apperr.E(apperr.Unprocessable, "No active invoice status is configured.")
	case err != nil:
		return nil, apperr.Wrap(err, "load first invoice status")
	case id != nil:
		return activeStatus(ctx, db, *id)
	}
	return &st, nil
}

// insertNumbered inserts a new invoice or credit note and gives it its number, "YEAR-00042"
// from its issue year and id, so that numbers are unique and sequential without a counter.
func insertNumbered(ctx context.Context, tx bun.IDB, inv *model.Invoice) error {
	inv.Number = "pending-" + auth.RandomToken(9)
	if _, err := tx.NewInsert().Model(inv).Returning("*").Exec(ctx); err != nil {
		return apperr.Wrap(err, "insert invoice")
	}
	inv.Number = fmt.Sprintf("%s-%05d", inv.IssueDate[:4], inv.ID)
	if _, err := tx.NewUpdate().Model(inv).Column("number").WherePK().Exec(ctx); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("number invoice %d", inv.ID))
	}
	return nil
}

func refreshFigures(ctx context.Context, tx bun.IDB, caseID int64) error {
	if err := casefigures.Refresh(ctx, tx, caseID); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("refresh figures of case %d", caseID))
	}
	return nil
}

// CreateInvoice bills a case's billable hours that are on no invoice yet, approved or not
// (WHA-8), in the first active status unless another is asked for: an owner-like employee
// with invoice access (INV-1, CASE-7) whose limit reaches the status (INV-2, INV-3). The
// hours' history notes the invoice.
//
// Errors: apperr.Invalid, apperr.NotFound (case), apperr.Forbidden, apperr.Unprocessable (no
// status, an inactive status, nothing to bill).
func (s *Service) CreateInvoice(ctx context.Context, a domain.Actor, in InvoiceInput) (*Invoice, error) {
	if in.CaseID == nil {
		return nil, apperr.E(apperr.Invalid, "the case relationship is required").AtPointer("/data/relationships/case")
	}
	var out *Invoice
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		c, _, err := domain.CaseFor(ctx, tx, a, *in.CaseID, rights.CaseView)
		if err != nil {
			return err
		}
		st, err := startStatus(ctx, tx, in.StatusID)
		if err != nil {
			return err
		}
		attrs := rights.InvoiceAttrs{Case: domain.CaseAttrs(c), StatusPos: st.Pos}
		if d := rights.DecideInvoice(a.Subject, rights.InvoiceCreate, attrs); !d.Allow {
			return domain.Denied(d)
		}
		settings, err := access.LoadSettings(ctx, tx)
		if err != nil {
			return apperr.Wrap(err, "load settings")
		}
		var hours []model.WorkHour
		if err := tx.NewSelect().Model(&hours).Where("case_id = ? AND billable AND invoice_id IS NULL", c.ID).
			OrderExpr("work_date, id").Scan(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("load billable hours of case %d", c.ID))
		}
		if len(hours) == 0 {
			return apperr.E(apperr.Unprocessable, "The case has no billable hours that are not invoiced yet.")
		}
		now := s.env.Now().UTC()
		inv := &model.Invoice{CaseID: c.ID, StatusID: st.ID, Currency: settings.Currency,
			IssueDate: model.DateOf(now), DueDate: model.DateOf(now.AddDate(0, 0, 14)), Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := in.dates(inv); err != nil {
			return err
		}
		if err := insertNumbered(ctx, tx, inv); err != nil {
			return err
		}
		if err := s.bill(ctx, tx, a, inv, hours); err != nil {
			return err
		}
		if err := s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "invoices", ResourceID: inv.ID, CaseID: c.ID,
			Changes: history.Diff(nil, map[string]any{"number": inv.Number, "total": inv.Total, "status": st.ID, "hours": len(hours)})}); err != nil {
			return err
		}
		out, err = s.loadInvoice(ctx, tx, a, inv.ID, rights.InvoiceView)
		return err
	})
	return out, err
}

// bill puts hours on invoice inv, one row each, and totals it.
func (s *Service) bill(ctx context.Context, tx bun.IDB, a domain.Actor, inv *model.Invoice, hours []model.WorkHour) error {
	ids := make([]int64, len(hours))
	for i := range hours {
		h := &hours[i]
		row := &model.InvoiceRow{InvoiceID: inv.ID, WorkHourID: &h.ID, Description: h.Description, QuantityMinutes: h.Minutes,
			UnitPrice: h.UnitPrice, Total: h.Price()}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("insert row of invoice %d", inv.ID))
		}
		inv.Total += h.Price()
		ids[i] = h.ID
	}
	if _, err := tx.NewUpdate().Model((*model.WorkHour)(nil)).Set("invoice_id = ?", inv.ID).Set("version = version + 1").
		Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("mark hours of invoice %d invoiced", inv.ID))
	}
	if _, err := tx.NewUpdate().Model(inv).Column("total").WherePK().Exec(ctx); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("total invoice %d", inv.ID))
	}
	if err := refreshFigures(ctx, tx, inv.CaseID); err != nil {
		return err
	}
	return s.recordHourInvoicing(ctx, tx, a, hours, nil, &inv.ID)
}

func invoiceSnapshot(inv *Invoice) map[string]any {
	return map[string]any{"status": inv.StatusID, "issueDate": string(inv.IssueDate), "dueDate": string(inv.DueDate),
		"reminderCount": inv.ReminderCount}
}

func invoiceEntry(inv *Invoice, e *history.Entry) { e.CaseID = inv.CaseID }

// UpdateInvoice changes an invoice's dates and status. Any change, even an empty one, needs
// the current status within the actor's limit (INV-4); the status moves only to an active
// status within it (INV-2, INV-3). Errors: apperr.NotFound, apperr.Stale, apperr.Forbidden,
// apperr.Invalid, apperr.Unprocessable (an inactive status).
func (s *Service) UpdateInvoice(ctx context.Context, a domain.Actor, id int64, in InvoiceInput, x domain.Expect) (*Invoice, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Invoice]{Table: "invoices", Resource: "invoices", Expect: x,
		// Viewing is decided first and the limit after the version, as the API always did.
		Load: func(ctx context.Context, tx bun.IDB) (*Invoice, error) {
			return s.loadInvoice(ctx, tx, a, id, rights.InvoiceView)
		},
		Snapshot: invoiceSnapshot,
		Apply: func(ctx context.Context, tx bun.IDB, inv *Invoice) error {
			if d := rights.DecideInvoice(a.Subject, rights.InvoiceEdit, inv.Attrs()); !d.Allow {
				return domain.Denied(d)
			}
			if err := in.dates(&inv.Invoice); err != nil {
				return err
			}
			if in.StatusID != nil {
				st, err := activeStatus(ctx, tx, *in.StatusID)
				if err != nil {
					return err
				}
				if d := rights.DecideInvoiceStatus(a.Subject, inv.Attrs(), st.Pos); !d.Allow {
					return domain.Denied(d)
				}
				inv.StatusID, inv.StatusName, inv.StatusPos = st.ID, st.Name, st.Pos
			}
			inv.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, inv *Invoice) *bun.UpdateQuery {
			return q.Set("status_id = ?", inv.StatusID).Set("issue_date = ?", inv.IssueDate).Set("due_date = ?", inv.DueDate).
				Set("updated_at = ?", inv.UpdatedAt)
		},
		Entry: invoiceEntry,
	})
}

// DeleteInvoice deletes an invoice still in the first status, within the actor's limit
// (INV-4); its hours can be billed again. A credit note, and an invoice with one, stay as
// the accounting record. Errors: apperr.NotFound, apperr.Forbidden, apperr.Conflict.
func (s *Service) DeleteInvoice(ctx context.Context, a domain.Actor, id int64) error {
	return s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		inv, err := s.loadInvoice(ctx, tx, a, id, rights.InvoiceDelete)
		if err != nil {
			return err
		}
		if inv.StatusPos != 0 || inv.CreditOfID != nil {
			return apperr.E(apperr.Conflict, "Only a draft invoice can be deleted; credit it instead.")
		}
		if credited, err := isCredited(ctx, tx, inv.ID); err != nil {
			return err
		} else if credited {
			return apperr.E(apperr.Conflict, "Invoice %s has a credit note and stays as its record.", inv.Number)
		}
		if err := s.freeHours(ctx, tx, a, inv.ID); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.Invoice)(nil)).Where("id = ?", inv.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("delete invoice %d", inv.ID))
		}
		if err := refreshFigures(ctx, tx, inv.CaseID); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "delete", ResourceType: "invoices", ResourceID: inv.ID, CaseID: inv.CaseID,
			Changes: history.Diff(map[string]any{"number": inv.Number, "total": inv.Total}, nil)})
	})
}
