package server

import (
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/jsonapi"
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
		Links: selfLink("accounts", id)}
}

// accountKind is the accounts type (pkg/crm).
func (s *Server) accountKind() kind {
	return kind{
		name:    "accounts",
		list:    lister(s, s.crm.AccountList, accountResource),
		get:     getter(s, "account", s.crm.Account, accountResource),
		create:  creator[accountBody]("accounts", []string{"version"}, s.crm.CreateAccount, accountResource),
		update:  updater[accountBody]("accounts", "account", nil, s.crm.UpdateAccount, accountResource),
		remove:  remover("account", s.crm.DeleteAccount),
		batch:   batchOf(s.crm.AccountsByID, accountResource),
		explain: s.crm.ExplainAccount,
	}
}
