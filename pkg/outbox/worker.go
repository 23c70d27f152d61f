package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
)

// Defaults for the zero fields of a Worker.
const (
	DefaultBatch = 10
	// DefaultGiveUpAfter keeps a mail going through a week of SMTP outage, however short
	// the backoff: an invitation must not be lost to a long weekend without mail. It is a
	// time and not a count of attempts, so that a faster retry (CASEROOM_OUTBOX_BACKOFF)
	// does not make mail die sooner.
	DefaultGiveUpAfter = 7 * 24 * time.Hour
	// DefaultLease outlasts a batch of DefaultBatch mails whose every connection hangs
	// until the SMTP sender's default 30-second timeout.
	DefaultLease = 15 * time.Minute
)

// DefaultBackoff waits a minute after the first failure, doubling up to an hour: ten
// attempts span about five hours, long enough to outlast a mail server's maintenance.
var DefaultBackoff = ExponentialBackoff(time.Minute, time.Hour)

// processID tells workers of different processes apart in locked_by.
var processID = func() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s-%d", host, os.Getpid())
}()

// Worker sends due outbox mail. Any number of workers may run against one database, in
// one process or many; each mail is claimed by one of them at a time.
type Worker struct {
	// DB is the database holding outbox_emails.
	DB *bun.DB
	// Sender delivers the mail (SMTPSender, or LogSender when SMTP is not configured).
	Sender Sender
	// Now is the clock; nil means time.Now. Tests move it instead of sleeping.
	Now func() time.Time
	// Log receives failures; nil means slog.Default().
	Log *slog.Logger
	// WorkerID names this worker in locked_by; "" means host and process id. Set distinct
	// ids when one process runs several workers, so that the logs tell them apart.
	WorkerID string
	// Batch is how many mails one RunOnce claims; 0 means DefaultBatch.
	Batch int
	// GiveUpAfter is how long after it was queued a mail is still retried: a failure
	// after that makes it dead. 0 means DefaultGiveUpAfter.
	GiveUpAfter time.Duration
	// MaxAttempts, when positive, also makes a mail dead after that many failures; 0 means
	// no limit on the count, so that GiveUpAfter alone decides.
	MaxAttempts int
	// Backoff is the wait after the n-th failure (n ≥ 1); nil means DefaultBackoff.
	Backoff func(attempt int) time.Duration
	// Lease is how long a claim lasts before another worker may take the mail over, as
	// after a crash. It must comfortably exceed the time to send a whole batch;
	// 0 means DefaultLease.
	Lease time.Duration
}

// settings is a Worker with its defaults filled in; RunOnce never changes the Worker.
type settings struct {
	Worker
	token string
}

func (w *Worker) settings() settings {
	s := settings{Worker: *w}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.WorkerID == "" {
		s.WorkerID = processID
	}
	if s.Batch <= 0 {
		s.Batch = DefaultBatch
	}
	if s.GiveUpAfter <= 0 {
		s.GiveUpAfter = DefaultGiveUpAfter
	}
	if s.Backoff == nil {
		s.Backoff = DefaultBackoff
	}
	if s.Lease <= 0 {
		s.Lease = DefaultLease
	}
	// Each claim gets its own token, so "still locked by me" means this very claim even
	// when two workers share an id.
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+).
	s.token = s.WorkerID + "/" + hex.EncodeToString(b)
	return s
}

// RunOnce claims up to Batch due mails, sends them, and records each outcome. It returns
// how many were sent and how many failed; err reports a database failure, after which
// the claimed rows are left to their lease.
//
// When ctx ends (the process is stopping), RunOnce sends nothing more but still records
// what it has done: a mail the server accepted is marked sent, lest it go out again once
// its lease expires, and the mails it did not get to, or whose send the stop cut off, are
// given back at once without counting an attempt.
func (w *Worker) RunOnce(ctx context.Context) (sent, failed int, err error) {
	s := w.settings()
	if s.DB == nil || s.Sender == nil {
		return 0, 0, errors.New("outbox run: Worker needs a DB and a Sender")
	}
	now := s.Now().UTC()
	until := now.Add(s.Lease)
	rows, err := claim(ctx, s.DB, now, until, s.token, s.Batch)
	if err != nil {
		return 0, 0, fmt.Errorf("outbox run %s: %w", s.token, err)
	}
	// The lease is measured on the injected clock; the real deadline keeps a hanging
	// send from outliving the lease in production, where both clocks agree.
	sendCtx, cancel := context.WithTimeout(ctx, s.Lease)
	defer cancel()
	for i, row := range rows {
		if sendCtx.Err() != nil || !s.Now().Before(until) {
			// Lease (nearly) over: leave the rest for the next claim rather than risk
			// sending a mail that another worker may already have taken over.
			return sent, failed, s.release(ctx, rows[i:])
		}
		sendErr := s.Sender.Send(sendCtx, message(row))
		if sendErr != nil && ctx.Err() != nil {
			return sent, failed, s.release(ctx, rows[i:])
		}
		if sendErr == nil {
			if err := s.markSent(ctx, row); err != nil {
				return sent + 1, failed, fmt.Errorf("outbox run %s: %w", s.token, err)
			}
			sent++
			continue
		}
		failed++
		if err := s.markFailed(ctx, row, sendErr); err != nil {
			return sent, failed, fmt.Errorf("outbox run %s: %w", s.token, err)
		}
	}
	return sent, failed, nil
}

// Run calls RunOnce every interval until ctx is done, and at once again while batches
// come back full and clean, so that a backlog drains without waiting for the ticker.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	s := w.settings()
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		for ctx.Err() == nil {
			sent, failed, err := w.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				s.Log.ErrorContext(ctx, "outbox run failed", slog.Any("error", err))
			}
			if err != nil || failed > 0 || sent < s.Batch {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

func message(row model.OutboxEmail) Message {
	return Message{
		To:      row.Recipient,
		Subject: row.Subject,
		Text:    row.BodyText,
		HTML:    row.BodyHTML,
		Key:     keyFor(row.ID, row.CreatedAt.UnixNano()),
	}
}
