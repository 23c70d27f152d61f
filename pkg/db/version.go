package db

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// BumpVersion updates row id of table from version to version+1 with the columns set adds,
// failing with apperr.Stale when another writer moved the version in the meantime. Both
// services use it, so an employee's edit and a contact's approval never overwrite each other
// unseen.
func BumpVersion(ctx context.Context, tx bun.IDB, table string, id, version int64, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	q := tx.NewUpdate().Table(table).Set("version = version + 1").Where("id = ?", id).Where("version = ?", version)
	res, err := set(q).Exec(ctx)
	if err != nil {
		return apperr.Wrap(err, "update "+table)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.E(apperr.Stale, "This changed while you were editing it. Reload and retry.")
	}
	return nil
}
