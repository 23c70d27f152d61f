package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/domain"
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
		Links: &jsonapi.Links{Self: apiBase + "/invoices/" + id}}
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

// expectBody is expect for a PATCH whose body may be wrong: what bind or the conversion
// found wrong is, like a wrong version, reported by the service only once the object is
// found visible (domain.Expect), so that an invisible object stays 404 whatever the body.
func expectBody(c *fiber.Ctx, version *int64, bad error) domain.Expect {
	if bad != nil {
		return domain.Expect{Err: bad}
	}
	return expect(c, version)
}

// createInvoice answers POST /api/v1/invoices (billing.Service.CreateInvoice).
func (s *Server) createInvoice(c *fiber.Ctx) error {
	var req invoiceBody
	if err := bind(c, "invoices", "", &req, append(serverOwnedInvoiceFields, "version")...); err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	inv, err := s.billing.CreateInvoice(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, invoiceResource(inv))
}

// updateInvoice answers PATCH /api/v1/invoices/:id (billing.Service.UpdateInvoice).
func (s *Server) updateInvoice(c *fiber.Ctx) error {
	id, err := pathID(c, "invoice")
	if err != nil {
		return err
	}
	var req invoiceBody
	bad := bind(c, "invoices", idString(id), &req, append(serverOwnedInvoiceFields, "case")...)
	var in billing.InvoiceInput
	if bad == nil {
		in, bad = req.input()
	}
	inv, err := s.billing.UpdateInvoice(c.UserContext(), actorOf(c), id, in, expectBody(c, req.Version, bad))
	if err != nil {
		return err
	}
	tagVersion(c, inv.Version)
	return writeOne(c, fiber.StatusOK, invoiceResource(inv))
}

// invoiceKind is the invoices type (pkg/billing).
func (s *Server) invoiceKind() kind {
	return kind{name: "invoices", list: lister(s, s.billing.InvoiceList, invoiceResource), create: s.createInvoice, get: getter(s, "invoice", s.billing.Invoice, invoiceResource, "case", "status"), update: s.updateInvoice,
		remove: remover("invoice", s.billing.DeleteInvoice), batch: batchOf(s.billing.InvoicesByID, invoiceResource), explain: s.billing.ExplainInvoice}
}
