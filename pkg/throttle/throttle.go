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

// PendingSlack is how many attempts may be in progress on a bucket beyond its rule's
// maximum: attempts that have not failed (yet) still count, so that many sent at once cannot
// all pass, but a burst of right passwords (8 parallel logins to one account) is not refused
// for the attempts of its own that are still being checked.
const PendingSlack = 8

// Begin records one attempt in every bucket first and counts afterwards, so that attempts
// sent at the same moment cannot all pass a count made before any of them was recorded: the
// k-th attempt to be recorded sees at least k. A bucket refuses (Refusal: apperr.RateLimited
// saying when to try again, in words and as RetryAfter) when it holds its rule's maximum of failed attempts within the window, or more
// than maximum + PendingSlack attempts of any outcome; so at most Max + PendingSlack guesses
// pass in a window, however many run at once. The refused attempt is not counted. Old rows
// are pruned on the way. The caller ends the attempt with Failed or Succeeded.
func (l *Limiter) Begin(ctx context.Context, buckets map[string]Rule) (*Attempt, error) {
	now := l.Now()
	a := &Attempt{l: l}
	for bucket := range buckets {
		row := &model.LoginAttempt{Bucket: trimBucket(bucket), AttemptedAt: now}
		if _, err := l.DB.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
			return nil, apperr.Wrap(err, "record login attempt")
		}
		a.ids = append(a.ids, row.ID)
	}
	for bucket, rule := range buckets {
		var counts struct {
			All    int64 `bun:"all_attempts"`
			Failed int64 `bun:"failed_attempts"`
		}
		err := l.DB.NewSelect().Model((*model.LoginAttempt)(nil)).
			ColumnExpr("COUNT(*) AS all_attempts").ColumnExpr("COALESCE(SUM(CASE WHEN failed THEN 1 ELSE 0 END), 0) AS failed_attempts").
			Where("bucket = ?", trimBucket(bucket)).Where("attempted_at > ?", now.Add(-rule.Window)).Scan(ctx, &counts)
		if err != nil {
			return nil, apperr.Wrap(err, "count login attempts")
		}
		if counts.Failed >= int64(rule.Max) || counts.All > int64(rule.Max+PendingSlack) {
			// A refused attempt was never tried, so it does not count. Removing it after the
			// count keeps the guarantee: every attempt that passed keeps its row.
			if err := a.Succeeded(ctx); err != nil {
				return nil, apperr.Wrap(err, "forget refused attempt")
			}
			wait, err := l.wait(ctx, bucket, rule, now, counts.Failed, counts.All)
			if err != nil {
				return nil, err
			}
			return nil, Refusal(wait)
		}
	}
	if _, err := l.DB.NewDelete().Model((*model.LoginAttempt)(nil)).Where("attempted_at < ?", now.Add(-24*time.Hour)).Exec(ctx); err != nil {
		return nil, apperr.Wrap(err, "prune login attempts")
	}
	return a, nil
}

// Failed marks this attempt as a failure: it counts against the rule's maximum for the rest
// of the window.
func (a *Attempt) Failed(ctx context.Context) error {
	if len(a.ids) == 0 {
		return nil
	}
	if _, err := a.l.DB.NewUpdate().Model((*model.LoginAttempt)(nil)).Set("failed = ?", true).Where("id IN (?)", bun.In(a.ids)).Exec(ctx); err != nil {
		return fmt.Errorf("record failed login attempt: %w", err)
	}
	return nil
}

// Refusal is the answer of a bucket at its limit: apperr.RateLimited, saying in words when
// to try again, with RetryAfter set to wait.
func Refusal(wait time.Duration) *apperr.Error {
	when := "in a minute"
	if n := WaitMinutes(wait); n > 1 {
		when = fmt.Sprintf("in %d minutes", n)
	}
	refused := apperr.E(apperr.RateLimited, "Too many attempts. Try again %s.", when)
	refused.RetryAfter = wait
	return refused
}

// WaitMinutes is a wait in whole minutes, rounded up and at least one: what a person is
// told to wait ("in 15 minutes", "in a minute").
func WaitMinutes(wait time.Duration) int64 {
	return max(1, int64((wait+time.Minute-1)/time.Minute))
}

// wait is how long a refusing bucket keeps refusing: until enough of its oldest attempts
// have left the window that it holds fewer than the rule's maximum of failures and no more
// than the maximum plus PendingSlack of all attempts. It is at most the window.
func (l *Limiter) wait(ctx context.Context, bucket string, rule Rule, now time.Time, failed, all int64) (time.Duration, error) {
	wait := time.Duration(0)
	leaves := func(onlyFailed bool, skip int64) error {
		if skip < 0 {
			return nil
		}
		var oldest []model.LoginAttempt
		q := l.DB.NewSelect().Model(&oldest).Column("attempted_at").Where("bucket = ?", trimBucket(bucket)).
			Where("attempted_at > ?", now.Add(-rule.Window)).OrderExpr("attempted_at, id").Offset(skip).Limit(1)
		if onlyFailed {
			q = q.Where("failed")
		}
		if err := q.Scan(ctx); err != nil {
			return apperr.Wrap(err, "find when login attempts expire")
		}
		if len(oldest) == 1 {
			wait = max(wait, oldest[0].AttemptedAt.Add(rule.Window).Sub(now))
		}
		return nil
	}
	if err := leaves(true, failed-int64(rule.Max)); err != nil {
		return 0, err
	}
	// all counted the refused attempt's own row, which is gone now: of the all-1 left, the
	// oldest all-limit must leave before a new attempt is counted within the limit.
	if err := leaves(false, all-int64(rule.Max+PendingSlack)-1); err != nil {
		return 0, err
	}
	if wait <= 0 || wait > rule.Window {
		wait = rule.Window
	}
	return wait, nil
}

// Clear forgets every attempt in the named buckets, as when a person proves who they are
// another way (a password reset ends the lockout of their address).
func (l *Limiter) Clear(ctx context.Context, buckets ...string) error {
	for _, bucket := range buckets {
		if _, err := l.DB.NewDelete().Model((*model.LoginAttempt)(nil)).Where("bucket = ?", trimBucket(bucket)).Exec(ctx); err != nil {
			return fmt.Errorf("clear login attempts: %w", err)
		}
	}
	return nil
}

func trimBucket(bucket string) string {
	if len(bucket) > maxBucket {
		return bucket[:maxBucket]
	}
	return bucket
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
		if _, err := a.l.DB.NewDelete().Model((*model.LoginAttempt)(nil)).Where("bucket = ?", trimBucket(bucket)).Exec(ctx); err != nil {
			return fmt.Errorf("reset login attempts: %w", err)
		}
	}
	return nil
}
