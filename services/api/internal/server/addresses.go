package server

import (
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/jsonapi"
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

func (b *addressBody) input() (crm.AddressInput, error) {
	in := crm.AddressInput{Kind: b.Kind, Street: b.Street, PostalCode: b.PostalCode, City: b.City, Country: b.Country}
	var err error
	in.AccountID, err = relRequired(b.Account, "accounts", crm.AccountPointer)
	return in, err
}

func (b *addressBody) edited() *int64 { return b.Version }

func addressResource(a *crm.Address) *jsonapi.Resource {
	id := idString(a.ID)
	return &jsonapi.Resource{Type: "addresses", ID: id,
		Attributes: map[string]any{"kind": a.Kind, "street": a.Street, "postalCode": a.PostalCode, "city": a.City,
			"country": a.Country, "version": a.Version, "createdAt": a.CreatedAt.UTC(), "updatedAt": a.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{"account": toOne("addresses", id, "account", "accounts", a.AccountID)},
		Links:         selfLink("addresses", id)}
}

// addressKind is the addresses type (pkg/crm); an address stays with its account.
func (s *Server) addressKind() kind {
	return kind{
		name:   "addresses",
		list:   lister(s, s.crm.AddressList, addressResource),
		get:    getter(s, "address", s.crm.Address, addressResource),
		create: creator[addressBody]("addresses", []string{"version"}, s.crm.CreateAddress, addressResource),
		update: updater[addressBody]("addresses", "address", []string{"account"}, s.crm.UpdateAddress, addressResource),
		remove: remover("address", s.crm.DeleteAddress),
		batch:  batchOf(s.crm.AddressesByID, addressResource),
	}
}
