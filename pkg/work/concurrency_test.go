package work_test

import (
	"context"
	"sync"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/work"
)

// concurrently runs fn n times at once and returns the errors, one per call.
func concurrently(n int, fn func() error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn()
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// historyOf counts the change-history entries of one work hour.
func historyOf(t *testing.T, env domain.Env, id int64) int {
	t.Helper()
	n, err := env.DB.NewSelect().Model((*model.ChangeRecord)(nil)).Where("resource_type = 'work-hours' AND resource_id = ?", id).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// 50 approvals of one hour at once leave it approved once, with one history entry: each
// decision runs in the one write path (domain.Save), whose versioned UPDATE lets one writer
// win; the others find it decided already, or lost the race (apperr.Stale), and write nothing.
func TestConcurrentApprovalsLeaveOne(t *testing.T) {
	env := domaintest.Open(t)
	svc := work.New(env)
	carl := domaintest.Employee(t, env.DB, "carl")
	h := hourOf(t, env, "erik", strategy, false)
	before := historyOf(t, env, h.ID)
	errs := concurrently(50, func() error {
		_, err := svc.DecideHour(context.Background(), carl, h.ID, true, "", domain.AnyVersion)
		return err
	})
	for _, err := range errs {
		if err != nil && apperr.CodeOf(err) != apperr.Stale {
			t.Fatalf("a concurrent approval failed: %v", err)
		}
	}
	after, err := svc.Hour(context.Background(), carl, h.ID)
	mustOK(t, err)
	if after.ApprovalStatus != domain.Approved || after.Version != h.Version+1 {
		t.Fatalf("after 50 approvals: %s at version %d (was %d)", after.ApprovalStatus, after.Version, h.Version)
	}
	if n := historyOf(t, env, h.ID) - before; n != 1 {
		t.Fatalf("%d history entries, want 1", n)
	}
}

// 50 edits carrying the same version: one wins, the other 49 are told the entry changed
// (apperr.Stale, 412) and change nothing.
func TestConcurrentEditsOneWinner(t *testing.T) {
	env := domaintest.Open(t)
	svc := work.New(env)
	erik := domaintest.Employee(t, env.DB, "erik")
	h := hourOf(t, env, "erik", strategy, false)
	var mu sync.Mutex
	minutes, won := 0, 0
	next := 0
	errs := concurrently(50, func() error {
		mu.Lock()
		next++
		m := 10 + next
		mu.Unlock()
		got, err := svc.UpdateHour(context.Background(), erik, h.ID, work.HourInput{Minutes: &m}, domain.Version(h.Version))
		if err == nil {
			mu.Lock()
			minutes, won = got.Minutes, won+1
			mu.Unlock()
		}
		return err
	})
	stale := 0
	for _, err := range errs {
		switch {
		case err == nil:
		case apperr.CodeOf(err) == apperr.Stale:
			stale++
		default:
			t.Fatalf("a concurrent edit failed: %v", err)
		}
	}
	if won != 1 || stale != 49 {
		t.Fatalf("%d edits won and %d were stale, want 1 and 49", won, stale)
	}
	after, err := svc.Hour(context.Background(), erik, h.ID)
	mustOK(t, err)
	if after.Minutes != minutes || after.Version != h.Version+1 {
		t.Fatalf("stored %d minutes at version %d; the winner wrote %d", after.Minutes, after.Version, minutes)
	}
}
