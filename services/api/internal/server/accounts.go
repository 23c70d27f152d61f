package server

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
)

type accountBody struct {
	Name       *string `jsonapi:"name"`
	BusinessID *string `jsonapi:"businessId"`
	Website    *string `jsonapi:"website"`
	Version    *int64  `jsonapi:"version"`
}

func (b *accountBody) input() (crm.AccountInput, error) {
	return crm.AccountInput{Name: b.Name, BusinessID: b.BusinessID, Website: b.Website}, nil
}

func (b *accountBody) edited() *int64 { return b.Version }

func accountResource(a *crm.Account) *jsonapi.Resource {
	id := idString(a.ID)
	return &jsonapi.Resource{Type: "accounts", ID: id,
		Attributes: map[string]any{"name": a.Name, "businessId": a.BusinessID, "website": a.Website, "version": a.Version,
			"createdAt": a.CreatedAt.UTC(), "updatedAt": a.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{
			"contacts":  {Links: &jsonapi.Links{Related: apiBase + "/contacts?filter[account]=" + id}},
			"addresses": {Links: &jsonapi.Links{Related: apiBase + "/addresses?filter[account]=" + id}},
		},
		Links: &jsonapi.Links{Self: apiBase + "/accounts/" + id}}
}

// accountKind is the accounts type (pkg/crm).
func (s *Server) accountKind() kind {
	k := crmHandlers[crm.Account, *crm.Account, crm.AccountInput]{typ: "accounts", what: "account",
		list: s.crm.AccountList, get: s.crm.Account, create: s.crm.CreateAccount, update: s.crm.UpdateAccount,
		remove: s.crm.DeleteAccount, byID: s.crm.AccountsByID, render: accountResource,
		body: func() requestBody[crm.AccountInput] { return &accountBody{} }}.kind(s)
	k.explain = s.crm.ExplainAccount
	return k
}

// requestBody is the body of a POST or PATCH request: it converts to the
// service's input and names the version the caller edited.
type requestBody[In any] interface {
	input() (In, error)
	edited() *int64
}

// crmHandlers are the handlers of accounts, contacts or addresses over their service's
// actions (pkg/crm). The three follow the one Accounts right (ACC-1, ACC-4, ACC-5, ACC-7),
// so they share one set of handlers.
type crmHandlers[M any, P interface {
	*M
	domain.Versioned
}, In any] struct {
	typ, what string   // "contacts", "contact"
	fixed     []string // what an update may not change: "account"
	list      func(domain.Actor) listing.Spec[M]
	get       func(context.Context, domain.Actor, int64) (P, error)
	create    func(context.Context, domain.Actor, In) (P, error)
	update    func(context.Context, domain.Actor, int64, In, domain.Expect) (P, error)
	remove    func(context.Context, domain.Actor, int64) error
	byID      func(context.Context, domain.Actor, []int64) ([]P, error)
	render    func(P) *jsonapi.Resource
	body      func() requestBody[In]
}

func (h crmHandlers[M, P, In]) kind(s *Server) kind {
	return kind{name: h.typ, list: h.listAll(s), get: h.getOne, create: h.createOne, update: h.updateOne, remove: h.removeOne,
		batch: batchOf(h.byID, h.render)}
}

func (h crmHandlers[M, P, In]) listAll(s *Server) fiber.Handler {
	return func(c *fiber.Ctx) error {
		return list(s, c, h.list(actorOf(c)), func(m *M) *jsonapi.Resource { return h.render(m) })
	}
}

func (h crmHandlers[M, P, In]) getOne(c *fiber.Ctx) error {
	id, err := pathID(c, h.what)
	if err != nil {
		return err
	}
	v, err := h.get(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, h.render(v))
}

func (h crmHandlers[M, P, In]) createOne(c *fiber.Ctx) error {
	req := h.body()
	if err := bind(c, h.typ, "", req, "version"); err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	v, err := h.create(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, h.render(v))
}

func (h crmHandlers[M, P, In]) updateOne(c *fiber.Ctx) error {
	id, err := pathID(c, h.what)
	if err != nil {
		return err
	}
	in, x := bindPatch(c, h.typ, id, h.body(), h.fixed...)
	v, err := h.update(c.UserContext(), actorOf(c), id, in, x)
	if err != nil {
		return err
	}
	_, version := v.Versioned()
	tagVersion(c, *version)
	return writeOne(c, fiber.StatusOK, h.render(v))
}

func (h crmHandlers[M, P, In]) removeOne(c *fiber.Ctx) error {
	id, err := pathID(c, h.what)
	if err != nil {
		return err
	}
	if err := h.remove(c.UserContext(), actorOf(c), id); err != nil {
		return err
	}
	return jsonapi.NoContent(c)
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
