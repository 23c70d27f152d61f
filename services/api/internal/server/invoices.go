package server

import (
	"strconv"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// invoiceResource renders an invoice, masked as its decision says (CASE-5).
func invoiceResource(r *billing.Invoice) *jsonapi.Resource {
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
		Links: selfLink("invoices", id)}
	res.Hide(r.Decision.Hidden.Fields()...)
	return res
}

type invoiceBody struct {
	IssueDate *string                       `jsonapi:"issueDate"`
	DueDate   *string                       `jsonapi:"dueDate"`
	Version   *int64                        `jsonapi:"version"`
	Case      *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
	Status    *jsonapi.IncomingRelationship `jsonapi:"status,rel"`
}

// serverOwnedInvoiceFields: numbers, totals and reminders come from the invoice actions.
var serverOwnedInvoiceFields = []string{"number", "total", "currency", "reminderCount", "scheduled", "creditOf", "createdAt", "updatedAt"}

// input converts the request to the service's input.
func (b *invoiceBody) input() (in billing.InvoiceInput, err error) {
	in = billing.InvoiceInput{IssueDate: b.IssueDate, DueDate: b.DueDate}
	if in.CaseID, err = relRequired(b.Case, "cases", "/data/relationships/case"); err != nil {
		return in, err
	}
	in.StatusID, err = relRequired(b.Status, "invoice-statuses", "/data/relationships/status")
	return in, err
}

func (b *invoiceBody) edited() *int64 { return b.Version }

// invoiceKind is the invoices type (pkg/billing).
func (s *Server) invoiceKind() kind {
	return kind{
		name:    "invoices",
		list:    lister(s, s.billing.InvoiceList, invoiceResource),
		create:  creator[invoiceBody]("invoices", append(serverOwnedInvoiceFields, "version"), s.billing.CreateInvoice, invoiceResource),
		get:     getter(s, "invoice", s.billing.Invoice, invoiceResource, "case", "status"),
		update:  updater[invoiceBody]("invoices", "invoice", append(serverOwnedInvoiceFields, "case"), s.billing.UpdateInvoice, invoiceResource),
		remove:  remover("invoice", s.billing.DeleteInvoice),
		batch:   batchOf(s.billing.InvoicesByID, invoiceResource),
		explain: s.billing.ExplainInvoice,
	}
}
