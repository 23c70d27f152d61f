package billing

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// Invoice is an invoice or a credit note with what its decisions depend on, as one actor
// sees it.
type Invoice struct {
	model.Invoice `bun:",extend"`
	CaseOwnerID   int64  `bun:"case_owner_id"`
	CaseUnitID    int64  `bun:"case_unit_id"`
	CaseAccountID int64  `bun:"case_account_id"`
	StatusName    string `bun:"status_name"`
	// StatusPos is the place of the invoice's status in the ordered list, from 0: the scale
	// of the rights' status limits (INV-3, rights.StatusOrder).
	StatusPos int `bun:"status_pos"`

	// Decision is an employee's view decision: its Hidden fields are left out when rendered
	// (CASE-5).
	Decision rights.Decision `bun:"-"`
	// Grant is a contact's grant on the invoice's case (EXT-3).
	Grant sharing.Grant `bun:"-"`
}

// Versioned implements domain.Versioned.
func (i *Invoice) Versioned() (int64, *int64) { return i.ID, &i.Version }

// Attrs are what the rights decisions on the invoice depend on.
func (i *Invoice) Attrs() rights.InvoiceAttrs {
	return rights.InvoiceAttrs{StatusPos: i.StatusPos,
		Case: rights.CaseAttrs{ID: i.CaseID, OwnerID: i.CaseOwnerID, UnitID: i.CaseUnitID, AccountID: i.CaseAccountID}}
}

// statusPlace is the place of status st in the ordered list, from 0. Positions are unique,
// so it is the status's index in rights.StatusOrder, without loading the whole list.
const statusPlace = "(SELECT COUNT(*) FROM invoice_statuses AS sp WHERE sp.position < st.position)"

// PastDraft selects invoices (status aliased st) that have left the first status of the
// ordered list, the draft by default: the firm's work in progress is not the customer's
// (EXT-3), neither in the portal's list nor in a shared case's invoiced total.
const PastDraft = "st.position > (SELECT MIN(position) FROM invoice_statuses)"

// InvoiceColumns selects an invoice aliased "i" with its case's attributes and its status's
// name and place: everything Invoice holds (the invoice report reads it too).
func InvoiceColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("i.*").
		ColumnExpr("ic.owner_id AS case_owner_id, ic.unit_id AS case_unit_id, ic.account_id AS case_account_id").
		ColumnExpr("st.name AS status_name, " + statusPlace + " AS status_pos").
		Join("JOIN cases AS ic ON ic.id = i.case_id").
		Join("JOIN invoice_statuses AS st ON st.id = i.status_id")
}

func selectInvoices(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("invoices AS i").Apply(InvoiceColumns)
}

// InvoiceList is the collection of the invoices an employee may view: those of cases they
// have invoice access to (scope.InvoiceView, the same rule as DecideInvoice: INV-1, CASE-7),
// each masked as DecideInvoice decides (CASE-5). Totals sort only where no visible invoice
// hides them.
func (s *Service) InvoiceList(a domain.Actor) listing.Spec[Invoice] {
	sorts := map[string]string{"number": "i.number", "issueDate": "i.issue_date", "dueDate": "i.due_date"}
	if scope.InvoiceFinancialsSortable(a.Subject) {
		sorts["total"] = "i.total"
	}
	return listing.Spec[Invoice]{DB: s.env.DB, Table: "invoices AS i", Extend: InvoiceColumns, Scope: scope.InvoiceView(a.Subject, "i"),
		Sorts: sorts, Filters: map[string]string{"case": "i.case_id", "status": "i.status_id"}, Include: []string{"case", "status"},
		Keep: func(inv *Invoice) bool {
			inv.Decision = rights.DecideInvoice(a.Subject, rights.InvoiceView, inv.Attrs())
			if !inv.Decision.Allow {
				s.env.Log.Error("invoice scope leak", "invoice", inv.ID, "user", a.User.ID)
			}
			return inv.Decision.Allow
		}}
}

