package server

import (
	"context"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// invoiceRow is an invoice with its case's attributes and its status name.
type invoiceRow struct {
	model.Invoice `bun:",extend"`
	CaseOwnerID   int64  `bun:"case_owner_id"`
	CaseUnitID    int64  `bun:"case_unit_id"`
	CaseAccountID int64  `bun:"case_account_id"`
	StatusName    string `bun:"status_name"`
}

func invoiceColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("i.*").
		ColumnExpr("ic.owner_id AS case_owner_id, ic.unit_id AS case_unit_id, ic.account_id AS case_account_id, st.name AS status_name").
		Join("JOIN cases AS ic ON ic.id = i.case_id").
		Join("JOIN invoice_statuses AS st ON st.id = i.status_id")
}

func (r *invoiceRow) attrs(order rights.StatusOrder) rights.InvoiceAttrs {
	pos, _ := order.Position(r.StatusID)
	return rights.InvoiceAttrs{StatusPos: pos,
		Case: rights.CaseAttrs{ID: r.CaseID, OwnerID: r.CaseOwnerID, UnitID: r.CaseUnitID, AccountID: r.CaseAccountID}}
}

func invoiceResource(r *invoiceRow, d rights.Decision) *jsonapi.Resource {
	id := strconv.FormatInt(r.ID, 10)
	res := &jsonapi.Resource{Type: "invoices", ID: id,
		Attributes: map[string]any{"number": r.Number, "status": r.StatusName, "issueDate": nullableDate(r.IssueDate),
			"dueDate": nullableDate(r.DueDate), "total": r.Total, "currency": r.Currency, "reminderCount": r.ReminderCount,
			"scheduled": r.Scheduled, "version": r.Version, "createdAt": r.CreatedAt.UTC(), "updatedAt": r.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{
			"case":     toOne("invoices", id, "case", "cases", r.CaseID),
			"status":   toOne("invoices", id, "status", "invoice-statuses", r.StatusID),
			"creditOf": optRel("invoices", id, "creditOf", "invoices", r.CreditOfID),
		},
		Links: &jsonapi.Links{Self: apiBase + "/invoices/" + id}}
	res.Hide(d.Hidden.Fields()...)
	return res
}

// listInvoices answers GET /api/v1/invoices: invoices of cases the caller has invoice access
// to (INV-1, CASE-7), amounts masked where CASE-5 hides them.
func (s *Server) listInvoices(c *fiber.Ctx) error {
	p := caller(c)
	order, err := access.StatusOrder(c.UserContext(), s.db)
	if err != nil {
		return err
	}
	sorts := map[string]string{"number": "i.number", "issueDate": "i.issue_date", "dueDate": "i.due_date"}
	if scope.InvoiceFinancialsSortable(p.Subject) {
		sorts["total"] = "i.total"
	}
	return collection[invoiceRow]{table: "invoices AS i", extend: invoiceColumns, scope: scope.InvoiceView(p.Subject, "i"),
		sorts: sorts, filters: map[string]string{"case": "i.case_id", "status": "i.status_id"}, include: []string{"case", "status"},
		resource: func(r *invoiceRow) *jsonapi.Resource {
			d := rights.DecideInvoice(p.Subject, rights.InvoiceView, r.attrs(order))
			if !d.Allow {
				s.log.Error("invoice scope leak", "invoice", r.ID, "user", p.User.ID)
				return nil
			}
			return invoiceResource(r, d)
		}}.run(s, c)
}

// loadInvoice loads an invoice and decides a: no invoice access → 404 (INV-1), access but
// beyond the status limit → 403 (INV-4).
func (s *Server) loadInvoice(ctx context.Context, db bun.IDB, p *principal, rawID string, a rights.InvoiceAction) (*invoiceRow, rights.Decision, rights.StatusOrder, error) {
	order, err := access.StatusOrder(ctx, db)
	if err != nil {
		return nil, rights.Decision{}, nil, err
	}
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, rights.Decision{}, nil, apperr.E(apperr.NotFound, "No invoice %q.", rawID)
	}
	var r invoiceRow
	err = db.NewSelect().Model(&r).ModelTableExpr("invoices AS i").Apply(invoiceColumns).Where("i.id = ?", id).Scan(ctx)
	if isNoRows(err) {
		return nil, rights.Decision{}, nil, apperr.E(apperr.NotFound, "No invoice %d.", id)
	}
	if err != nil {
		return nil, rights.Decision{}, nil, apperr.Wrap(err, "load invoice")
	}
	view := rights.DecideInvoice(p.Subject, rights.InvoiceView, r.attrs(order))
	if !view.Allow {
		return nil, view, nil, apperr.E(apperr.NotFound, "No invoice %d.", id)
	}
	if a == rights.InvoiceView {
		return &r, view, order, nil
	}
	d := rights.DecideInvoice(p.Subject, a, r.attrs(order))
	if !d.Allow {
		return nil, d, nil, denied(d)
	}
	d.Hidden = view.Hidden
	return &r, d, order, nil
}

