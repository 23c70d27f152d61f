// Package domain holds what the feature services share: who acts (an employee or a portal
// contact), the errors an invisible or refused object meets, the decisions and input checks
// they all make the same way (DecideAction, Explain, SetDate), and the one write path every
// update goes through. The feature services are pkg/work, pkg/billing, pkg/cases, pkg/org,
// pkg/crm and pkg/calendar; both HTTP services call them, so that the same action is the
// same function whichever door it comes through.
package domain

import (
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Actor is who takes an action: an employee (User and their Subject, decided by pkg/rights)
// or a customer contact signed in to the portal (Contact, decided by the share's grant).
// Exactly one of User and Contact is set.
type Actor struct {
	User    *model.User
	Subject *rights.Subject
	Contact *Contact
}

// Contact is a portal contact acting through the extranet.
type Contact struct {
	ID        int64
	AccountID int64
	Name      string
	Email     string
}

// Employee returns the actor of an employee with their rights.
func Employee(u *model.User, s *rights.Subject) Actor { return Actor{User: u, Subject: s} }

// PortalContact returns the actor of a portal contact.
func PortalContact(c Contact) Actor { return Actor{Contact: &c} }

// IsContact reports whether the actor is a portal contact.
func (a Actor) IsContact() bool { return a.Contact != nil }

// History names the actor in a change-history entry.
func (a Actor) History() history.Actor {
	if a.Contact != nil {
		return history.Actor{ContactID: a.Contact.ID}
	}
	return history.Actor{UserID: a.User.ID}
}
