// Package calendar is the feature service of activities: their SQL, transactions, rights decisions,
// history and invariants. Both HTTP services call it with a typed actor (pkg/domain).
package calendar

import (
	"log/slog"

	"github.com/caseroom/caseroom/pkg/domain"
)

// Service is the calendar service. Build it with New.
type Service struct {
	env domain.Env
	log *slog.Logger
}

// New returns the calendar service over env; log receives what only operators should see.
func New(env domain.Env, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{env: env, log: log}
}