func (s *Server) getInvoice(c *fiber.Ctx) error {
	p := caller(c)
	r, d, _, err := s.loadInvoice(c.UserContext(), s.db, p, c.Params("id"), rights.InvoiceView)
	if err != nil {
		return err
	}
	return s.writeIncluding(c, p, invoiceResource(r, d), "case", "status")
}

type invoiceBody struct {
	IssueDate *string                       `jsonapi:"issueDate"`
	DueDate   *string                       `jsonapi:"dueDate"`
	Version   *int64                        `jsonapi:"version"`
	Case      *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
	Status    *jsonapi.IncomingRelationship `jsonapi:"status,rel"`
}

var serverOwnedInvoiceFields = []string{"number", "total", "currency", "reminderCount", "scheduled", "creditOf", "createdAt", "updatedAt", "status"}

// insertNumbered inserts a new invoice or credit note and gives it its number, "YEAR-00042"
// from its issue year and id, so that numbers are unique and sequential without a counter.
func insertNumbered(ctx context.Context, tx bun.IDB, inv *model.Invoice) error {
	inv.Number = "pending-" + auth.RandomToken(9)
	if _, err := tx.NewInsert().Model(inv).Returning("*").Exec(ctx); err != nil {
		return apperr.Wrap(err, "insert invoice")
	}
	inv.Number = fmt.Sprintf("%s-%05d", inv.IssueDate[:4], inv.ID)
	if _, err := tx.NewUpdate().Model(inv).Column("number").WherePK().Exec(ctx); err != nil {
		return apperr.Wrap(err, "number invoice")
	}
	return nil
}

// writeInvoice answers with invoice id as the caller sees it after a write (masked, CASE-5).
func (s *Server) writeInvoice(c *fiber.Ctx, ctx context.Context, tx bun.IDB, p *principal, id int64, status int) error {
	out, view, _, err := s.loadInvoice(ctx, tx, p, strconv.FormatInt(id, 10), rights.InvoiceView)
	if err != nil {
		return err
	}
	return writeOne(c, status, invoiceResource(out, view))
}

// firstActiveStatus is where a new invoice starts unless another status is asked for.
func firstActiveStatus(ctx context.Context, db bun.IDB, order rights.StatusOrder) (int64, int, error) {
	var st model.InvoiceStatus
	if err := db.NewSelect().Model(&st).Where("active").OrderExpr("position").Limit(1).Scan(ctx); err != nil {
		return 0, 0, apperr.E(apperr.Unprocessable, "No active invoice status is configured.")
	}
	pos, _ := order.Position(st.ID)
	return st.ID, pos, nil
}

// statusByRel resolves a status relationship to an active status and its position.
func statusByRel(ctx context.Context, db bun.IDB, rel *jsonapi.IncomingRelationship, order rights.StatusOrder) (int64, int, error) {
	id, null, err := relID(rel, "invoice-statuses", "/data/relationships/status")
	if err != nil {
		return 0, 0, err
	}
	var st model.InvoiceStatus
	if null || db.NewSelect().Model(&st).Where("id = ?", id).Scan(ctx) != nil {
		return 0, 0, apperr.E(apperr.Invalid, "No invoice status %d.", id).AtPointer("/data/relationships/status")
	}
	if !st.Active {
		return 0, 0, apperr.E(apperr.Unprocessable, "The status %q is not active.", st.Name).AtPointer("/data/relationships/status")
	}
	pos, _ := order.Position(id)
	return id, pos, nil
}

