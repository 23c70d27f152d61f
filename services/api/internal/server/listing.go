package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/webapi"
)

// list answers GET on a collection: parse the query against the collection's spec, select the
// page, render each row (nil leaves it out), and write it with links, its total when paged
// by number, and the includes asked for.
func list[M any](s *Server, c *fiber.Ctx, spec listing.Spec[M], render func(*M) *jsonapi.Resource) error {
	q, err := jsonapi.ParseQueryCtx(c, spec.Query())
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	page, err := spec.Page(ctx, q)
	if err != nil {
		return err
	}
	out := make([]*jsonapi.Resource, 0, len(page.Rows))
	for i := range page.Rows {
		if r := render(&page.Rows[i]); r != nil {
			out = append(out, r)
		}
	}
	doc := jsonapi.Document{Data: jsonapi.Many(out)}
	var links jsonapi.Links
	if q.Page.Cursor() {
		links = jsonapi.CursorLinks(c.Path(), string(c.Request().URI().QueryString()), q, page.Prev, page.Next)
	} else {
		links = jsonapi.PageLinks(c.Path(), string(c.Request().URI().QueryString()), q, page.Total)
		if page.Total >= 0 {
			doc.Meta = jsonapi.Meta{"total": page.Total}
		} else {
			doc.Meta = jsonapi.Meta{"totalExceeds": listing.MaxCounted}
		}
	}
	doc.Links = &links
	if err := s.include(ctx, caller(c), &doc, q); err != nil {
		return err
	}
	doc.ApplyFields(q)
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
}

// writeOne renders one resource with the query's sparse fieldsets.
func writeOne(c *fiber.Ctx, status int, res *jsonapi.Resource) error {
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{})
	if err != nil {
		return err
	}
	doc := jsonapi.Document{Data: jsonapi.One(res)}
	doc.ApplyFields(q)
	if status == fiber.StatusCreated {
		return jsonapi.Created(c, doc, res.Links.Self)
	}
	return jsonapi.WriteDocument(c, status, doc)
}

// bind parses a single-resource document and binds it into dst (strict: unknown attributes
// are 400, forbidden ones 403, and nothing is bound on any error). Every timestamp attribute
// must lie in model.MinTime..MaxTime (checkTimes), whichever endpoint binds it.
func bind(c *fiber.Ctx, typ, id string, dst any, forbidden ...string) error {
	if err := webapi.Bind(c, typ, id, dst, jsonapi.BindOptions{Forbidden: forbidden}); err != nil {
		return err
	}
	return checkTimes(dst)
}
