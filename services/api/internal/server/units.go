package server

import (
	"strconv"

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

func (b *unitBody) edited() *int64 { return b.Version }

func unitResource(u *org.Unit) *jsonapi.Resource {
	id := strconv.FormatInt(u.ID, 10)
	return &jsonapi.Resource{Type: "business-units", ID: id,
		Attributes:    map[string]any{"name": u.Name, "version": u.Version},
		Relationships: map[string]jsonapi.Relationship{"parent": optRel("business-units", id, "parent", "business-units", u.ParentID)},
		Links:         selfLink("business-units", id)}
}

// unitKind is the business-units type (pkg/org).
func (s *Server) unitKind() kind {
	return kind{
		name:   "business-units",
		list:   lister(s, s.org.UnitList, unitResource),
		create: creator[unitBody]("business-units", []string{"version"}, s.org.CreateUnit, unitResource),
		get:    getter(s, "business unit", s.org.Unit, unitResource, "parent"),
		update: updater[unitBody]("business-units", "business unit", nil, s.org.UpdateUnit, unitResource),
		remove: remover("business unit", s.org.DeleteUnit),
		batch:  batchOf(s.org.UnitsByID, unitResource),
	}
}
