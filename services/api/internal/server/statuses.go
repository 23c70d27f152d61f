package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

func statusResource(st *billing.Status) *jsonapi.Resource {
	id := strconv.FormatInt(st.ID, 10)
	return &jsonapi.Resource{Type: "invoice-statuses", ID: id,
		Attributes: map[string]any{"name": st.Name, "position": st.Position, "active": st.Active, "version": st.Version},
		Links:      &jsonapi.Links{Self: apiBase + "/invoice-statuses/" + id}}
}

type statusBody struct {
	Name    *string `jsonapi:"name"`
	Active  *bool   `jsonapi:"active"`
	Version *int64  `jsonapi:"version"`
}

// createStatus answers POST /api/v1/invoice-statuses (billing.Service.CreateStatus).
func (s *Server) createStatus(c *fiber.Ctx) error {
	var req statusBody
	if err := bind(c, "invoice-statuses", "", &req, "position", "version"); err != nil {
		return err
	}
	st, err := s.billing.CreateStatus(c.UserContext(), actorOf(c), billing.StatusInput{Name: req.Name, Active: req.Active})
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, statusResource(st))
}

// updateStatus answers PATCH /api/v1/invoice-statuses/:id (billing.Service.UpdateStatus).
func (s *Server) updateStatus(c *fiber.Ctx) error {
	id, err := pathID(c, "invoice status")
	if err != nil {
		return err
	}
	var req statusBody
	bad := bind(c, "invoice-statuses", idString(id), &req, "position")
	in := billing.StatusInput{Name: req.Name, Active: req.Active}
	st, err := s.billing.UpdateStatus(c.UserContext(), actorOf(c), id, in, expectBody(c, req.Version, bad))
	if err != nil {
		return err
	}
	tagVersion(c, st.Version)
	return writeOne(c, fiber.StatusOK, statusResource(st))
}

// statusKind is the invoice-statuses type (pkg/billing).
func (s *Server) statusKind() kind {
	return kind{name: "invoice-statuses", list: lister(s, s.billing.StatusList, statusResource), create: s.createStatus, update: s.updateStatus,
		batch: batchOf(s.billing.StatusesByID, statusResource)}
}
