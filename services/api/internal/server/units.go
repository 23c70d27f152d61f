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

// unitKind is the business-units type (pkg/org).
func (s *Server) unitKind() kind {
	return kind{name: "business-units", list: lister(s, s.org.UnitList, unitResource), create: s.createUnit, get: getter(s, "business unit", s.org.Unit, unitResource, "parent"), update: s.updateUnit, remove: remover("business unit", s.org.DeleteUnit),
		batch: batchOf(s.org.UnitsByID, unitResource)}
}
