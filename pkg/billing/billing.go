// Package billing is the feature service of invoices, invoice statuses, credit notes and reminders: their SQL, transactions, rights decisions,
// history and invariants. Both HTTP services call it with a typed actor (pkg/domain).
package billing

import (
	"github.com/caseroom/caseroom/pkg/domain"
)

// Service is the billing service. Build it with New.
type Service struct{ env domain.Env }

// New returns the billing service over env.
func New(env domain.Env) *Service { return &Service{env: env} }
