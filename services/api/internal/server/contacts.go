package server

import (
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

type contactBody struct {
	FirstName *string                       `jsonapi:"firstName"`
	LastName  *string                       `jsonapi:"lastName"`
	Email     *string                       `jsonapi:"email"`
	Phone     *string                       `jsonapi:"phone"`
	Title     *string                       `jsonapi:"title"`
	Active    *bool                         `jsonapi:"active"`
	Locale    *string                       `jsonapi:"locale"`
	TimeZone  *string                       `jsonapi:"timeZone"`
	Version   *int64                        `jsonapi:"version"`
	Account   *jsonapi.IncomingRelationship `jsonapi:"account,rel"`
}

func (b *contactBody) input() (crm.ContactInput, error) {
	in := crm.ContactInput{FirstName: b.FirstName, LastName: b.LastName, Email: b.Email, Phone: b.Phone, Title: b.Title, Active: b.Active,
		Locale: b.Locale, TimeZone: b.TimeZone}
	var err error
	in.AccountID, err = relRequired(b.Account, "accounts", crm.AccountPointer)
	return in, err
}

func (b *contactBody) edited() *int64 { return b.Version }

func contactResource(ct *crm.Contact) *jsonapi.Resource {
	id := idString(ct.ID)
	return &jsonapi.Resource{Type: "contacts", ID: id,
		Attributes: map[string]any{"firstName": ct.FirstName, "lastName": ct.LastName, "email": ct.Email, "phone": ct.Phone,
			"title": ct.Title, "active": ct.Active, "locale": ct.Locale, "timeZone": ct.TimeZone, "version": ct.Version, "createdAt": ct.CreatedAt.UTC(), "updatedAt": ct.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{"account": toOne("contacts", id, "account", "accounts", ct.AccountID)},
		Links:         selfLink("contacts", id)}
}

// contactKind is the contacts type (pkg/crm); a contact stays with its account.
func (s *Server) contactKind() kind {
	return kind{
		name:   "contacts",
		list:   lister(s, s.crm.ContactList, contactResource),
		get:    getter(s, "contact", s.crm.Contact, contactResource),
		create: creator[contactBody]("contacts", []string{"version"}, s.crm.CreateContact, contactResource),
		update: updater[contactBody]("contacts", "contact", []string{"account"}, s.crm.UpdateContact, contactResource),
		remove: remover("contact", s.crm.DeleteContact),
		batch:  batchOf(s.crm.ContactsByID, contactResource),
	}
}
