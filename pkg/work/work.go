// Package work is the feature service of work hours and travel reimbursements: their SQL,
// transactions, rights decisions, history and invariants, for employees (pkg/rights) and for
// portal contacts (pkg/sharing) alike.
package work

import (
	"github.com/caseroom/caseroom/pkg/domain"
)

// Service is the work service. Build it with New.
type Service struct{ env domain.Env }

// New returns the work service over env.
func New(env domain.Env) *Service { return &Service{env: env} }
