// Package cases is the feature service of cases, phases, members, files & links, comments and
// extranet shares: their SQL, transactions, rights decisions, history and invariants. Both
// HTTP services call it with a typed actor (pkg/domain): employees are decided by pkg/rights,
// portal contacts by the grant of their share (pkg/sharing).
package cases

import (
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/storage"
)

// Service is the cases service. Build it with New.
type Service struct {
	env domain.Env
	// portal is the extranet's public address, named in invitation mails (EXT-4).
	portal string
	// files holds the stored files & links; nil when the service runs without a store.
	files storage.Store
}

// Option configures a Service beyond its environment.
type Option func(*Service)

// PortalURL names the extranet's public address in the invitation mails of shares.
func PortalURL(url string) Option { return func(s *Service) { s.portal = url } }

// StoredFiles is where the files & links of cases are stored; a deleted case's objects are
// removed from it.
func StoredFiles(st storage.Store) Option { return func(s *Service) { s.files = st } }

// New returns the cases service over env; log receives what only operators should see (a
// list row the single-object decision refuses, a stored object left behind).
func New(env domain.Env, opts ...Option) *Service {
	s := &Service{env: env}
	s.Configure(opts...)
	return s
}

// Configure applies opts. It is for wiring, before the service serves any request.
func (s *Service) Configure(opts ...Option) {
	for _, o := range opts {
		o(s)
	}
}
