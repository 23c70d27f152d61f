package extranet

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
)

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