// createInvoice answers POST /api/v1/invoices: bills the case's billable hours that are on
// no invoice yet, approved or not (WHA-8), in the first status unless another is asked for
// and allowed (INV-1, INV-3).
func (s *Server) createInvoice(c *fiber.Ctx) error {
	p := caller(c)
	var req invoiceBody
	if err := bind(c, "invoices", "", &req, "number", "total", "currency", "reminderCount", "scheduled", "creditOf", "createdAt", "updatedAt", "version"); err != nil {
		return err
	}
	if req.Case == nil {
		return apperr.E(apperr.Invalid, "the case relationship is required").AtPointer("/data/relationships/case")
	}
	caseID, err := req.Case.ToOne("cases")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		row, _, err := s.loadCaseTx(ctx, tx, p, caseID, rights.CaseView)
		if err != nil {
			return err
		}
		order, err := access.StatusOrder(ctx, tx)
		if err != nil {
			return err
		}
		if len(order) == 0 {
			return apperr.E(apperr.Unprocessable, "No invoice statuses are configured.")
		}
		statusID, pos, err := firstActiveStatus(ctx, tx, order)
		if err != nil {
			return err
		}
		if req.Status != nil {
			if statusID, pos, err = statusByRel(ctx, tx, req.Status, order); err != nil {
				return err
			}
		}
		attrs := rights.InvoiceAttrs{Case: caseAttrs(&row.Case), StatusPos: pos}
		d := rights.DecideInvoice(p.Subject, rights.InvoiceCreate, attrs)
		if !d.Allow {
			return denied(d)
		}
		settings, err := access.LoadSettings(ctx, tx)
		if err != nil {
			return err
		}
		var hours []model.WorkHour
		if err := tx.NewSelect().Model(&hours).Where("case_id = ? AND billable AND invoice_id IS NULL", row.ID).OrderExpr("work_date, id").Scan(ctx); err != nil {
			return apperr.Wrap(err, "load billable hours")
		}
		if len(hours) == 0 {
			return apperr.E(apperr.Unprocessable, "The case has no billable hours that are not invoiced yet.")
		}
		now := s.now().UTC()
		inv := &model.Invoice{CaseID: row.ID, StatusID: statusID, Currency: settings.Currency,
			IssueDate: model.DateOf(now), DueDate: model.DateOf(now.AddDate(0, 0, 14)), Version: 1, CreatedAt: now, UpdatedAt: now}
		for name, v := range map[string]*string{"issueDate": req.IssueDate, "dueDate": req.DueDate} {
			if v == nil {
				continue
			}
			if _, err := checkDate(name, *v); err != nil {
				return err
			}
		}
		if req.IssueDate != nil {
			inv.IssueDate = model.Date(*req.IssueDate)
		}
		if req.DueDate != nil {
			inv.DueDate = model.Date(*req.DueDate)
		}
		if err := insertNumbered(ctx, tx, inv); err != nil {
			return err
		}
		for i := range hours {
			h := &hours[i]
			rowItem := &model.InvoiceRow{InvoiceID: inv.ID, WorkHourID: &h.ID, Description: h.Description, QuantityMinutes: h.Minutes,
				UnitPrice: h.UnitPrice, Total: h.Price()}
			if _, err := tx.NewInsert().Model(rowItem).Exec(ctx); err != nil {
				return apperr.Wrap(err, "insert invoice row")
			}
			inv.Total += h.Price()
		}
		if _, err := tx.NewUpdate().Model((*model.WorkHour)(nil)).Set("invoice_id = ?", inv.ID).Set("version = version + 1").
			Where("case_id = ? AND billable AND invoice_id IS NULL", row.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "mark hours invoiced")
		}
		if _, err := tx.NewUpdate().Model(inv).Column("total").WherePK().Exec(ctx); err != nil {
			return apperr.Wrap(err, "total invoice")
		}
		if err := casefigures.Refresh(ctx, tx, row.ID); err != nil {
			return apperr.Wrap(err, "invoice")
		}
		if err := s.recordHourInvoicing(ctx, tx, p, hours, nil, &inv.ID); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "invoices", ResourceID: inv.ID, CaseID: row.ID,
			Changes: history.Diff(nil, map[string]any{"number": inv.Number, "total": inv.Total, "status": statusID, "hours": len(hours)})}); err != nil {
			return err
		}
		return s.writeInvoice(c, ctx, tx, p, inv.ID, fiber.StatusCreated)
	})
}

