package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// accountScope: the Accounts right covers every account alike, so a caller sees all of
// them or none (ACC-1, ACC-4).
func accountScope(p *principal) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if !rights.DecideAccount(p.Subject, rights.AccountView, rights.AccountAttrs{}).Allow {
			return q.Where("1 = 0")
		}
		return q
	}
}

// decideAccount returns NotFound when the caller may not even view accounts (STYLE rule 3)
// and Forbidden when they view but may not do a.
func decideAccount(p *principal, a rights.AccountAction) error {
	if v := rights.DecideAccount(p.Subject, rights.AccountView, rights.AccountAttrs{}); !v.Allow {
		return apperr.E(apperr.NotFound, "No such resource.")
	}
	if d := rights.DecideAccount(p.Subject, a, rights.AccountAttrs{}); !d.Allow {
		return denied(d)
	}
	return nil
}

type accountBody struct {
	Name       *string `jsonapi:"name"`
	BusinessID *string `jsonapi:"businessId"`
	Website    *string `jsonapi:"website"`
	Version    *int64  `jsonapi:"version"`
}

func accountResource(a *model.Account) *jsonapi.Resource {
	id := strconv.FormatInt(a.ID, 10)
	return &jsonapi.Resource{Type: "accounts", ID: id,
		Attributes: map[string]any{"name": a.Name, "businessId": a.BusinessID, "website": a.Website, "version": a.Version,
			"createdAt": a.CreatedAt.UTC(), "updatedAt": a.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{
			"contacts":  {Links: &jsonapi.Links{Related: apiBase + "/contacts?filter[account]=" + id}},
			"addresses": {Links: &jsonapi.Links{Related: apiBase + "/addresses?filter[account]=" + id}},
		},
		Links: &jsonapi.Links{Self: apiBase + "/accounts/" + id}}
}

func accountSnapshot(a *model.Account) map[string]any {
	return map[string]any{"name": a.Name, "businessId": a.BusinessID, "website": a.Website}
}

func (s *Server) listAccounts(c *fiber.Ctx) error {
	return collection[model.Account]{table: "accounts AS a", scope: accountScope(caller(c)),
		sorts:    map[string]string{"name": "a.name", "createdAt": "a.created_at"},
		filters:  map[string]string{"name": "a.name", "businessId": "a.business_id"},
		resource: accountResource}.run(s, c)
}

func (s *Server) getAccount(c *fiber.Ctx) error {
	return accountParts.get(s, c)
}

// createAccount answers POST /api/v1/accounts (ACC-5).
func (s *Server) createAccount(c *fiber.Ctx) error {
	p := caller(c)
	if err := decideAccount(p, rights.AccountCreate); err != nil {
		return err
	}
	var req accountBody
	if err := bind(c, "accounts", "", &req, "version"); err != nil {
		return err
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		return apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	now := s.now().UTC()
	a := &model.Account{Name: strings.TrimSpace(*req.Name), BusinessID: deref(req.BusinessID), Website: deref(req.Website),
		Version: 1, CreatedAt: now, UpdatedAt: now}
	err := s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(a).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert account")
		}
		return s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "accounts", ResourceID: a.ID,
			Changes: history.Diff(nil, accountSnapshot(a))})
	})
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, accountResource(a))
}

// updateAccount answers PATCH /api/v1/accounts/:id (ACC-5).
func (s *Server) updateAccount(c *fiber.Ctx) error {
	p := caller(c)
	if err := decideAccount(p, rights.AccountEdit); err != nil {
		return err
	}
	id, err := pathID(c, "account")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var a model.Account
		if err := getOne(ctx, tx, &a, "accounts AS a", id); err != nil {
			return err
		}
		var req accountBody
		if err := bind(c, "accounts", strconv.FormatInt(id, 10), &req); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, a.Version); err != nil {
			return err
		}
		before := accountSnapshot(&a)
		if req.Name != nil {
			if strings.TrimSpace(*req.Name) == "" {
				return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
			}
			a.Name = strings.TrimSpace(*req.Name)
		}
		setIf(&a.BusinessID, req.BusinessID)
		setIf(&a.Website, req.Website)
		a.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "accounts", a.ID, a.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("name = ?", a.Name).Set("business_id = ?", a.BusinessID).Set("website = ?", a.Website).Set("updated_at = ?", a.UpdatedAt)
		}); err != nil {
			return err
		}
		a.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "accounts", ResourceID: a.ID,
			Changes: history.Diff(before, accountSnapshot(&a))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, accountResource(&a))
	})
}

