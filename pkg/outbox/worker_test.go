package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/outbox"
)

func TestWorkerRetriesWhileSMTPIsDown(t *testing.T) {
	outages := []struct {
		name       string
		down, back func(*smtpServer)
	}{
		{"server refuses with 451", func(s *smtpServer) { s.Refuse(true) }, func(s *smtpServer) { s.Refuse(false) }},
		{"server stopped", (*smtpServer).Stop, (*smtpServer).Start},
	}
	for _, o := range outages {
		t.Run(o.name, func(t *testing.T) {
			db := dbtest.Open(t)
			srv := mustStartSMTP(t)
			c := newClock()
			w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "w1")
			id := mustEnqueue(t, db, testMessage(1), c.Now())

			o.down(srv)
			if sent, failed := mustRunOnce(t, w); sent != 0 || failed != 1 {
				t.Fatalf("RunOnce while down = %d sent, %d failed; want 0, 1", sent, failed)
			}
			row := mustRow(t, db, id)
			if row.Status != outbox.StatusPending || row.Attempts != 1 || row.LastError == "" || row.LockedUntil != nil {
				t.Fatalf("row after failure = %+v; want pending, 1 attempt, an error, unlocked", row)
			}
			if want := c.Now().Add(time.Minute); !row.NextAttemptAt.Equal(want) {
				t.Fatalf("next attempt at %v, want %v (first backoff)", row.NextAttemptAt, want)
			}

			o.back(srv)
			if sent, failed := mustRunOnce(t, w); sent != 0 || failed != 0 {
				t.Fatalf("RunOnce before the backoff elapsed = %d sent, %d failed; want nothing", sent, failed)
			}
			c.Add(time.Minute)
			if sent, _ := mustRunOnce(t, w); sent != 1 {
				t.Fatalf("RunOnce after the backoff sent %d, want 1", sent)
			}
			c.Add(time.Hour)
			if sent, failed := mustRunOnce(t, w); sent != 0 || failed != 0 {
				t.Fatalf("RunOnce after delivery = %d sent, %d failed; want nothing", sent, failed)
			}
			if got := len(srv.Received()); got != 1 {
				t.Fatalf("server received %d mails, want exactly 1", got)
			}
			row = mustRow(t, db, id)
			if row.Status != outbox.StatusSent || row.SentAt == nil || !row.SentAt.Equal(c.Now().Add(-time.Hour)) {
				t.Fatalf("row after delivery = %+v; want sent at the retry", row)
			}
		})
	}
}

func TestWorkerGivesUpAfterMaxAttempts(t *testing.T) {
	db := dbtest.Open(t)
	srv := mustStartSMTP(t)
	c := newClock()
	w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "w1")
	w.MaxAttempts = 3
	id := mustEnqueue(t, db, testMessage(1), c.Now())

	srv.Refuse(true)
	for attempt := 1; attempt <= 3; attempt++ {
		if _, failed := mustRunOnce(t, w); failed != 1 {
			t.Fatalf("attempt %d: failed = %d, want 1", attempt, failed)
		}
		c.Add(24 * time.Hour)
	}
	row := mustRow(t, db, id)
	if row.Status != outbox.StatusDead || row.Attempts != 3 || row.LastError == "" {
		t.Fatalf("row = %+v; want dead after 3 attempts with the last error", row)
	}

	srv.Refuse(false)
	c.Add(24 * time.Hour)
	if sent, failed := mustRunOnce(t, w); sent != 0 || failed != 0 {
		t.Fatalf("RunOnce on a dead mail = %d sent, %d failed; want nothing", sent, failed)
	}
	if got := len(srv.Received()); got != 0 {
		t.Fatalf("server received %d mails, want 0", got)
	}
}

func TestWorkerTakesOverTheMailOfACrashedWorker(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	srv := mustStartSMTP(t)
	c := newClock()
	w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "survivor")
	w.Lease = 2 * time.Minute
	id := mustEnqueue(t, db, testMessage(1), c.Now())

	// A worker claims the mail and dies before sending it.
	claimed, err := outbox.Claim(ctx, db, c.Now(), c.Now().Add(w.Lease), "crashed/1", 10)
	if err != nil || len(claimed) != 1 || claimed[0].ID != id {
		t.Fatalf("Claim = %v, %v; want the one mail", claimed, err)
	}

	t.Run("lease still live", func(t *testing.T) {
		if sent, failed := mustRunOnce(t, w); sent != 0 || failed != 0 {
			t.Fatalf("RunOnce = %d sent, %d failed; want the claimed mail left alone", sent, failed)
		}
	})
	t.Run("lease expired", func(t *testing.T) {
		c.Add(w.Lease + time.Second)
		if sent, _ := mustRunOnce(t, w); sent != 1 {
			t.Fatalf("sent = %d, want the orphaned mail", sent)
		}
		if got := len(srv.Received()); got != 1 {
			t.Fatalf("server received %d mails, want 1", got)
		}
		if row := mustRow(t, db, id); row.Status != outbox.StatusSent {
			t.Fatalf("status = %s, want sent", row.Status)
		}
	})
}

