package throttle_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/throttle"
)

var rule = throttle.Rule{Prefix: "t:", Max: 5, Window: 15 * time.Minute}

// TestConcurrentAttemptsCannotBeatTheLimit: 40 attempts at once let at most Max +
// PendingSlack through, and once those have failed, nothing more passes.
func TestConcurrentAttemptsCannotBeatTheLimit(t *testing.T) {
	d := dbtest.Open(t)
	l := &throttle.Limiter{DB: d, Now: time.Now}
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed, limited := 0, 0
	var attempts []*throttle.Attempt
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := l.Begin(context.Background(), map[string]throttle.Rule{"t:victim@x.example": rule})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				passed++
				attempts = append(attempts, a)
			case errors.Is(err, apperr.ErrInvalid), apperr.CodeOf(err) == apperr.RateLimited:
				limited++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	if passed > rule.Max+throttle.PendingSlack || passed+limited != 40 {
		t.Fatalf("%d attempts passed, %d were limited; at most %d may pass", passed, limited, rule.Max+throttle.PendingSlack)
	}
	for _, a := range attempts {
		if err := a.Failed(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// Fewer than Max may have passed (on PostgreSQL, attempts that count each other's rows can
	// all refuse themselves); fail one at a time up to Max failures, then nothing more passes.
	for failed := passed; failed < rule.Max; failed++ {
		a, err := l.Begin(context.Background(), map[string]throttle.Rule{"t:victim@x.example": rule})
		if err != nil {
			t.Fatalf("attempt %d of %d refused before the limit: %v", failed+1, rule.Max, err)
		}
		if err := a.Failed(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Begin(context.Background(), map[string]throttle.Rule{"t:victim@x.example": rule}); apperr.CodeOf(err) != apperr.RateLimited {
		t.Fatalf("after %d failures: %v", max(passed, rule.Max), err)
	}
}

// Right passwords sent at once are not refused for each other: eight parallel logins to one
// account all pass (the security review measured 10–14% refused when pending attempts counted
// as failures).
func TestParallelRightLoginsPass(t *testing.T) {
	d := dbtest.Open(t)
	l := &throttle.Limiter{DB: d, Now: time.Now}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := l.Begin(context.Background(), map[string]throttle.Rule{"t:busy@x.example": rule})
			if err == nil {
				err = a.Succeeded(context.Background(), "t:busy@x.example")
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestSuccessIsForgotten: a success is no failure, and it clears the account's failures.
func TestSuccessIsForgotten(t *testing.T) {
	d := dbtest.Open(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	l := &throttle.Limiter{DB: d, Now: func() time.Time { return now }}
	ctx := context.Background()
	b := map[string]throttle.Rule{"t:a": rule}
	fail := func() error {
		a, err := l.Begin(ctx, b)
		if err != nil {
			return err
		}
		return a.Failed(ctx)
	}
	for i := 0; i < 4; i++ {
		if err := fail(); err != nil {
			t.Fatal(err)
		}
	}
	a, err := l.Begin(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Succeeded(ctx, "t:a"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if err := fail(); err != nil {
			t.Fatalf("attempt %d after a success: %v", i+1, err)
		}
	}
	if _, err := l.Begin(ctx, b); apperr.CodeOf(err) != apperr.RateLimited {
		t.Fatalf("sixth failure: %v", err)
	}
	now = now.Add(16 * time.Minute) // the window passes
	if _, err := l.Begin(ctx, b); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// TestRefusalSaysWhenInWords: a refusal says in whole minutes, rounded up, when the oldest
// failure that keeps the bucket shut leaves the window, and sets Retry-After to the same.
func TestRefusalSaysWhenInWords(t *testing.T) {
	d := dbtest.Open(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	l := &throttle.Limiter{DB: d, Now: func() time.Time { return now }}
	ctx := context.Background()
	b := map[string]throttle.Rule{"t:words": rule}
	for i := 0; i < rule.Max; i++ {
		a, err := l.Begin(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Failed(ctx); err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Minute) // failures at 9:00, 9:01, … 9:04
	}
	for _, tc := range []struct {
		at     time.Time
		detail string
		retry  time.Duration
	}{
		{now, "Too many attempts. Try again in 10 minutes.", 10 * time.Minute}, // 9:05: the 9:00 failure leaves at 9:15
		{now.Add(4*time.Minute + 30*time.Second), "Too many attempts. Try again in 6 minutes.", 5*time.Minute + 30*time.Second},
		{now.Add(9*time.Minute + 20*time.Second), "Too many attempts. Try again in a minute.", 40 * time.Second},
		{now.Add(9*time.Minute + 59*time.Second + 500*time.Millisecond), "Too many attempts. Try again in a minute.", 500 * time.Millisecond},
	} {
		now = tc.at
		_, err := l.Begin(ctx, b)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.RateLimited || ae.Detail != tc.detail || ae.RetryAfter != tc.retry {
			t.Fatalf("at %s: %v (retry after %v), want %q after %v", now.Format("15:04:05.0"), err, ae.RetryAfter, tc.detail, tc.retry)
		}
	}
}

// TestClear: clearing a bucket ends its lockout at once.
func TestClear(t *testing.T) {
	d := dbtest.Open(t)
	l := &throttle.Limiter{DB: d, Now: time.Now}
	ctx := context.Background()
	b := map[string]throttle.Rule{"t:cleared": rule}
	for i := 0; i < rule.Max; i++ {
		a, err := l.Begin(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Failed(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Begin(ctx, b); apperr.CodeOf(err) != apperr.RateLimited {
		t.Fatalf("at the limit: %v", err)
	}
	if err := l.Clear(ctx, "t:cleared"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Begin(ctx, b); err != nil {
		t.Fatalf("after clearing: %v", err)
	}
}

func TestWaitMinutes(t *testing.T) {
	for d, want := range map[time.Duration]int64{0: 1, time.Second: 1, time.Minute: 1, time.Minute + time.Second: 2,
		15 * time.Minute: 15, 14*time.Minute + 1: 15} {
		if got := throttle.WaitMinutes(d); got != want {
			t.Errorf("WaitMinutes(%v) = %d, want %d", d, got, want)
		}
	}
}
