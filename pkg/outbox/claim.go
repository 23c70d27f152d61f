package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/model"
)

// maxErrorLen bounds last_error; a server's error text is for diagnosis, not storage.
const maxErrorLen = 1000

// recordTimeout bounds recording an outcome, which goes on after the run's context has
// ended: a mail the server accepted must be marked sent even while the process stops.
const recordTimeout = 5 * time.Second

// dueWhere selects mails that are due and not under a live lease. Times are compared as
// bun formats them (UTC, one layout), which orders correctly on SQLite's text timestamps.
const dueWhere = `status = 'pending' AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)`

// claim leases up to n due mails to token until the given time and returns them.
func claim(ctx context.Context, idb *bun.DB, now, until time.Time, token string, n int) ([]model.OutboxEmail, error) {
	var rows []model.OutboxEmail
	if db.IsPostgres(idb) {
		// Concurrent workers skip each other's rows instead of waiting on them; the row
		// locks last only for this short transaction, the lease for the send.
		err := idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			var ids []int64
			if err := tx.NewRaw(`SELECT id FROM outbox_emails WHERE `+dueWhere+
				` ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`, now, now, n).
				Scan(ctx, &ids); err != nil {
				return fmt.Errorf("select due mails: %w", err)
			}
			if len(ids) == 0 {
				return nil
			}
			return tx.NewRaw(`UPDATE outbox_emails SET locked_until = ?, locked_by = ? WHERE id IN (?)
				RETURNING id, recipient, subject, body_text, body_html, attempts, created_at, locked_until`,
				until, token, bun.In(ids)).Scan(ctx, &rows)
		})
		if err != nil {
			return nil, fmt.Errorf("claim mails: %w", err)
		}
		return rows, nil
	}
	// SQLite has one writer, so a single UPDATE is the whole claim: no other statement
	// can run between choosing the rows and leasing them.
	err := idb.NewRaw(`UPDATE outbox_emails SET locked_until = ?, locked_by = ?
		WHERE id IN (SELECT id FROM outbox_emails WHERE `+dueWhere+` ORDER BY next_attempt_at, id LIMIT ?)
		RETURNING id, recipient, subject, body_text, body_html, attempts, created_at, locked_until`,
		until, token, now, now, n).Scan(ctx, &rows)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("claim mails: %w", err)
	}
	return rows, nil
}

// markSent records a delivery, but only for the claim that made it.
func (s settings) markSent(ctx context.Context, row model.OutboxEmail) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	res, err := s.DB.NewRaw(`UPDATE outbox_emails SET status = 'sent', sent_at = ?, locked_until = NULL
		WHERE id = ? AND locked_by = ? AND status = 'pending'`, s.Now().UTC(), row.ID, s.token).Exec(ctx)
	if err != nil {
		return fmt.Errorf("mark mail %d sent: %w", row.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// Only possible when the send outlasted the lease and another worker took over.
		s.Log.WarnContext(ctx, "outbox mail sent after its lease was taken over; it may arrive twice",
			slog.Int64("id", row.ID), slog.String("worker", s.token))
	}
	return nil
}

// markFailed records a failed attempt and schedules the next one, or gives up: once the
// mail was queued GiveUpAfter ago, or has failed MaxAttempts times when that is set.
func (s settings) markFailed(ctx context.Context, row model.OutboxEmail, sendErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	attempts := row.Attempts + 1
	status := StatusPending
	if !s.Now().Before(row.CreatedAt.Add(s.GiveUpAfter)) || (s.MaxAttempts > 0 && attempts >= s.MaxAttempts) {
		status = StatusDead
	}
	msg := sendErr.Error()
	if len(msg) > maxErrorLen {
		msg = msg[:maxErrorLen]
	}
	next := s.Now().UTC().Add(s.Backoff(attempts))
	_, err := s.DB.NewRaw(`UPDATE outbox_emails SET attempts = ?, last_error = ?, next_attempt_at = ?,
		status = ?, locked_until = NULL WHERE id = ? AND locked_by = ? AND status = 'pending'`,
		attempts, msg, next, status, row.ID, s.token).Exec(ctx)
	if err != nil {
		return fmt.Errorf("record failure of mail %d: %w", row.ID, err)
	}
	level := slog.LevelWarn
	if status == StatusDead {
		level = slog.LevelError
	}
	s.Log.Log(ctx, level, "outbox mail not sent", slog.Int64("id", row.ID), slog.Int("attempts", attempts),
		slog.String("status", status), slog.Time("next_attempt_at", next), slog.Any("error", sendErr))
	return nil
}

// release gives unsent rows of this claim back at once instead of at lease expiry.
func (s settings) release(ctx context.Context, rows []model.OutboxEmail) error {
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	// The run may have been cancelled; the release is still worth a few seconds.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if _, err := s.DB.NewRaw(`UPDATE outbox_emails SET locked_until = NULL WHERE id IN (?) AND locked_by = ?`,
		bun.In(ids), s.token).Exec(ctx); err != nil {
		return fmt.Errorf("release %d mails: %w", len(ids), err)
	}
	return nil
}