func TestConcurrentWorkersSendEachMailOnce(t *testing.T) {
	const mails = 50
	db := dbtest.Open(t)
	srv := mustStartSMTP(t)
	c := newClock()
	for i := range mails {
		mustEnqueue(t, db, testMessage(i), c.Now())
	}
	sender := mustSMTPSender(t, srv.Config())
	workers := []*outbox.Worker{newWorker(t, db, sender, c, "w1"), newWorker(t, db, sender, c, "w2")}

	var total atomic.Int64
	perWorker := make([]int, len(workers))
	errs := make(chan error, len(workers))
	var wg sync.WaitGroup
	for i, w := range workers {
		w.Batch = 3 // small batches: many claims racing for the same rows
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if total.Load() >= mails {
					return
				}
				sent, failed, err := w.RunOnce(context.Background())
				if err != nil || failed != 0 {
					errs <- fmt.Errorf("worker %d: sent %d, failed %d: %w", i, sent, failed, err)
					return
				}
				perWorker[i] += sent
				total.Add(int64(sent))
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	got := map[string]int{}
	for _, m := range srv.Received() {
		got[mustParse(t, m).Subj]++
	}
	for i := range mails {
		if n := got[testMessage(i).Subject]; n != 1 {
			t.Errorf("%q delivered %d times, want exactly once", testMessage(i).Subject, n)
		}
	}
	if len(srv.Received()) != mails || total.Load() != mails {
		t.Fatalf("server received %d, workers reported %d; want %d", len(srv.Received()), total.Load(), mails)
	}
	t.Logf("deliveries per worker: %v", perWorker)
}

func TestRunStopsWithItsContext(t *testing.T) {
	db := dbtest.Open(t)
	srv := mustStartSMTP(t)
	c := newClock()
	w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "w1")
	w.Batch = 2
	for i := range 5 {
		mustEnqueue(t, db, testMessage(i), c.Now())
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		w.Run(ctx, time.Hour) // one pass drains the backlog without waiting for the ticker
		close(done)
	}()
	deadline := time.After(10 * time.Second)
	for len(srv.Received()) < 5 {
		select {
		case <-deadline:
			t.Fatalf("Run delivered %d of 5 mails", len(srv.Received()))
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
	if err := ctx.Err(); !errors.Is(err, context.Canceled) {
		t.Fatalf("ctx.Err = %v", err)
	}
}

// A week without SMTP loses no mail, with the default backoff and with a fast one: a mail
// is given up after GiveUpAfter, not after a count of attempts that a faster retry would
// use up in hours. Once the server is back the mail goes out once.
func TestWorkerKeepsMailThroughAWeekOfOutage(t *testing.T) {
	for _, tt := range []struct {
		name    string
		backoff func(int) time.Duration
	}{
		{"default backoff", nil},
		{"backoff of a second up to ten minutes", outbox.ExponentialBackoff(time.Second, 10*time.Minute)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			db := dbtest.Open(t)
			srv := mustStartSMTP(t)
			c := newClock()
			w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "w1")
			w.MaxAttempts, w.Backoff = 0, tt.backoff
			queued := c.Now()
			id := mustEnqueue(t, db, testMessage(1), queued)

			srv.Stop()
			row := mustRow(t, db, id)
			for c.Now().Before(queued.Add(outbox.DefaultGiveUpAfter - time.Hour)) {
				c.Add(row.NextAttemptAt.Sub(c.Now()))
				if _, failed := mustRunOnce(t, w); failed != 1 {
					t.Fatalf("after %s of outage: %d failed, want the mail tried and failed", c.Now().Sub(queued), failed)
				}
				if row = mustRow(t, db, id); row.Status != outbox.StatusPending {
					t.Fatalf("after %s of outage and %d attempts the mail is %s, want pending", c.Now().Sub(queued), row.Attempts, row.Status)
				}
			}
			t.Logf("%d attempts in %s of outage", row.Attempts, c.Now().Sub(queued).Round(time.Minute))

			srv.Start()
			c.Add(row.NextAttemptAt.Sub(c.Now()))
			if sent, _ := mustRunOnce(t, w); sent != 1 {
				t.Fatalf("sent %d once the server was back, want 1", sent)
			}
			c.Add(time.Hour)
			mustRunOnce(t, w)
			if got := len(srv.Received()); got != 1 {
				t.Fatalf("server received %d mails, want exactly 1", got)
			}
		})
	}
}

