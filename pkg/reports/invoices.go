package reports

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// InvoiceRow is one row of the invoice report: an invoice as the invoice endpoints read it
// (pkg/billing), its Decision with what the whole report hides added.
type InvoiceRow = billing.Invoice

// Invoices is the invoice report: the invoices the actor may view (scope.InvoiceView, the
// rule of rights.DecideInvoice: INV-1, INV-4), with amounts masked as the invoice endpoints
// mask them (CASE-5, CASE-6); refused to manager_no_financials (CASE-7). Errors:
// apperr.Forbidden when rights.DecideReport refuses the report, then q.Err.
//
// The order is by issue date, then id, with the invoices that have no issue date where each
// database sorts NULL (PostgreSQL after the others, SQLite before), as the report always did.
// A keyset cannot step over NULLs, so those invoices are read as a segment of their own.
func (s *Service) Invoices(ctx context.Context, a domain.Actor, q Query) (*Batches[InvoiceRow], error) {
	rep, err := decide(a, rights.ReportInvoices, q)
	if err != nil {
		return nil, err
	}
	segment := func(dated bool) batchFunc[InvoiceRow] {
		k := keyset[InvoiceRow]{what: "invoice report", table: "invoices AS i",
			keep: func(row *InvoiceRow) bool {
				row.Decision = rights.DecideInvoice(a.Subject, rights.InvoiceView, row.Attrs())
				row.Decision.Hidden |= rep.Hidden
				return row.Decision.Allow
			}}
		where := "i.issue_date IS NULL"
		k.order, k.cursor = []listing.Key{{Expr: "i.id"}}, func(row *InvoiceRow) []any { return []any{row.ID} }
		if dated {
			where = "i.issue_date IS NOT NULL"
			k.order = []listing.Key{{Expr: "i.issue_date"}, {Expr: "i.id"}}
			k.cursor = func(row *InvoiceRow) []any { return []any{row.IssueDate, row.ID} }
		}
		k.query = func(sel *bun.SelectQuery) *bun.SelectQuery {
			return sel.Apply(billing.InvoiceColumns).Apply(scope.InvoiceView(a.Subject, "i")).Where(where)
		}
		return k.batches(s)
	}
	next := concat(segment(true), segment(false))
	if !db.IsPostgres(s.env.DB) {
		next = concat(segment(false), segment(true))
	}
	return &Batches[InvoiceRow]{Hidden: rep.Hidden, next: next}, nil
}
