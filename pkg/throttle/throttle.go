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

// Rule is one limit: at most Max failures per Window in buckets with this Prefix.
type Rule struct {
	Prefix string
	Max    int
	Window time.Duration
}

// Limiter checks and records failed attempts.
type Limiter struct {
	DB  bun.IDB
	Now func() time.Time
}

// Check returns a RateLimited error when any bucket has reached its rule's maximum.
func (l *Limiter) Check(ctx context.Context, buckets map[string]Rule) error {
	now := l.Now()
	for bucket, rule := range buckets {
		n, err := l.DB.NewSelect().Model((*model.LoginAttempt)(nil)).
			Where("bucket = ?", bucket).Where("attempted_at > ?", now.Add(-rule.Window)).Count(ctx)
		if err != nil {
			return apperr.Wrap(err, "count login attempts")
		}
		if n >= int64(rule.Max) {
			return apperr.E(apperr.RateLimited, "Too many failed attempts. Try again in %s.", rule.Window)
		}
	}
	return nil
}

// Fail records one failed attempt in every bucket and prunes entries older than a day.
func (l *Limiter) Fail(ctx context.Context, buckets map[string]Rule) error {
	now := l.Now()
	for bucket := range buckets {
		if _, err := l.DB.NewInsert().Model(&model.LoginAttempt{Bucket: bucket, AttemptedAt: now}).Exec(ctx); err != nil {
			return apperr.Wrap(err, "record login attempt")
		}
	}
	if _, err := l.DB.NewDelete().Model((*model.LoginAttempt)(nil)).
		Where("attempted_at < ?", now.Add(-24*time.Hour)).Exec(ctx); err != nil {
		return apperr.Wrap(err, "prune login attempts")
	}
	return nil
}

// Reset forgets the failures of one bucket (an account after a successful login).
func (l *Limiter) Reset(ctx context.Context, bucket string) error {
	if _, err := l.DB.NewDelete().Model((*model.LoginAttempt)(nil)).Where("bucket = ?", bucket).Exec(ctx); err != nil {
		return fmt.Errorf("reset login attempts: %w", err)
	}
	return nil
}
