package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// listInvoices answers GET /portal/v1/cases/:id/invoices: the Financials section (EXT-3).
func (h *handler) listInvoices(c *fiber.Ctx) error {
	q, p, err := listQuery(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	views, total, err := h.svc.Invoices(c.UserContext(), caller(c), id, p)
	if err != nil {
		return err
	}
	out := make([]*jsonapi.Resource, len(views))
	for i, v := range views {
		out[i] = invoiceResource(v)
	}
	return writeList(c, q, out, total)
}
