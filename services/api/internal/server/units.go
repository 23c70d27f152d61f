package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
)

type unitBody struct {
	Name    *string                       `jsonapi:"name"`
	Version *int64                        `jsonapi:"version"`
	Parent  *jsonapi.IncomingRelationship `jsonapi:"parent,rel"`
}

// input converts the request to the service's input.
func (b *unitBody) input() (in org.UnitInput, err error) {
	in.Name = b.Name
	in.ParentID, err = relRef(b.Parent, "business-units", "/data/relationships/parent")
	return in, err
}

func unitResource(u *org.Unit) *jsonapi.Resource {
	id := strconv.FormatInt(u.ID, 10)
	return &jsonapi.Resource{Type: "business-units", ID: id,
		Attributes:    map[string]any{"name": u.Name, "version": u.Version},
		Relationships: map[string]jsonapi.Relationship{"parent": optRel("business-units", id, "parent", "business-units", u.ParentID)},
		Links:         &jsonapi.Links{Self: apiBase + "/business-units/" + id}}
}

// listUnits answers GET /api/v1/business-units (org.Service.UnitList).
func (s *Server) listUnits(c *fiber.Ctx) error {
	return list(s, c, s.org.UnitList(actorOf(c)), unitResource)
}

// getUnit answers GET /api/v1/business-units/:id.
func (s *Server) getUnit(c *fiber.Ctx) error {
	id, err := pathID(c, "business unit")
	if err != nil {
		return err
	}
	u, err := s.org.Unit(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return s.writeIncluding(c, caller(c), unitResource(u), "parent")
}

// createUnit answers POST /api/v1/business-units (org.Service.CreateUnit).
func (s *Server) createUnit(c *fiber.Ctx) error {
	var req unitBody
	if err := bind(c, "business-units", "", &req, "version"); err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	u, err := s.org.CreateUnit(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, unitResource(u))
}

// updateUnit answers PATCH /api/v1/business-units/:id (org.Service.UpdateUnit).
func (s *Server) updateUnit(c *fiber.Ctx) error {
	id, err := pathID(c, "business unit")
	if err != nil {
		return err
	}
	var req unitBody
	if err := bind(c, "business-units", strconv.FormatInt(id, 10), &req); err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	u, err := s.org.UpdateUnit(c.UserContext(), actorOf(c), id, in, expect(c, req.Version))
	if err != nil {
		return err
	}
	tagVersion(c, u.Version)
	return writeOne(c, fiber.StatusOK, unitResource(u))
}

// deleteUnit answers DELETE /api/v1/business-units/:id (org.Service.DeleteUnit).
func (s *Server) deleteUnit(c *fiber.Ctx) error {
	id, err := pathID(c, "business unit")
	if err != nil {
		return err
	}
	if err := s.org.DeleteUnit(c.UserContext(), actorOf(c), id); err != nil {
		return err
	}
	return jsonapi.NoContent(c)
}

// unitKind is the business-units type (pkg/org).
func (s *Server) unitKind() kind {
	return kind{name: "business-units", list: s.listUnits, create: s.createUnit, get: s.getUnit, update: s.updateUnit, remove: s.deleteUnit,
		batch: batchOf(s.org.UnitsByID, unitResource)}
}
