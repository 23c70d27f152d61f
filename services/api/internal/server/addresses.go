package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

type addressBody struct {
	Kind       *string                       `jsonapi:"kind"`
	Street     *string                       `jsonapi:"street"`
	PostalCode *string                       `jsonapi:"postalCode"`
	City       *string                       `jsonapi:"city"`
	Country    *string                       `jsonapi:"country"`
	Version    *int64                        `jsonapi:"version"`
	Account    *jsonapi.IncomingRelationship `jsonapi:"account,rel"`
}

var addressKinds = map[string]bool{"visiting": true, "postal": true, "billing": true, "delivery": true}

func addressResource(a *model.Address) *jsonapi.Resource {
	id := strconv.FormatInt(a.ID, 10)
	return &jsonapi.Resource{Type: "addresses", ID: id,
		Attributes: map[string]any{"kind": a.Kind, "street": a.Street, "postalCode": a.PostalCode, "city": a.City,
			"country": a.Country, "version": a.Version, "createdAt": a.CreatedAt.UTC(), "updatedAt": a.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{"account": toOne("addresses", id, "account", "accounts", a.AccountID)},
		Links:         &jsonapi.Links{Self: apiBase + "/addresses/" + id}}
}

func addressSnapshot(a *model.Address) map[string]any {
	return map[string]any{"kind": a.Kind, "street": a.Street, "postalCode": a.PostalCode, "city": a.City, "country": a.Country}
}

func applyAddress(a *model.Address, req *addressBody) error {
	if req.Kind != nil && !addressKinds[*req.Kind] {
		return apperr.E(apperr.Invalid, "kind must be visiting, postal, billing or delivery").AtPointer("/data/attributes/kind")
	}
	setIf(&a.Kind, req.Kind)
	setIf(&a.Street, req.Street)
	setIf(&a.PostalCode, req.PostalCode)
	setIf(&a.City, req.City)
	setIf(&a.Country, req.Country)
	return nil
}

// listAddresses answers GET /api/v1/addresses (ACC-1, ACC-4).
func (s *Server) listAddresses(c *fiber.Ctx) error {
	return collection[model.Address]{table: "addresses AS ad", scope: accountScope(caller(c)),
		sorts:   map[string]string{"city": "ad.city", "kind": "ad.kind"},
		filters: map[string]string{"account": "ad.account_id", "kind": "ad.kind"},
		include: []string{"account"}, resource: addressResource}.run(s, c)
}

func (s *Server) getAddress(c *fiber.Ctx) error {
	return addressParts.get(s, c)
}

// createAddress answers POST /api/v1/addresses (ACC-5).
func (s *Server) createAddress(c *fiber.Ctx) error {
	p := caller(c)
	if err := decideAccount(p, rights.AccountCreate); err != nil {
		return err
	}
	var req addressBody
	if err := bind(c, "addresses", "", &req, "version"); err != nil {
		return err
	}
	if req.Account == nil {
		return apperr.E(apperr.Invalid, "the account relationship is required").AtPointer("/data/relationships/account")
	}
	now := s.now().UTC()
	a := &model.Address{Kind: "visiting", Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := applyAddress(a, &req); err != nil {
		return err
	}
	err := s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if a.AccountID, err = accountExists(ctx, tx, req.Account); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(a).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert address")
		}
		return s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "addresses", ResourceID: a.ID,
			Changes: history.Diff(nil, addressSnapshot(a))})
	})
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, addressResource(a))
}

// updateAddress answers PATCH /api/v1/addresses/:id (ACC-5).
func (s *Server) updateAddress(c *fiber.Ctx) error {
	p := caller(c)
	if err := decideAccount(p, rights.AccountEdit); err != nil {
		return err
	}
	id, err := pathID(c, "address")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var a model.Address
		if err := getOne(ctx, tx, &a, "addresses AS ad", id); err != nil {
			return err
		}
		var req addressBody
		if err := bind(c, "addresses", strconv.FormatInt(id, 10), &req, "account"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, a.Version); err != nil {
			return err
		}
		before := addressSnapshot(&a)
		if err := applyAddress(&a, &req); err != nil {
			return err
		}
		a.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "addresses", a.ID, a.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("kind = ?", a.Kind).Set("street = ?", a.Street).Set("postal_code = ?", a.PostalCode).
				Set("city = ?", a.City).Set("country = ?", a.Country).Set("updated_at = ?", a.UpdatedAt)
		}); err != nil {
			return err
		}
		a.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "addresses", ResourceID: a.ID,
			Changes: history.Diff(before, addressSnapshot(&a))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, addressResource(&a))
	})
}

// deleteAddress answers DELETE /api/v1/addresses/:id (ACC-7).
func (s *Server) deleteAddress(c *fiber.Ctx) error {
	return addressParts.delete(s, c)
}

// addressKind is the addresses type of the registry.
func (s *Server) addressKind() kind {
	return kind{name: "addresses", list: s.listAddresses, create: s.createAddress, get: s.getAddress, update: s.updateAddress, remove: s.deleteAddress,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			if !rights.DecideAccount(p.Subject, rights.AccountView, rights.AccountAttrs{}).Allow {
				return nil, nil
			}
			var ad model.Address
			if err := getOne(ctx, s.db, &ad, "addresses AS ad", id); err != nil {
				return nil, err
			}
			return addressResource(&ad), nil
		})}
}
