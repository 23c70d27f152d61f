// Package throttle limits login attempts per account and per client address. Attempts are
// rows in the shared database, so the limit holds across every replica of a service.
package throttle

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/model"
)

// Rule is one limit: at most Max attempts per Window in buckets with this Prefix.
type Rule struct {
	Prefix string
	Max    int
	Window time.Duration
}

// Limiter records and counts attempts.
type Limiter struct {
	DB  bun.IDB
	Now func() time.Time
}

// Attempt is one recorded try, counted until it is forgotten.
type Attempt struct {
	l   *Limiter
	ids []int64
}

// maxBucket bounds a bucket name: an email is at most 254 characters (RFC 5321), and a longer
// value must not fill the table with one huge row per attempt.
const maxBucket = 300

// Begin records one attempt in every bucket first and counts afterwards, so that attempts
// sent at the same moment cannot all pass a count made before any of them was recorded: the
// k-th attempt to be recorded sees at least k. When any bucket then holds more than its
// rule's maximum within the window, Begin fails with apperr.RateLimited and the refused
// attempt is not counted. Old rows are pruned on the way.
func (l *Limiter) Begin(ctx context.Context, buckets map[string]Rule) (*Attempt, error) {
	now := l.Now()
	a := &Attempt{l: l}
	for bucket := range buckets {
		if len(bucket) > maxBucket {
			bucket = bucket[:maxBucket]
		}
		row := &model.LoginAttempt{Bucket: bucket, AttemptedAt: now}
		if _, err := l.DB.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return nil, apperr.Wrap(err, "record login attempt")
		}
		a.ids = append(a.ids, row.ID)
	}
	for bucket, rule := range buckets {
		if len(bucket) > maxBucket {
			bucket = bucket[:maxBucket]
		}
		n, err := l.DB.NewSelect().Model((*model.LoginAttempt)(nil)).
			Where("bucket = ?", bucket).Where("attempted_at > ?", now.Add(-rule.Window)).Count(ctx)
		if err != nil {
			return nil, apperr.Wrap(err, "count login attempts")
		}
		if n > int64(rule.Max) {
			// A refused attempt was never tried, so it does not count. Removing it after the
			// count keeps the guarantee: every attempt that passed keeps its row, so of any
			// Max+1 that pass together, the last to count would have seen Max+1 rows.
			if err := a.Succeeded(ctx); err != nil {
				return nil, apperr.Wrap(err, "forget refused attempt")
			}
			refused := apperr.E(apperr.RateLimited, "Too many attempts. Try again in %s.", rule.Window)
			refused.RetryAfter = rule.Window
			return nil, refused
		}
	}
	if _, err := l.DB.NewDelete().Model((*model.LoginAttempt)(nil)).Where("attempted_at < ?", now.Add(-24*time.Hour)).Exec(ctx); err != nil {
		return nil, apperr.Wrap(err, "prune login attempts")
	}
	return a, nil
}

// Succeeded forgets this attempt (a success is no failure) and clears the named buckets, such
// as the account's earlier failures after a right password. A failed attempt is simply left
// counted.
func (a *Attempt) Succeeded(ctx context.Context, clear ...string) error {
	if len(a.ids) > 0 {
		if _, err := a.l.DB.NewDelete().Model((*model.LoginAttempt)(nil)).Where("id IN (?)", bun.In(a.ids)).Exec(ctx); err != nil {
			return fmt.Errorf("forget login attempt: %w", err)
		}
	}
	for _, bucket := range clear {
		if len(bucket) > maxBucket {
			bucket = bucket[:maxBucket]
		}
		if _, err := a.l.DB.NewDelete().Model((*model.LoginAttempt)(nil)).Where("bucket = ?", bucket).Exec(ctx); err != nil {
			return fmt.Errorf("reset login attempts: %w", err)
		}
	}
	return nil
}
