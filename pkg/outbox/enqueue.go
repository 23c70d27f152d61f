package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
)

// Enqueue stores m as a pending mail, due at now, and returns its outbox id.
//
// Pass the transaction of the change that causes the mail: the mail then commits or rolls
// back with it, and nothing is sent for a change that did not happen. It returns
// apperr.Invalid for a message that could never be sent.
func Enqueue(ctx context.Context, db bun.IDB, m Message, now time.Time) (int64, error) {
	if err := m.Validate(); err != nil {
		return 0, fmt.Errorf("enqueue mail: %w", err)
	}
	now = now.UTC()
	row := &model.OutboxEmail{
		Recipient:     m.To,
		Subject:       m.Subject,
		BodyText:      m.Text,
		BodyHTML:      m.HTML,
		Status:        StatusPending,
		NextAttemptAt: now,
		CreatedAt:     now,
	}
	if _, err := db.NewInsert().Model(row).Exec(ctx); err != nil {
		return 0, fmt.Errorf("enqueue mail: %w", err)
	}
	return row.ID, nil
}
