package crm

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Address is an address of an account.
type Address struct {
	model.Address `bun:",extend"`
}

// Versioned implements domain.Versioned.
func (ad *Address) Versioned() (int64, *int64) { return ad.ID, &ad.Version }

func (ad *Address) times() (created, updated *time.Time) { return &ad.CreatedAt, &ad.UpdatedAt }

// AddressInput is a new address or a change of one; nil fields stay as they are.
type AddressInput struct {
	Kind, Street, PostalCode, City, Country *string
	AccountID                               *int64 // create only: an address stays with its account
}

// addressKinds are what an address is for.
var addressKinds = map[string]bool{"visiting": true, "postal": true, "billing": true, "delivery": true}

func (in *AddressInput) apply(ad *Address) error {
	if in.Kind != nil && !addressKinds[*in.Kind] {
		return apperr.E(apperr.Invalid, "kind must be visiting, postal, billing or delivery").AtPointer("/data/attributes/kind")
	}
	trimmed(&ad.Kind, in.Kind)
	trimmed(&ad.Street, in.Street)
	trimmed(&ad.PostalCode, in.PostalCode)
	trimmed(&ad.City, in.City)
	trimmed(&ad.Country, in.Country)
	return nil
}

var addresses = part[Address, *Address]{what: "address", resource: "addresses", table: "addresses", alias: "ad",
	snapshot: func(ad *Address) map[string]any {
		return map[string]any{"kind": ad.Kind, "street": ad.Street, "postalCode": ad.PostalCode, "city": ad.City, "country": ad.Country}
	},
	set: func(q *bun.UpdateQuery, ad *Address) *bun.UpdateQuery {
		return q.Set("kind = ?", ad.Kind).Set("street = ?", ad.Street).Set("postal_code = ?", ad.PostalCode).
			Set("city = ?", ad.City).Set("country = ?", ad.Country)
	}}

// AddressList is the collection of addresses: all of them for whoever may view accounts,
// none for anyone else (ACC-1, ACC-4).
func (s *Service) AddressList(a domain.Actor) listing.Spec[Address] {
	return addresses.list(s, a, map[string]string{"city": "ad.city", "kind": "ad.kind"},
		map[string]string{"account": "ad.account_id", "kind": "ad.kind"}, "account")
}

// Address returns address id (ACC-4). Errors: apperr.NotFound, also when a may not view
// accounts (ACC-1).
func (s *Service) Address(ctx context.Context, a domain.Actor, id int64) (*Address, error) {
	return addresses.load(ctx, s.env.DB, a, id, rights.AccountView)
}

// AddressesByID returns the addresses of ids that a may view, in one query (include).
func (s *Service) AddressesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Address, error) {
	return addresses.byID(ctx, s, a, ids)
}

// CreateAddress adds an address to an account (ACC-5); its kind is visiting unless said.
// Errors: apperr.NotFound (ACC-1), apperr.Forbidden (ACC-4), apperr.Invalid.
func (s *Service) CreateAddress(ctx context.Context, a domain.Actor, in AddressInput) (*Address, error) {
	if err := decide(a, rights.AccountCreate, "address", 0); err != nil {
		return nil, err
	}
	if in.AccountID == nil {
		return nil, apperr.E(apperr.Invalid, "the account relationship is required").AtPointer(AccountPointer)
	}
	ad := &Address{model.Address{AccountID: *in.AccountID, Kind: "visiting"}}
	if err := in.apply(ad); err != nil {
		return nil, err
	}
	return addresses.create(ctx, s, a, ad, func(ctx context.Context, tx bun.IDB) error {
		return AccountRef(ctx, tx, ad.AccountID)
	})
}

// UpdateAddress changes address id (ACC-5); it stays with its account. Errors:
// apperr.NotFound (ACC-1), apperr.Forbidden (ACC-4), apperr.Stale, apperr.Invalid.
func (s *Service) UpdateAddress(ctx context.Context, a domain.Actor, id int64, in AddressInput, x domain.Expect) (*Address, error) {
	return addresses.update(ctx, s, a, id, x, func(_ context.Context, _ bun.IDB, ad *Address) error { return in.apply(ad) }, nil)
}

// DeleteAddress deletes address id (ACC-7). Errors: apperr.NotFound (ACC-1),
// apperr.Forbidden (ACC-7).
func (s *Service) DeleteAddress(ctx context.Context, a domain.Actor, id int64) error {
	return addresses.remove(ctx, s, a, id)
}
