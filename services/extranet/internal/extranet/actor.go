package extranet

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// Ref is the contact as the feature services know an actor.
func (c *Contact) Ref() domain.Contact {
	return domain.Contact{ID: c.ID, AccountID: c.AccountID, Name: c.Name, Email: c.Email}
}

// Actor is the contact as the actor of a feature service's action.
func (c *Contact) Actor() domain.Actor { return domain.PortalContact(c.Ref()) }

func (s *Service) grants(db bun.IDB, who *Contact) *bun.SelectQuery {
	return sharing.Live(db, s.now(), who.Ref())
}
