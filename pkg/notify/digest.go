package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/notice"
)

// Defaults of a Worker.
const (
	// DefaultInterval is how often a Worker looks for due digests: a digest leaves at most
	// this long after it is due.
	DefaultInterval = 30 * time.Second
	// DefaultBatch is how many recipients one run serves.
	DefaultBatch = 50
	// DefaultDigestMinutes is the interval of a firm whose settings say none.
	DefaultDigestMinutes = 15
)

// How long what was sent is kept: sent news for a look at what a digest said, the links
// of old mails so that they still work for a year.
const (
	keepSentNews = 30 * 24 * time.Hour
	keepTokens   = 366 * 24 * time.Hour
)

// Worker sends the digests. Any number of workers may run against one database, in every
// replica of both services: each recipient's news is claimed by one of them at a time.
type Worker struct {
	DB *bun.DB
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives failures; nil means slog.Default().
	Log *slog.Logger
	// PortalURL is the portal's public address, for the links in the mails.
	PortalURL string
	// AppURL is the firm's app's public address (the API's, which serves it at /app), for
	// the link in employees' digests; "" means their digests carry none.
	AppURL string
	// Batch is how many recipients one RunOnce serves; 0 means DefaultBatch.
	Batch int
}

func (w *Worker) now() time.Time {
	if w.Now == nil {
		return time.Now().UTC()
	}
	return w.Now().UTC()
}

func (w *Worker) log() *slog.Logger {
	if w.Log == nil {
		return slog.Default()
	}
	return w.Log
}

// recipient is whom a digest goes to: an employee or a contact.
type recipient struct {
	UserID    *int64 `bun:"recipient_user_id"`
	ContactID *int64 `bun:"recipient_contact_id"`
}

func (r recipient) String() string {
	if r.UserID != nil {
		return fmt.Sprintf("user %d", *r.UserID)
	}
	return fmt.Sprintf("contact %d", *r.ContactID)
}

// where limits a query of news_items to the recipient's.
func (r recipient) where(q *bun.SelectQuery) *bun.SelectQuery {
	if r.UserID != nil {
		return q.Where("recipient_user_id = ?", *r.UserID)
	}
	return q.Where("recipient_contact_id = ?", *r.ContactID)
}

// RunOnce sends the digest of every recipient whose oldest unsent news has waited the
// firm's interval (settings.digest_minutes), up to Batch of them, and returns how many
// mails it queued.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	if w.DB == nil {
		return 0, errors.New("digest run: Worker needs a DB")
	}
	now := w.now()
	s, err := access.LoadSettings(ctx, w.DB)
	if err != nil {
		return 0, fmt.Errorf("digest run: %w", err)
	}
	if s.DigestMinutes <= 0 {
		s.DigestMinutes = DefaultDigestMinutes
	}
	cutoff := now.Add(-time.Duration(s.DigestMinutes) * time.Minute)
	batch := w.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	var due []recipient
	if err := w.DB.NewSelect().TableExpr("news_items").ColumnExpr("recipient_user_id, recipient_contact_id").
		Where("sent_at IS NULL").GroupExpr("recipient_user_id, recipient_contact_id").Having("MIN(created_at) <= ?", cutoff).
		OrderExpr("MIN(created_at)").Limit(int64(batch)).Scan(ctx, &due); err != nil {
		return 0, fmt.Errorf("digest run: find due news: %w", err)
	}
	d := digest{w: w, brand: notice.BrandOf(s), minutes: s.DigestMinutes, cutoff: cutoff, now: now}
	mails := 0
	for _, r := range due {
		sent, err := d.deliver(ctx, r)
		if err != nil {
			return mails, fmt.Errorf("digest run: %w", err)
		}
		if sent {
			mails++
		}
	}
	if mails > 0 {
		w.purge(ctx, now)
	}
	return mails, nil
}

// Run calls RunOnce every interval until ctx is done.
func (w *Worker) Run(ctx context.Context, interval time.Duration) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.log().ErrorContext(ctx, "digest run failed", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// digest is one run's view of the firm: its brand, interval and clock.
type digest struct {
	w       *Worker
	brand   notice.Brand
	minutes int
	cutoff  time.Time
	now     time.Time
}

// deliver claims the recipient's unsent news and, when the oldest of it is due, queues one
// mail with all of it and marks it sent, in one transaction. On PostgreSQL the claim is a
// row lock that concurrent workers skip (FOR UPDATE SKIP LOCKED): a second worker finds
// nothing, or only news that came after the claim and is not due yet; a worker that could
// lock only part of the unsent news leaves all of it, so one recipient's news is never split
// between two mails. On SQLite the transaction takes the one write lock at its start
// (_txlock=immediate), so claims run one after the other and the second finds the news sent.
func (d digest) deliver(ctx context.Context, r recipient) (sent bool, err error) {
	err = d.w.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var items []item
		q := r.where(tx.NewSelect().Model(&items).Where("sent_at IS NULL")).OrderExpr("id")
		pg := db.IsPostgres(tx)
		if pg {
			q = q.For("UPDATE SKIP LOCKED")
		}
		if err := q.Scan(ctx); err != nil {
			return apperr.Wrap(err, "claim news of "+r.String())
		}
		if len(items) == 0 || oldest(items).After(d.cutoff) {
			return nil
		}
		if pg {
			// Two workers that scan at once may each lock a part of the news. Then neither
			// has all of it: both leave it, and a later run sends it in one mail.
			unsent, err := r.where(tx.NewSelect().TableExpr("news_items").Where("sent_at IS NULL")).Count(ctx)
			if err != nil {
				return apperr.Wrap(err, "count the news of "+r.String())
			}
			if unsent > int64(len(items)) {
				return nil
			}
		}
		m, ok, err := d.compose(ctx, tx, r, items)
		if err != nil {
			return err
		}
		if ok {
			switch err := notice.Send(ctx, tx, m.Mail, m.Locale, d.brand, d.now); apperr.CodeOf(err) {
			case apperr.Invalid: // an address no server takes: retrying would fail forever
				d.w.log().WarnContext(ctx, "digest not sent", slog.String("to", r.String()), slog.Any("error", err))
			default:
				if err != nil {
					return err
				}
				sent = true
			}
		}
		return markSent(ctx, tx, items, d.now)
	})
	return sent, err
}

func oldest(items []item) time.Time {
	t := items[0].CreatedAt
	for _, it := range items[1:] {
		if it.CreatedAt.Before(t) {
			t = it.CreatedAt
		}
	}
	return t
}

func markSent(ctx context.Context, tx bun.IDB, items []item, now time.Time) error {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	if _, err := tx.NewUpdate().Model((*item)(nil)).Set("sent_at = ?", now).Where("id IN (?)", bun.In(ids)).
		Where("sent_at IS NULL").Exec(ctx); err != nil {
		return apperr.Wrap(err, "mark news sent")
	}
	return nil
}

// purge forgets news sent long ago and the links of very old mails. It is housekeeping: a
// failure is logged and tried again after the next mail.
func (w *Worker) purge(ctx context.Context, now time.Time) {
	if _, err := w.DB.NewDelete().Model((*item)(nil)).Where("sent_at < ?", now.Add(-keepSentNews)).Exec(ctx); err != nil {
		w.log().WarnContext(ctx, "purge sent news", slog.Any("error", err))
	}
	if _, err := w.DB.NewDelete().TableExpr("unsubscribe_tokens").Where("created_at < ?", now.Add(-keepTokens)).Exec(ctx); err != nil {
		w.log().WarnContext(ctx, "purge unsubscribe links", slog.Any("error", err))
	}
}
