// Package crm is the feature service of accounts, contacts and addresses: their SQL, transactions, rights decisions,
// history and invariants. Both HTTP services call it with a typed actor (pkg/domain).
package crm

import (
	"github.com/caseroom/caseroom/pkg/domain"
)

// Service is the crm service. Build it with New.
type Service struct{ env domain.Env }

// New returns the crm service over env.
func New(env domain.Env) *Service { return &Service{env: env} }
