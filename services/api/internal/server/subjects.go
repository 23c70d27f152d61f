package server

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
)

// bumpRightsEpoch moves the rights epoch inside tx. Every handler whose transaction writes
// what a subject is built from (users, business units, profiles, overrides, case members,
// settings, invoice statuses) calls it after its writes, so that the change and the new
// epoch commit together and every replica rebuilds its subjects on the next request (PRF-6).
func bumpRightsEpoch(ctx context.Context, tx bun.IDB) error {
	if err := access.Bump(ctx, tx); err != nil {
		return apperr.Wrap(err, "record a rights change")
	}
	return nil
}
