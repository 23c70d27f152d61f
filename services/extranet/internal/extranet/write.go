package extranet

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
)

// bumpVersion updates row id of table from version to version+1 with set, failing with
// apperr.Stale if another writer moved the version meanwhile. The internal API uses the
// same version column, so an employee's PATCH holding the old version then gets 412.
func bumpVersion(ctx context.Context, tx bun.IDB, table string, id, version int64, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	q := tx.NewUpdate().Table(table).Set("version = version + 1").Where("id = ?", id).Where("version = ?", version)
	res, err := set(q).Exec(ctx)
	if err != nil {
		return apperr.Wrap(err, "update "+table)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.E(apperr.Stale, "This changed while you were looking at it. Reload and retry.")
	}
	return nil
}

// record writes one change-history entry (action "create" or "update") done by the
// contact (EXT-7). An update without changes records nothing.
func (s *Service) record(ctx context.Context, tx bun.IDB, who *Contact, action, resource string, id, caseID int64, changes map[string]history.Change) error {
	err := history.Record(ctx, tx, s.now(), history.Entry{Actor: history.Actor{ContactID: who.ID}, Action: action,
		ResourceType: resource, ResourceID: id, CaseID: caseID, Changes: changes})
	if err != nil {
		return apperr.Wrap(err, "record change")
	}
	return nil
}
