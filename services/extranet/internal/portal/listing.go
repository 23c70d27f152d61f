package portal

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/webapi"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// listQuery parses the query of a collection: page[number], page[size] and sparse
// fieldsets; anything else is a 400, as JSON:API asks of parameters a server cannot honour.
func listQuery(c *fiber.Ctx) (jsonapi.Query, domain.Window, error) {
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{})
	if err != nil {
		return q, domain.Window{}, err
	}
	return q, domain.Window{Offset: int64(q.Page.Offset()), Limit: int64(q.Page.Limit())}, nil
}

// oneQuery parses the query of a single resource: sparse fieldsets only.
func oneQuery(c *fiber.Ctx) (jsonapi.Query, error) {
	return jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{})
}

// writeList writes one page of a collection with pagination links and the total.
func writeList(c *fiber.Ctx, q jsonapi.Query, rs []*jsonapi.Resource, total int64) error {
	links := jsonapi.PageLinks(c.Path(), string(c.Request().URI().QueryString()), q, int(total))
	doc := jsonapi.Document{Data: jsonapi.Many(rs), Links: &links, Meta: jsonapi.Meta{"total": total}}
	doc.ApplyFields(q)
	return jsonapi.WriteDocument(c, http.StatusOK, doc)
}

// writeOne writes a single-resource document.
func writeOne(c *fiber.Ctx, status int, q jsonapi.Query, r *jsonapi.Resource) error {
	doc := jsonapi.Document{Data: jsonapi.One(r)}
	doc.ApplyFields(q)
	if status == http.StatusCreated && r.Links != nil {
		return jsonapi.Created(c, doc, r.Links.Self)
	}
	return jsonapi.WriteDocument(c, status, doc)
}

// pathID parses the :id parameter; a malformed id is simply a missing object (webapi.PathID).
func pathID(c *fiber.Ctx, what string) (int64, error) { return webapi.PathID(c, what) }

// caseParts answers GET on a collection of one shared case's parts (hours, phases, comments,
// files): fetch reads the page through the extranet service, which applies the share, its
// sections and the contact's rights (EXT-2, EXT-3, EXT-8); render makes each resource.
func caseParts[V any](c *fiber.Ctx, fetch func(context.Context, *extranet.Contact, int64, domain.Window) ([]V, int64, error),
	render func(V) *jsonapi.Resource) error {
	q, p, err := listQuery(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	views, total, err := fetch(c.UserContext(), caller(c), id, p)
	if err != nil {
		return err
	}
	out := make([]*jsonapi.Resource, len(views))
	for i, v := range views {
		out[i] = render(v)
	}
	return writeList(c, q, out, total)
}

// casePart answers GET on one part of a shared case; anything the contact may not see is 404
// (EXT-8).
func casePart[V any](c *fiber.Ctx, what string, fetch func(context.Context, *extranet.Contact, int64) (V, error),
	render func(V) *jsonapi.Resource) error {
	q, err := oneQuery(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, what)
	if err != nil {
		return err
	}
	v, err := fetch(c.UserContext(), caller(c), id)
	if err != nil {
		return err
	}
	return writeOne(c, http.StatusOK, q, render(v))
}