// updateInvoice answers PATCH /api/v1/invoices/:id: dates (INV-4) and the status, which may
// move only within the caller's limit (INV-2, INV-3, INV-4).
func (s *Server) updateInvoice(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		r, _, order, err := s.loadInvoice(ctx, tx, p, c.Params("id"), rights.InvoiceView)
		if err != nil {
			return err
		}
		var req invoiceBody
		if err := bind(c, "invoices", strconv.FormatInt(r.ID, 10), &req, "number", "total", "currency", "reminderCount", "scheduled", "creditOf", "createdAt", "updatedAt", "case"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, r.Version); err != nil {
			return err
		}
		// Any change, even an empty one, needs the current status within the limit (INV-4).
		if e := rights.DecideInvoice(p.Subject, rights.InvoiceEdit, r.attrs(order)); !e.Allow {
			return denied(e)
		}
		before := map[string]any{"status": r.StatusID, "issueDate": string(r.IssueDate), "dueDate": string(r.DueDate)}
		if req.IssueDate != nil || req.DueDate != nil {
			for name, v := range map[string]*string{"issueDate": req.IssueDate, "dueDate": req.DueDate} {
				if v == nil {
					continue
				}
				if _, err := checkDate(name, *v); err != nil {
					return err
				}
			}
			if req.IssueDate != nil {
				r.IssueDate = model.Date(*req.IssueDate)
			}
			if req.DueDate != nil {
				r.DueDate = model.Date(*req.DueDate)
			}
		}
		if req.Status != nil {
			to, pos, err := statusByRel(ctx, tx, req.Status, order)
			if err != nil {
				return err
			}
			if e := rights.DecideInvoiceStatus(p.Subject, r.attrs(order), pos); !e.Allow {
				return denied(e)
			}
			r.StatusID = to
		}
		r.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "invoices", r.ID, r.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("status_id = ?", r.StatusID).Set("issue_date = ?", r.IssueDate).Set("due_date = ?", r.DueDate).Set("updated_at = ?", r.UpdatedAt)
		}); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "invoices", ResourceID: r.ID, CaseID: r.CaseID,
			Changes: history.Diff(before, map[string]any{"status": r.StatusID, "issueDate": string(r.IssueDate), "dueDate": string(r.DueDate)})}); err != nil {
			return err
		}
		return s.writeInvoice(c, ctx, tx, p, r.ID, fiber.StatusOK)
	})
}

// invoiceKind is the invoices type of the registry.
func (s *Server) invoiceKind() kind {
	return kind{name: "invoices", list: s.listInvoices, create: s.createInvoice, get: s.getInvoice, update: s.updateInvoice, remove: s.deleteInvoice,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			r, d, _, err := s.loadInvoice(ctx, s.db, p, idString(id), rights.InvoiceView)
			if err != nil {
				return nil, err
			}
			return invoiceResource(r, d), nil
		}), explain: s.explainInvoice}
}

var invoiceActions = map[string]rights.InvoiceAction{
	"view": rights.InvoiceView, "edit": rights.InvoiceEdit, "delete": rights.InvoiceDelete,
	"credit": rights.InvoiceCredit, "remind": rights.InvoiceRemind,
}

// explainInvoice decides action on invoice id for subject (GET /access/explain).
func (s *Server) explainInvoice(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	a, ok := invoiceActions[action]
	if !ok {
		return rights.Decision{}, domain.UnknownAction(action, "invoices")
	}
	var inv model.Invoice
	if err := s.db.NewSelect().Model(&inv).Where("id = ?", id).Scan(ctx); err != nil {
		return rights.Decision{}, domain.Loaded(err, "invoice", id)
	}
	var cs model.Case
	if err := s.db.NewSelect().Model(&cs).Where("id = ?", inv.CaseID).Scan(ctx); err != nil {
		return rights.Decision{}, domain.Loaded(err, "case", inv.CaseID)
	}
	order, err := access.StatusOrder(ctx, s.db)
	if err != nil {
		return rights.Decision{}, err
	}
	pos, _ := order.Position(inv.StatusID)
	return rights.DecideInvoice(subject, a, rights.InvoiceAttrs{Case: caseAttrs(&cs), StatusPos: pos}), nil
}
