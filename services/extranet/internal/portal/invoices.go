package portal

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// listInvoices answers GET /portal/v1/cases/:id/invoices: the Financials section (EXT-3).
func (h *handler) listInvoices(c *fiber.Ctx) error {
	return caseParts(c, h.caseInvoices, invoiceResource)
}

func (h *handler) caseInvoices(ctx context.Context, who *extranet.Contact, caseID int64, p domain.Window) ([]billing.Invoice, int64, error) {
	return h.billing.CaseInvoices(ctx, who.Actor(), caseID, p)
}
