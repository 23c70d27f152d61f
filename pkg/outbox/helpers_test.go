package outbox_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/outbox"
)

var (
	errInvalid     = &apperr.Error{Code: apperr.Invalid}
	errUnavailable = &apperr.Error{Code: apperr.Unavailable}
)

// clock is an injected time that tests move by hand.
type clock = domaintest.Clock

func newClock() *clock { return domaintest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)) }

func newWorker(t *testing.T, db *bun.DB, s outbox.Sender, c *clock, id string) *outbox.Worker {
	t.Helper()
	return &outbox.Worker{
		DB:          db,
		Sender:      s,
		Now:         c.Now,
		Log:         slog.New(slog.DiscardHandler),
		WorkerID:    id,
		Batch:       5,
		MaxAttempts: 4,
		Backoff:     outbox.ExponentialBackoff(time.Minute, time.Hour),
	}
}

func mustSMTPSender(t *testing.T, cfg outbox.SMTPConfig) *outbox.SMTPSender {
	t.Helper()
	s, err := outbox.NewSMTPSender(cfg)
	if err != nil {
		t.Fatalf("NewSMTPSender: %v", err)
	}
	return s
}

func testMessage(i int) outbox.Message {
	return outbox.Message{
		To:      fmt.Sprintf("user%d@example.org", i),
		Subject: fmt.Sprintf("Mail %d", i),
		Text:    fmt.Sprintf("Body of mail %d", i),
	}
}

func mustEnqueue(t *testing.T, db bun.IDB, m outbox.Message, now time.Time) int64 {
	t.Helper()
	id, err := outbox.Enqueue(context.Background(), db, m, now)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	return id
}

func mustRow(t *testing.T, db bun.IDB, id int64) model.OutboxEmail {
	t.Helper()
	var row model.OutboxEmail
	if err := db.NewSelect().Model(&row).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatalf("load outbox row %d: %v", id, err)
	}
	return row
}

func mustRunOnce(t *testing.T, w *outbox.Worker) (sent, failed int) {
	t.Helper()
	sent, failed, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return sent, failed
}
