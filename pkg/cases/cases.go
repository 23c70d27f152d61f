// Package cases is the feature service of cases, phases, members, files & links, comments and extranet shares: their SQL, transactions, rights decisions,
// history and invariants. Both HTTP services call it with a typed actor (pkg/domain).
package cases

import (
	"log/slog"

	"github.com/caseroom/caseroom/pkg/domain"
)

// Service is the cases service. Build it with New.
type Service struct {
	env domain.Env
	log *slog.Logger
}

// New returns the cases service over env; log receives what only operators should see.
func New(env domain.Env, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{env: env, log: log}
}
