package extranet

import (
	"context"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/model"
)

// InvoiceView is an invoice of a shared case with the name of its status.
type InvoiceView struct {
	model.Invoice `bun:",extend"`
	StatusName    string `bun:"status_name"`
}

// Invoices lists the invoices of a shared case, newest first. They are the Financials
// section (EXT-3): without it the list is apperr.NotFound (EXT-8). Invoices in the first
// status of the ordered list (the draft, by default) are the firm's work in progress and
// are not shown; the customer sees an invoice once it has moved on.
func (s *Service) Invoices(ctx context.Context, who *Contact, caseID int64, p Page) ([]InvoiceView, int64, error) {
	g, err := s.grant(ctx, s.db, who, caseID)
	if err != nil {
		return nil, 0, err
	}
	if err := g.Check(ViewFinancials, "No billing is shared on this case."); err != nil {
		return nil, 0, err
	}
	var rows []InvoiceView
	n, err := s.db.NewSelect().Model(&rows).ModelTableExpr("invoices AS i").ColumnExpr("i.*").
		ColumnExpr("st.name AS status_name").Join("JOIN invoice_statuses AS st ON st.id = i.status_id").
		Where("i.case_id = ?", caseID).Where(pastDraft).OrderExpr("i.issue_date DESC, i.id DESC").
		Limit(p.Limit).Offset(p.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list invoices")
	}
	return rows, n, nil
}

// pastDraft selects invoices (status aliased st) that have left the first status of the
// ordered list, the draft by default: the firm's work in progress is not the customer's.
const pastDraft = "st.position > (SELECT MIN(position) FROM invoice_statuses)"
