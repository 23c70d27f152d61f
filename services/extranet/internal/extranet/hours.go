package extranet

import (
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
)

// decision validates an approval or rejection (domain.Decision).
func decision(approve bool, comment string) (status, trimmed string, err error) {
	return domain.Decision(approve, comment)
}

// checkVersion compares an optional expected version with the current one.
func checkVersion(want *int64, current int64) error {
	if want != nil && *want != current {
		return apperr.E(apperr.Stale, "This changed since version %d; it is now at version %d. Reload and retry.", *want, current)
	}
	return nil
}
