package soak

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testInvites shares n new cases with n new contacts, four requests at a time through the
// API's balancer, while the outbox workers of all four replicas run: each invitation is
// written to the outbox in its share's transaction, and the workers claim rows with FOR
// UPDATE SKIP LOCKED, so the SMTP server must receive exactly n mails, one per contact.
func testInvites(t *testing.T, st *stack, fx *fixture, n int) (sent, delivered int) {
	api := st.lb.apiURL + "/api/v1"
	run := randomHex(3)
	emails := make([]string, n)
	contacts, cases := make([]string, n), make([]string, n)
	began := time.Now()
	parallel(t, n, 4, func(i int) error {
		emails[i] = fmt.Sprintf("soak-%s-%03d@acme.example", run, i)
		r, err := send("POST", api+"/contacts", fx.carl, resource("contacts", "", map[string]any{"firstName": "Soak",
			"lastName": fmt.Sprintf("Contact %03d", i), "email": emails[i]}, map[string]any{"account": rel("accounts", fx.accountID)}))
		if err != nil || r.status != http.StatusCreated {
			return fmt.Errorf("create contact %d: %d %v %s", i, r.status, err, tail(string(r.raw), 300))
		}
		contacts[i] = r.id()
		r, err = send("POST", api+"/cases", fx.carl, resource("cases", "", map[string]any{"name": fmt.Sprintf("Soak invite %s %03d", run, i)},
			map[string]any{"account": rel("accounts", fx.accountID)}))
		if err != nil || r.status != http.StatusCreated {
			return fmt.Errorf("create case %d: %d %v %s", i, r.status, err, tail(string(r.raw), 300))
		}
		cases[i] = r.id()
		return nil
	})
	t.Logf("%d contacts and cases made in %s", n, time.Since(began).Round(time.Millisecond))

	began = time.Now()
	var busy atomic.Int64
	parallel(t, n, 4, func(i int) error {
		for {
			r, err := send("POST", api+"/extranet-shares", fx.carl, shareBody(cases[i], contacts[i]))
			if err == nil && r.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") != "" {
				// Every password-hashing slot of the replica was busy; nothing was saved.
				busy.Add(1)
				time.Sleep(time.Second)
				continue
			}
			if err != nil || r.status != http.StatusCreated {
				return fmt.Errorf("share case %d: %d %v %s", i, r.status, err, tail(string(r.raw), 300))
			}
			return nil
		}
	})
	shared := time.Since(began)

	deadline := time.Now().Add(2 * time.Minute)
	for st.mail.count(isSoakRecipient) < n && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	lastMail := time.Since(began)
	// Time for a worker to send a mail twice, were it to: many outbox intervals.
	time.Sleep(3 * time.Second)
	delivered = st.mail.count(isSoakRecipient)
	t.Logf("%d shares in %s (%d refused as busy and retried); %d mails delivered %s after the first share",
		n, shared.Round(time.Millisecond), busy.Load(), delivered, lastMail.Round(time.Millisecond))
	for _, e := range emails {
		if got := len(st.mail.to(e)); got != 1 {
			t.Errorf("%s got %d mails, want 1", e, got)
		}
	}
	if delivered != n {
		t.Errorf("%d invitation mails delivered, want %d", delivered, n)
	}
	return outboxReport(t, st, "soak-"+run+"-%"), delivered
}

// outboxReport counts the outbox rows to recipients like pattern that are marked sent, and
// logs which workers sent them. A worker is named service@host, so the two replicas of a
// service on this one host share a name (pods each have their own host name).
func outboxReport(t *testing.T, st *stack, pattern string) int {
	t.Helper()
	var rows []struct {
		Worker string `bun:"worker"`
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := st.db.NewRaw(`SELECT split_part(coalesce(locked_by, ''), '/', 1) AS worker, status, count(*) AS n
		FROM outbox_emails WHERE recipient LIKE ? GROUP BY 1, 2 ORDER BY 1, 2`, pattern).Scan(context.Background(), &rows)
	if err != nil {
		t.Fatalf("read the outbox: %v", err)
	}
	sent := 0
	var by []string
	for _, r := range rows {
		if r.Status == "sent" {
			sent += r.N
		} else {
			t.Errorf("%d outbox rows %s", r.N, r.Status)
		}
		by = append(by, fmt.Sprintf("%s %s: %d", r.Worker, r.Status, r.N))
	}
	t.Logf("outbox rows by worker: %s", strings.Join(by, ", "))
	return sent
}

// parallel runs f(0..n-1) on workers goroutines; the first error fails the test after
// all have finished.
func parallel(t *testing.T, n, workers int, f func(i int) error) {
	t.Helper()
	next := make(chan int)
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					errs = append(errs, err)
					mu.Unlock()
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d of %d failed; first: %v", len(errs), n, errs[0])
	}
}
