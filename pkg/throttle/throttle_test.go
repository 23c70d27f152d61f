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

// TestConcurrentAttemptsCannotBeatTheLimit: 40 attempts at once let at most Max through.
func TestConcurrentAttemptsCannotBeatTheLimit(t *testing.T) {
	d := dbtest.Open(t)
	l := &throttle.Limiter{DB: d, Now: time.Now}
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed, limited := 0, 0
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := l.Begin(context.Background(), map[string]throttle.Rule{"t:victim@x.example": rule})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				passed++
			case errors.Is(err, apperr.ErrInvalid), apperr.CodeOf(err) == apperr.RateLimited:
				limited++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}()
	}
	wg.Wait()
	if passed > rule.Max || passed+limited != 40 {
		t.Fatalf("%d attempts passed, %d were limited; at most %d may pass", passed, limited, rule.Max)
	}
}

// TestSuccessIsForgotten: a success is no failure, and it clears the account's failures.
func TestSuccessIsForgotten(t *testing.T) {
	d := dbtest.Open(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	l := &throttle.Limiter{DB: d, Now: func() time.Time { return now }}
	ctx := context.Background()
	b := map[string]throttle.Rule{"t:a": rule}
	for i := 0; i < 4; i++ {
		if _, err := l.Begin(ctx, b); err != nil {
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
		if _, err := l.Begin(ctx, b); err != nil {
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
