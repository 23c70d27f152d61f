package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// include adds to doc.Included the resources that the requested relationships of its primary
// data point at, each once, loading each type in one batch (kind.batch). Every included
// resource goes through the same view decision and masking as its own endpoint: an object the
// caller may not view is simply left out, so include can never show what a GET of that object
// would hide.
func (s *Server) include(ctx context.Context, p *principal, doc *jsonapi.Document, q jsonapi.Query) error {
	seen := map[string]bool{}
	var order []string
	wanted := map[string][]int64{}
	for _, name := range q.Include {
		for _, res := range doc.Data.Resources() {
			rel, ok := res.Relationships[name]
			if !ok {
				continue
			}
			for _, t := range rel.Data.Targets() {
				key := t.Type + "/" + t.ID
				id, err := strconv.ParseInt(t.ID, 10, 64)
				if seen[key] || key == res.Type+"/"+res.ID || err != nil {
					continue
				}
				seen[key] = true
				if _, ok := wanted[t.Type]; !ok {
					order = append(order, t.Type)
				}
				wanted[t.Type] = append(wanted[t.Type], id)
			}
		}
	}
	for _, typ := range order {
		found, err := s.visible(ctx, p, typ, wanted[typ])
		if err != nil {
			return err
		}
		doc.Included = append(doc.Included, found...)
	}
	return nil
}

// visible renders the objects typ/ids that p may view, in the order of ids, through the
// type's kind.
func (s *Server) visible(ctx context.Context, p *principal, typ string, ids []int64) ([]*jsonapi.Resource, error) {
	k, ok := s.registry[typ]
	if !ok || k.batch == nil {
		return nil, nil
	}
	found, err := k.batch(ctx, p.actor(), ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*jsonapi.Resource, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	out := make([]*jsonapi.Resource, 0, len(found))
	for _, id := range ids {
		if r, ok := byID[idString(id)]; ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// visibleResource renders one resource as its endpoint would for p, or nil when p may not
// view it.
func (s *Server) visibleResource(ctx context.Context, p *principal, typ, rawID string) (*jsonapi.Resource, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, nil
	}
	found, err := s.visible(ctx, p, typ, []int64{id})
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return found[0], nil
}

// writeIncluding renders one resource with the includes and sparse fieldsets the query asks
// for; names lists the relationships that may be included.
func (s *Server) writeIncluding(c *fiber.Ctx, p *principal, res *jsonapi.Resource, names ...string) error {
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Include: names})
	if err != nil {
		return err
	}
	doc := jsonapi.Document{Data: jsonapi.One(res)}
	if err := s.include(c.UserContext(), p, &doc, q); err != nil {
		return err
	}
	doc.ApplyFields(q)
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
}

// relationship answers GET /api/v1/{type}/{id}/relationships/{rel}: the linkage of one
// relationship of a resource the caller may view; anything else is missing.
func (s *Server) relationship(c *fiber.Ctx) error {
	src, rel, err := s.sourceRelationship(c)
	if err != nil {
		return err
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: rel.Data.Data(),
		Links: jsonapi.RelationshipLinks(apiBase, src.Type, src.ID, c.Params("rel"))})
}

// related answers GET /api/v1/{type}/{id}/{rel}: the resources a relationship points at, each
// decided and masked like its own GET. A to-one target the caller may not view is missing; a
// to-many list leaves such targets out.
func (s *Server) related(c *fiber.Ctx) error {
	p := caller(c)
	_, rel, err := s.sourceRelationship(c)
	if err != nil {
		return err
	}
	var out []*jsonapi.Resource
	byType := map[string][]int64{}
	var types []string
	for _, t := range rel.Data.Targets() {
		id, err := strconv.ParseInt(t.ID, 10, 64)
		if err != nil {
			continue
		}
		if _, ok := byType[t.Type]; !ok {
			types = append(types, t.Type)
		}
		byType[t.Type] = append(byType[t.Type], id)
	}
	for _, typ := range types {
		found, err := s.visible(c.UserContext(), p, typ, byType[typ])
		if err != nil {
			return err
		}
		out = append(out, found...)
	}
	if !rel.Data.IsMany() && len(out) == 0 {
		return apperr.E(apperr.NotFound, "No such %s.", c.Params("rel"))
	}
	if rel.Data.IsMany() {
		return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Many(out)})
	}
	if len(out) == 0 {
		return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Null()})
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.One(out[0])})
}

// sourceRelationship loads the resource of a relationship route as the caller sees it.
func (s *Server) sourceRelationship(c *fiber.Ctx) (*jsonapi.Resource, jsonapi.Relationship, error) {
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return nil, jsonapi.Relationship{}, err
	}
	src, err := s.visibleResource(c.UserContext(), caller(c), c.Params("type"), c.Params("id"))
	if err != nil {
		return nil, jsonapi.Relationship{}, err
	}
	if src == nil {
		return nil, jsonapi.Relationship{}, apperr.E(apperr.NotFound, "No such resource.")
	}
	rel, ok := src.Relationships[c.Params("rel")]
	if !ok || rel.Data.IsZero() {
		return nil, jsonapi.Relationship{}, apperr.E(apperr.NotFound, "No relationship %q here.", c.Params("rel"))
	}
	return src, rel, nil
}
