package extranet

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// Grant is what one contact may do on one shared case (pkg/sharing).
type Grant = sharing.Grant

// Action is something a contact may try on a shared case (pkg/sharing).
type Action = sharing.Action

// The actions of pkg/sharing, named here for the portal.
const (
	ViewStatus     = sharing.ViewStatus
	ChangeStatus   = sharing.ChangeStatus
	ViewHours      = sharing.ViewHours
	ApproveHours   = sharing.ApproveHours
	ViewPhases     = sharing.ViewPhases
	ApprovePhases  = sharing.ApprovePhases
	ViewFinancials = sharing.ViewFinancials
	ViewFiles      = sharing.ViewFiles
	UploadFiles    = sharing.UploadFiles
	ViewComments   = sharing.ViewComments
	AddComment     = sharing.AddComment
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

func (s *Service) grant(ctx context.Context, db bun.IDB, who *Contact, caseID int64) (Grant, error) {
	return sharing.Of(ctx, db, s.now(), who.Ref(), caseID)
}

// Grant returns who's grant on the case (apperr.NotFound when it is not shared with them).
func (s *Service) Grant(ctx context.Context, who *Contact, caseID int64) (Grant, error) {
	return s.grant(ctx, s.db, who, caseID)
}

func (s *Service) objectGrant(ctx context.Context, db bun.IDB, who *Contact, caseID int64, action Action, what string, id int64) (Grant, error) {
	return sharing.OfObject(ctx, db, s.now(), who.Ref(), caseID, action, what, id)
}

func notFound(what string, id int64) error { return domain.NotFound(what, id) }
