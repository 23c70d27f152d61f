package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Account is a customer account. Whoever may view accounts sees all of it (ACC-4, ACC-6
// concerns reports only).
type Account struct {
	model.Account `bun:",extend"`
}

// Versioned implements domain.Versioned.
func (a *Account) Versioned() (int64, *int64) { return a.ID, &a.Version }

func (a *Account) times() (created, updated *time.Time) { return &a.CreatedAt, &a.UpdatedAt }

// AccountInput is a new account or a change of one; nil fields stay as they are.
type AccountInput struct {
	Name, BusinessID, Website *string
}

func (in *AccountInput) apply(a *Account) error {
	if err := required("name", in.Name); err != nil {
		return err
	}
	trimmed(&a.Name, in.Name)
	trimmed(&a.BusinessID, in.BusinessID)
	trimmed(&a.Website, in.Website)
	return nil
}

var accounts = part[Account, *Account]{what: "account", resource: "accounts", table: "accounts", alias: "a",
	snapshot: func(a *Account) map[string]any {
		return map[string]any{"name": a.Name, "businessId": a.BusinessID, "website": a.Website}
	},
	set: func(q *bun.UpdateQuery, a *Account) *bun.UpdateQuery {
		return q.Set("name = ?", a.Name).Set("business_id = ?", a.BusinessID).Set("website = ?", a.Website)
	},
	// An account with cases stays: deleting it would orphan their history.
	guard: func(ctx context.Context, tx bun.IDB, a *Account) error {
		n, err := tx.NewSelect().Model((*model.Case)(nil)).Where("account_id = ?", a.ID).Count(ctx)
		if err != nil {
			return apperr.Wrap(err, "count cases of account")
		}
		if n > 0 {
			return apperr.E(apperr.Conflict, "The account has %d cases; delete or move them first.", n)
		}
		return nil
	}}

// AccountList is the collection of accounts: all of them for whoever may view accounts,
// none for anyone else (ACC-1, ACC-4).
func (s *Service) AccountList(a domain.Actor) listing.Spec[Account] {
	return accounts.list(s, a, map[string]string{"name": "a.name", "createdAt": "a.created_at"},
		map[string]string{"name": "a.name", "businessId": "a.business_id"})
}

// Account returns account id (ACC-4). Errors: apperr.NotFound, also when a may not view
// accounts (ACC-1).
func (s *Service) Account(ctx context.Context, a domain.Actor, id int64) (*Account, error) {
	return accounts.load(ctx, s.env.DB, a, id, rights.AccountView)
}

// AccountsByID returns the accounts of ids that a may view, in one query (include).
func (s *Service) AccountsByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Account, error) {
	return accounts.byID(ctx, s, a, ids)
}

// CreateAccount adds an account (ACC-5). Errors: apperr.NotFound (ACC-1), apperr.Forbidden
// (ACC-4), apperr.Invalid (a name is required).
func (s *Service) CreateAccount(ctx context.Context, a domain.Actor, in AccountInput) (*Account, error) {
	if err := decide(a, rights.AccountCreate, "account", 0); err != nil {
		return nil, err
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return nil, apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	acc := &Account{}
	if err := in.apply(acc); err != nil {
		return nil, err
	}
	return accounts.create(ctx, s, a, acc, nil)
}

// UpdateAccount changes account id (ACC-5). Errors: apperr.NotFound (ACC-1), apperr.Forbidden
// (ACC-4), apperr.Stale, apperr.Invalid.
func (s *Service) UpdateAccount(ctx context.Context, a domain.Actor, id int64, in AccountInput, x domain.Expect) (*Account, error) {
	return accounts.update(ctx, s, a, id, x, func(_ context.Context, _ bun.IDB, acc *Account) error { return in.apply(acc) }, nil)
}

// DeleteAccount deletes account id with its contacts and addresses (ACC-7); an account with
// cases stays. Errors: apperr.NotFound (ACC-1), apperr.Forbidden (ACC-7), apperr.Conflict.
func (s *Service) DeleteAccount(ctx context.Context, a domain.Actor, id int64) error {
	return accounts.remove(ctx, s, a, id)
}

// AccountRef checks that account id, which a new case, contact or address points at, exists.
// Errors: apperr.Invalid at /data/relationships/account; a database failure stays one.
func AccountRef(ctx context.Context, db bun.IDB, id int64) error {
	ok, err := db.NewSelect().Model((*model.Account)(nil)).Where("id = ?", id).Exists(ctx)
	if err != nil {
		return apperr.Wrap(err, fmt.Sprintf("check account %d", id))
	}
	if !ok {
		return apperr.E(apperr.Invalid, "No account %d.", id).AtPointer(AccountPointer)
	}
	return nil
}

// AccountPointer is where the account of a contact, an address or a case sits in a request.
const AccountPointer = "/data/relationships/account"

var accountActions = map[string]rights.AccountAction{
	"view": rights.AccountView, "edit": rights.AccountEdit, "delete": rights.AccountDelete,
}

// ExplainAccount decides action ("view", "edit", "delete") on account id for another
// employee's subject, for GET /access/explain (ACC-1, ACC-4, ACC-5, ACC-7). Errors:
// apperr.Invalid (action), apperr.NotFound.
func (s *Service) ExplainAccount(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	return domain.Explain(subject, accountActions, action, "accounts", rights.DecideAccount, func() (rights.AccountAttrs, error) {
		exists, err := s.env.DB.NewSelect().Model((*model.Account)(nil)).Where("id = ?", id).Exists(ctx)
		if err != nil {
			return rights.AccountAttrs{}, apperr.Wrap(err, fmt.Sprintf("load account %d", id))
		}
		if !exists {
			return rights.AccountAttrs{}, domain.NotFound("account", id)
		}
		return rights.AccountAttrs{ID: id}, nil
	})
}
