// Package work is the feature service of work hours and travel reimbursements: their SQL,
// transactions, rights decisions, history and invariants, for employees (pkg/rights) and for
// portal contacts (pkg/sharing) alike.
package work

import (
	"log/slog"

	"github.com/caseroom/caseroom/pkg/domain"
)

// Service is the work service. Build it with New.
type Service struct {
	env domain.Env
	log *slog.Logger
}

// New returns the work service over env; log receives scope leaks (a list row the
// single-object decision refuses), which are bugs.
func New(env domain.Env, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{env: env, log: log}
}
