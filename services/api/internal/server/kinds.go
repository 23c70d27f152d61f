package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/rights"
)

// kind is one resource type of the API. The registry of kinds drives the routes of the
// type's collection and objects, include, the generic relationship and related routes, and
// explain. Adding a resource means one kind (in the type's own file) and one service.
type kind struct {
	name string // the JSON:API type, which is also its path under /api/v1
	// The handlers of the collection and of one object; nil where the type has none.
	list, create, get, update, remove fiber.Handler
	// batch returns the resources of ids the actor may view, rendered and masked as their
	// own GET would render them, in one query (or a few) for the whole batch.
	batch func(ctx context.Context, a domain.Actor, ids []int64) ([]*jsonapi.Resource, error)
	// explain decides action on object id for another user's subject (GET /access/explain);
	// nil where explain does not cover the type.
	explain func(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error)
}

// kinds returns the registry, built once in New.
func (s *Server) kinds() map[string]kind {
	out := map[string]kind{}
	for _, k := range []kind{
		s.caseKind(), s.shareKind(), s.accountKind(), s.contactKind(), s.addressKind(), s.hourKind(), s.phaseKind(),
		s.commentKind(), s.fileKind(), s.invoiceKind(), s.travelKind(), s.activityKind(), s.apiKeyKind(),
		s.statusKind(), s.userKind(), s.profileKind(), s.unitKind(),
	} {
		out[k.name] = k
	}
	return out
}

// mount registers the standard routes of every kind: GET and POST on /{type}, and GET,
// PATCH and DELETE on /{type}/:id, where the kind has them.
func (s *Server) mount(r fiber.Router) {
	for name, k := range s.registry {
		for _, route := range []struct {
			method, path string
			h            fiber.Handler
		}{
			{fiber.MethodGet, "/" + name, k.list}, {fiber.MethodPost, "/" + name, k.create},
			{fiber.MethodGet, "/" + name + "/:id", k.get}, {fiber.MethodPatch, "/" + name + "/:id", k.update},
			{fiber.MethodDelete, "/" + name + "/:id", k.remove},
		} {
			if route.h != nil {
				r.Add(route.method, route.path, route.h)
			}
		}
	}
}

// batchOf adapts a service's batch read and a renderer to a kind's batch.
func batchOf[V any](fetch func(ctx context.Context, a domain.Actor, ids []int64) ([]V, error), render func(V) *jsonapi.Resource) func(context.Context, domain.Actor, []int64) ([]*jsonapi.Resource, error) {
	return func(ctx context.Context, a domain.Actor, ids []int64) ([]*jsonapi.Resource, error) {
		rows, err := fetch(ctx, a, ids)
		if err != nil {
			return nil, err
		}
		out := make([]*jsonapi.Resource, len(rows))
		for i, r := range rows {
			out[i] = render(r)
		}
		return out, nil
	}
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// onObject calls do with the request's actor on the object the path's :id names (what names
// its type in the 404 of a malformed id).
func onObject[V any](c *fiber.Ctx, what string, do func(context.Context, domain.Actor, int64) (V, error)) (V, error) {
	id, err := pathID(c, what)
	if err != nil {
		var none V
		return none, err
	}
	return do(c.UserContext(), actorOf(c), id)
}

// getter answers GET /{type}/:id: the object as the actor sees it (a missing or invisible one
// is 404), with the includes names allows.
func getter[V any](s *Server, what string, fetch func(context.Context, domain.Actor, int64) (V, error), render func(V) *jsonapi.Resource, names ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := onObject(c, what, fetch)
		if err != nil {
			return err
		}
		return s.writeIncluding(c, caller(c), render(v), names...)
	}
}

// acting answers POST on an action of one object (/{type}/:id/credit, …/approve): act does
// it for the actor, and the answer, with status, is the object act returns.
func acting[V any](what string, status int, act func(context.Context, domain.Actor, int64) (V, error), render func(V) *jsonapi.Resource) fiber.Handler {
	return func(c *fiber.Ctx) error {
		v, err := onObject(c, what, act)
		if err != nil {
			return err
		}
		return writeOne(c, status, render(v))
	}
}

// remover answers DELETE /{type}/:id with 204 once the service deleted the object.
func remover(what string, del func(context.Context, domain.Actor, int64) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, what)
		if err != nil {
			return err
		}
		if err := del(c.UserContext(), actorOf(c), id); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	}
}

// lister answers GET /{type}: the page of the collection the service describes for the actor.
func lister[M any](s *Server, spec func(domain.Actor) listing.Spec[M], render func(*M) *jsonapi.Resource) fiber.Handler {
	return func(c *fiber.Ctx) error { return list(s, c, spec(actorOf(c)), render) }
}

// requestBody is the body of a POST or PATCH request: it converts to the service's input and
// names the version the caller edited.
type requestBody[In any] interface {
	input() (In, error)
	edited() *int64
}

// creator answers POST /{type}: bind the document (forbidden: the fields the server owns or
// that only an update may not send), convert it, create, and answer 201 with the new object.
func creator[B any, PB interface {
	*B
	requestBody[In]
}, In, V any](typ string, forbidden []string, create func(context.Context, domain.Actor, In) (V, error), render func(V) *jsonapi.Resource) fiber.Handler {
	return func(c *fiber.Ctx) error {
		req := PB(new(B))
		if err := bind(c, typ, "", req, forbidden...); err != nil {
			return err
		}
		in, err := req.input()
		if err != nil {
			return err
		}
		v, err := create(c.UserContext(), actorOf(c), in)
		if err != nil {
			return err
		}
		return writeOne(c, fiber.StatusCreated, render(v))
	}
}

// updater answers PATCH /{type}/:id through the service's one write path (domain.Save), and
// names the new version in ETag.
func updater[B any, PB interface {
	*B
	requestBody[In]
}, In any, V domain.Versioned](typ, what string, forbidden []string, update func(context.Context, domain.Actor, int64, In, domain.Expect) (V, error), render func(V) *jsonapi.Resource) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, what)
		if err != nil {
			return err
		}
		in, x := bindPatch[In](c, typ, id, PB(new(B)), forbidden...)
		v, err := update(c.UserContext(), actorOf(c), id, in, x)
		if err != nil {
			return err
		}
		_, version := v.Versioned()
		tagVersion(c, *version)
		return writeOne(c, fiber.StatusOK, render(v))
	}
}

// bindPatch binds a PATCH body and converts it to the service's input. What is wrong with
// the body, its conversion or the version is left in the returned Expect, which the service
// reports only once the object is found visible and actionable: an object the caller may
// not view stays 404, and one they may not change 403, even with a bad body.
func bindPatch[In any](c *fiber.Ctx, typ string, id int64, req requestBody[In], forbidden ...string) (In, domain.Expect) {
	var in In
	if err := bind(c, typ, idString(id), req, forbidden...); err != nil {
		return in, domain.Expect{Err: err}
	}
	in, err := req.input()
	if err != nil {
		return in, domain.Expect{Err: err}
	}
	return in, expect(c, req.edited())
}