func TestWorkerGivesUpAfterGiveUpAfter(t *testing.T) {
	db := dbtest.Open(t)
	srv := mustStartSMTP(t)
	c := newClock()
	w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "w1")
	w.MaxAttempts, w.GiveUpAfter = 0, 3*time.Hour
	queued := c.Now()
	id := mustEnqueue(t, db, testMessage(1), queued)

	srv.Refuse(true)
	for {
		if _, failed := mustRunOnce(t, w); failed != 1 {
			t.Fatalf("after %s: %d failed, want 1", c.Now().Sub(queued), failed)
		}
		row := mustRow(t, db, id)
		if before := c.Now().Before(queued.Add(w.GiveUpAfter)); before != (row.Status == outbox.StatusPending) {
			t.Fatalf("after %s and %d attempts the mail is %s", c.Now().Sub(queued), row.Attempts, row.Status)
		}
		if row.Status == outbox.StatusDead {
			break
		}
		c.Add(row.NextAttemptAt.Sub(c.Now()))
	}
}

// stoppingSender stops its worker while a mail is being sent, as SIGTERM does: it cancels
// the run's context after (or instead of) handing the mail to the server.
type stoppingSender struct {
	cancel  context.CancelFunc
	deliver outbox.Sender // nil: the stop cuts the send off
}

func (s stoppingSender) Send(ctx context.Context, m outbox.Message) error {
	var err error
	if s.deliver != nil {
		err = s.deliver.Send(ctx, m)
	}
	s.cancel()
	if s.deliver == nil {
		return ctx.Err()
	}
	return err
}

// A worker stopped mid-batch records what it did, so that a rolling restart neither sends
// a mail twice nor leaves mail locked for a whole lease.
func TestWorkerStoppedWhileSending(t *testing.T) {
	t.Run("a mail the server accepted is marked sent", func(t *testing.T) {
		db := dbtest.Open(t)
		srv := mustStartSMTP(t)
		c := newClock()
		ctx, cancel := context.WithCancel(context.Background())
		w := newWorker(t, db, stoppingSender{cancel: cancel, deliver: mustSMTPSender(t, srv.Config())}, c, "w1")
		first, second := mustEnqueue(t, db, testMessage(1), c.Now()), mustEnqueue(t, db, testMessage(2), c.Now())
		if sent, failed, err := w.RunOnce(ctx); sent != 1 || failed != 0 || err != nil {
			t.Fatalf("RunOnce = %d sent, %d failed, %v; want the first sent and the stop honoured", sent, failed, err)
		}
		if row := mustRow(t, db, first); row.Status != outbox.StatusSent {
			t.Fatalf("the delivered mail is %s, want sent", row.Status)
		}
		if row := mustRow(t, db, second); row.Status != outbox.StatusPending || row.LockedUntil != nil || row.Attempts != 0 {
			t.Fatalf("the mail not yet sent = %+v, want pending, given back, no attempt", row)
		}
		c.Add(outbox.DefaultLease + time.Minute)
		w.Sender = mustSMTPSender(t, srv.Config())
		mustRunOnce(t, w)
		if got := len(srv.Received()); got != 2 {
			t.Fatalf("server received %d mails, want 2 (each once)", got)
		}
	})
	t.Run("a send cut off is given back without counting an attempt", func(t *testing.T) {
		db := dbtest.Open(t)
		c := newClock()
		ctx, cancel := context.WithCancel(context.Background())
		w := newWorker(t, db, stoppingSender{cancel: cancel}, c, "w1")
		id := mustEnqueue(t, db, testMessage(1), c.Now())
		if sent, failed, err := w.RunOnce(ctx); sent != 0 || failed != 0 || err != nil {
			t.Fatalf("RunOnce = %d sent, %d failed, %v; want nothing recorded", sent, failed, err)
		}
		if row := mustRow(t, db, id); row.Status != outbox.StatusPending || row.LockedUntil != nil || row.Attempts != 0 {
			t.Fatalf("row = %+v, want pending, given back, no attempt", row)
		}
	})
}
