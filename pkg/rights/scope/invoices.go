package scope

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// InvoiceView limits a query over invoices (aliased alias) to the invoices s may view, as
// rights.DecideInvoice(s, rights.InvoiceView, …) decides: those of cases where s has invoice
// access, that is owner-like access (INV-1, CASE-4, CASE-8..11), never with
// manager_no_financials (CASE-7), Cases none (CASE-1) or Accounts none (ACC-2). The status
// limit does not restrict viewing (INV-4).
func InvoiceView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return viaCase(rights.InvoiceCases(s), alias).apply
}

// InvoiceFinancialsSortable reports whether s may sort or filter invoices on their amounts.
// Whoever views an invoice is owner-like on its case (INV-1), which shows amounts at every
// level except member_no_financials (CASE-5).
func InvoiceFinancialsSortable(s *rights.Subject) bool {
	return s.Rights.Cases != rights.CasesMemberNoFinancials
}

// InvoiceFieldSortable reports whether s may sort or filter a list of invoices on the attribute
// named field: every attribute that no financial mask hides, and the amounts only when
// InvoiceFinancialsSortable (CASE-5, section 2).
func InvoiceFieldSortable(s *rights.Subject, field string) bool {
	return !rights.HideFinancials.Hides(field) || InvoiceFinancialsSortable(s)
}
