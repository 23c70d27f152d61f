package server

import (
	"github.com/gofiber/fiber/v2"
)

// creditInvoice answers POST /api/v1/invoices/:id/credit (billing.Service.CreditInvoice).
func (s *Server) creditInvoice(c *fiber.Ctx) error {
	id, err := pathID(c, "invoice")
	if err != nil {
		return err
	}
	credit, err := s.billing.CreditInvoice(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, invoiceResource(credit))
}

// remindInvoice answers POST /api/v1/invoices/:id/reminders (billing.Service.RemindInvoice).
func (s *Server) remindInvoice(c *fiber.Ctx) error {
	id, err := pathID(c, "invoice")
	if err != nil {
		return err
	}
	inv, err := s.billing.RemindInvoice(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, invoiceResource(inv))
}