// Invoice returns one invoice as an employee sees it: apperr.NotFound without invoice access
// to its case (INV-1, CASE-7, STYLE rule 3).
func (s *Service) Invoice(ctx context.Context, a domain.Actor, id int64) (*Invoice, error) {
	return s.loadInvoice(ctx, s.env.DB, a, id, rights.InvoiceView)
}

// InvoicesByID returns the invoices of ids that a may view, masked, in one query (include).
func (s *Service) InvoicesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Invoice, error) {
	if a.Subject == nil {
		return nil, nil
	}
	return domain.ByID(ctx, func(rows any) *bun.SelectQuery { return selectInvoices(s.env.DB, rows) }, "i.id", ids, "invoices",
		func(inv *Invoice) bool {
			inv.Decision = rights.DecideInvoice(a.Subject, rights.InvoiceView, inv.Attrs())
			return inv.Decision.Allow
		})
}

// loadInvoice loads one invoice and decides action on it: no invoice access → NotFound
// (INV-1), access but the action refused (the status beyond the limit, INV-4) → Forbidden.
// The invoice carries the view decision, which masks it. Invoices are the firm's: a contact
// sees only the list of a shared case (CaseInvoices) and meets NotFound here.
func (s *Service) loadInvoice(ctx context.Context, db bun.IDB, a domain.Actor, id int64, action rights.InvoiceAction) (*Invoice, error) {
	var inv Invoice
	if err := selectInvoices(db, &inv).Where("i.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "invoice", id)
	}
	if a.Subject == nil {
		return nil, domain.NotFound("invoice", id)
	}
	var err error
	inv.Decision, err = domain.DecideAction(rights.DecideInvoice, a.Subject, rights.InvoiceView, action, inv.Attrs(), "invoice", id)
	return &inv, err
}

// CaseInvoices lists the invoices of a case shared with a contact, newest first, and their
// number. They are the Financials section (EXT-3): without it the list is apperr.NotFound,
// like an unshared case (EXT-8). Invoices still in the first status (PastDraft) are the
// firm's work in progress and are not shown; the customer sees an invoice once it has moved
// on.
func (s *Service) CaseInvoices(ctx context.Context, a domain.Actor, caseID int64, w domain.Window) ([]Invoice, int64, error) {
	if !a.IsContact() {
		return nil, 0, domain.NotFound("case", caseID)
	}
	g, err := sharing.Of(ctx, s.env.DB, s.env.Now(), *a.Contact, caseID)
	if err != nil {
		return nil, 0, err
	}
	if err := g.Check(sharing.ViewFinancials, "No billing is shared on this case."); err != nil {
		return nil, 0, err
	}
	var rows []Invoice
	n, err := selectInvoices(s.env.DB, &rows).Where("i.case_id = ?", caseID).Where(PastDraft).
		OrderExpr("i.issue_date DESC, i.id DESC").Limit(w.Limit).Offset(w.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list invoices of case")
	}
	for i := range rows {
		rows[i].Grant = g
	}
	return rows, int64(n), nil
}

var invoiceActions = map[string]rights.InvoiceAction{
	"view": rights.InvoiceView, "edit": rights.InvoiceEdit, "delete": rights.InvoiceDelete,
	"credit": rights.InvoiceCredit, "remind": rights.InvoiceRemind,
}

// ExplainInvoice decides action ("view", "edit", "delete", "credit", "remind") on invoice id
// for another employee's subject, for GET /access/explain (INV-1..4, CASE-7). Errors:
// apperr.Invalid (action), apperr.NotFound.
func (s *Service) ExplainInvoice(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	return domain.Explain(subject, invoiceActions, action, "invoices", rights.DecideInvoice, func() (rights.InvoiceAttrs, error) {
		var inv Invoice
		err := selectInvoices(s.env.DB, &inv).Where("i.id = ?", id).Scan(ctx)
		return inv.Attrs(), domain.Loaded(err, "invoice", id)
	})
}
