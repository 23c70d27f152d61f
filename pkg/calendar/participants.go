package calendar

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// IDs are user ids, sorted, read from a comma-separated column.
type IDs []int64

// Scan implements sql.Scanner for the participants' aggregate ("3,7", or "" for none).
func (ids *IDs) Scan(src any) error {
	var raw string
	switch v := src.(type) {
	case nil:
	case string:
		raw = v
	case []byte:
		raw = string(v)
	default:
		return fmt.Errorf("scan participant ids from %T", src)
	}
	out := IDs{}
	for _, p := range strings.Split(raw, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	*ids = out
	return nil
}

// String lists the ids as the history shows them: "3,7".
func (ids IDs) String() string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// writeParticipants replaces the stored participants of act with act.Participants.
func writeParticipants(ctx context.Context, tx bun.IDB, act *Activity) error {
	if _, err := tx.NewDelete().Model((*model.ActivityParticipant)(nil)).Where("activity_id = ?", act.ID).Exec(ctx); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("clear participants of activity %d", act.ID))
	}
	for _, id := range act.Participants {
		if _, err := tx.NewInsert().Model(&model.ActivityParticipant{ActivityID: act.ID, UserID: id}).Exec(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("add participant %d to activity %d", id, act.ID))
		}
	}
	return nil
}

// LeaveActivity removes the actor from the participants of activity id: users must name the
// actor alone, for participants only remove themselves and the owner edits the list
// (ACT-3). Errors: apperr.Forbidden, apperr.NotFound.
func (s *Service) LeaveActivity(ctx context.Context, a domain.Actor, id int64, users []int64) error {
	if len(users) != 1 || users[0] != a.User.ID {
		return apperr.E(apperr.Forbidden, "Participants can only remove themselves; the owner edits the list.").Because("ACT-3")
	}
	return s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		act, err := s.decided(ctx, tx, a, id, rights.ActivityLeave)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.ActivityParticipant)(nil)).Where("activity_id = ? AND user_id = ?", act.ID, a.User.ID).
			Exec(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("leave activity %d", act.ID))
		}
		before := activitySnapshot(act)
		act.Participants = slices.DeleteFunc(slices.Clone(act.Participants), func(u int64) bool { return u == a.User.ID })
		return s.env.Record(ctx, tx, a, history.Entry{Action: "update", ResourceType: "activities", ResourceID: act.ID,
			SubjectUserID: act.OwnerID, Changes: history.Diff(before, activitySnapshot(act))})
	})
}