// deleteAccount answers DELETE /api/v1/accounts/:id (ACC-7); an account with cases stays.
func (s *Server) deleteAccount(c *fiber.Ctx) error {
	return accountParts.delete(s, c)
}

// accountPart is what the handlers of accounts, contacts and addresses share: the three
// follow the same Accounts right (ACC-1, ACC-4, ACC-5, ACC-7).
type accountPart[M any] struct {
	what, typ, table string // "contact", "contacts", "contacts AS ct"
	render           func(*M) *jsonapi.Resource
	snapshot         func(*M) map[string]any
	beforeDelete     func(ctx context.Context, tx bun.IDB, m *M) error // optional guard
}

// get answers GET on one of them.
func (a accountPart[M]) get(s *Server, c *fiber.Ctx) error {
	if err := decideAccount(caller(c), rights.AccountView); err != nil {
		return err
	}
	id, err := pathID(c, a.what)
	if err != nil {
		return err
	}
	var m M
	if err := getOne(c.UserContext(), s.db, &m, a.table, id); err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, a.render(&m))
}

// delete answers DELETE on one of them (ACC-7), recording what was removed.
func (a accountPart[M]) delete(s *Server, c *fiber.Ctx) error {
	p := caller(c)
	if err := decideAccount(p, rights.AccountDelete); err != nil {
		return err
	}
	id, err := pathID(c, a.what)
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var m M
		if err := getOne(ctx, tx, &m, a.table, id); err != nil {
			return err
		}
		if a.beforeDelete != nil {
			if err := a.beforeDelete(ctx, tx, &m); err != nil {
				return err
			}
		}
		if _, err := tx.NewDelete().Model((*M)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return apperr.E(apperr.Conflict, "The %s is still referenced by other records.", a.what)
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: a.typ, ResourceID: id,
			Changes: history.Diff(a.snapshot(&m), nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

var accountParts = accountPart[model.Account]{what: "account", typ: "accounts", table: "accounts AS a",
	render: accountResource, snapshot: accountSnapshot,
	// An account with cases stays: deleting it would orphan their history.
	beforeDelete: func(ctx context.Context, tx bun.IDB, a *model.Account) error {
		n, err := tx.NewSelect().Model((*model.Case)(nil)).Where("account_id = ?", a.ID).Count(ctx)
		if err != nil {
			return apperr.Wrap(err, "count cases")
		}
		if n > 0 {
			return apperr.E(apperr.Conflict, "The account has %d cases; delete or move them first.", n)
		}
		return nil
	}}

var contactParts = accountPart[model.Contact]{what: "contact", typ: "contacts", table: "contacts AS ct",
	render: contactResource, snapshot: contactSnapshot}

var addressParts = accountPart[model.Address]{what: "address", typ: "addresses", table: "addresses AS ad",
	render: addressResource, snapshot: addressSnapshot}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func setIf(dst *string, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// accountKind is the accounts type of the registry.
func (s *Server) accountKind() kind {
	return kind{name: "accounts", list: s.listAccounts, create: s.createAccount, get: s.getAccount, update: s.updateAccount, remove: s.deleteAccount,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			if !rights.DecideAccount(p.Subject, rights.AccountView, rights.AccountAttrs{}).Allow {
				return nil, nil
			}
			var a model.Account
			if err := getOne(ctx, s.db, &a, "accounts AS a", id); err != nil {
				return nil, err
			}
			return accountResource(&a), nil
		}), explain: s.explainAccount}
}

var accountActions = map[string]rights.AccountAction{
	"view": rights.AccountView, "edit": rights.AccountEdit, "delete": rights.AccountDelete,
}

// explainAccount decides action on account id for subject (GET /access/explain).
func (s *Server) explainAccount(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	a, ok := accountActions[action]
	if !ok {
		return rights.Decision{}, domain.UnknownAction(action, "accounts")
	}
	var acc model.Account
	if err := s.db.NewSelect().Model(&acc).Where("id = ?", id).Scan(ctx); err != nil {
		return rights.Decision{}, domain.Loaded(err, "account", id)
	}
	return rights.DecideAccount(subject, a, rights.AccountAttrs{ID: id}), nil
}
