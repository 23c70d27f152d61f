package extranet

import (
	"context"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
)

// CaseView is a case shared with a contact, with the contact's grant on it (pkg/cases).
type CaseView = cases.SharedCase

// CaseStatuses are the statuses a case can have (pkg/cases).
var CaseStatuses = cases.Statuses

// Case returns one shared case, or apperr.NotFound when it is not shared with who (EXT-8).
//
// Deprecated: call cases.Service.SharedCase with who.Actor(). It stays for the comment
// handlers of the portal until comments move to pkg/cases.
func (s *Service) Case(ctx context.Context, who *Contact, id int64) (CaseView, error) {
	return cases.New(domain.NewEnv(s.db, s.now), nil).SharedCase(ctx, who.Actor(), id)
}
