// Package calendar is the feature service of activities: their SQL, transactions, rights decisions,
// history and invariants. Both HTTP services call it with a typed actor (pkg/domain).
package calendar

import (
	"github.com/caseroom/caseroom/pkg/domain"
)

// Service is the calendar service. Build it with New.
type Service struct{ env domain.Env }

// New returns the calendar service over env.
func New(env domain.Env) *Service { return &Service{env: env} }
