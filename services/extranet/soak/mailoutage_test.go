package soak

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// mailOutage is a batch of invitations shared through the API's balancer while the SMTP
// server is down, during the load and the rolling restart: every replica's outbox worker
// tries them and fails, and the workers themselves are restarted. None may be lost, given
// up or sent twice.
type mailOutage struct {
	st             *stack
	fx             *fixture
	run            string // in every recipient's address
	cases          []string
	contacts       []string
	emails         []string
	down, back     time.Time
	shared, busy   atomic.Int64
	sharedBy, took time.Duration
}

// prepareMailOutage makes n contacts and a case for each, before the load.
func prepareMailOutage(t *testing.T, st *stack, fx *fixture, n int) *mailOutage {
	o := &mailOutage{st: st, fx: fx, run: randomHex(3), cases: make([]string, n), contacts: make([]string, n), emails: make([]string, n)}
	api := st.lb.apiURL + "/api/v1"
	parallel(t, n, 4, func(i int) error {
		o.emails[i] = fmt.Sprintf("outage-%s-%03d@acme.example", o.run, i)
		r, err := send("POST", api+"/contacts", fx.carl, resource("contacts", "", map[string]any{"firstName": "Outage",
			"lastName": fmt.Sprintf("Contact %03d", i), "email": o.emails[i]}, map[string]any{"account": rel("accounts", fx.accountID)}))
		if err != nil || r.status != http.StatusCreated {
			return fmt.Errorf("create contact %d: %d %v %s", i, r.status, err, tail(string(r.raw), 300))
		}
		o.contacts[i] = r.id()
		r, err = send("POST", api+"/cases", fx.carl, resource("cases", "", map[string]any{"name": fmt.Sprintf("Soak outage %s %03d", o.run, i)},
			map[string]any{"account": rel("accounts", fx.accountID)}))
		if err != nil || r.status != http.StatusCreated {
			return fmt.Errorf("create case %d: %d %v %s", i, r.status, err, tail(string(r.raw), 300))
		}
		o.cases[i] = r.id()
		return nil
	})
	return o
}

// stopSMTP takes the SMTP server down; it stays down until check.
func (o *mailOutage) stopSMTP() {
	o.st.mail.Stop()
	o.down = time.Now()
}

// share shares every case with its contact, two at a time, while the load runs. A share
// refused because every password-hashing slot was busy saved nothing and is sent again;
// any other failure is returned.
func (o *mailOutage) share() error {
	began := time.Now()
	defer func() { o.sharedBy = time.Since(began) }()
	errs := make(chan error, len(o.cases))
	next := make(chan int)
	done := make(chan struct{})
	for range 2 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range next {
				for {
					r, err := send("POST", o.st.lb.apiURL+"/api/v1/extranet-shares", o.fx.carl, shareBody(o.cases[i], o.contacts[i]))
					if err == nil && r.status == http.StatusServiceUnavailable && r.header.Get("Retry-After") != "" {
						o.busy.Add(1)
						time.Sleep(time.Second)
						continue
					}
					if err != nil || r.status != http.StatusCreated {
						errs <- fmt.Errorf("share case %d while SMTP is down: %d %v %s", i, r.status, err, tail(string(r.raw), 300))
					} else {
						o.shared.Add(1)
					}
					break
				}
			}
		}()
	}
	for i := range o.cases {
		next <- i
	}
	close(next)
	<-done
	<-done
	close(errs)
	return <-errs // nil when there was none
}

// outboxRow is one invitation of the batch in the outbox.
type outboxRow struct {
	ID        int64     `bun:"id"`
	Recipient string    `bun:"recipient"`
	Status    string    `bun:"status"`
	Attempts  int       `bun:"attempts"`
	LastError string    `bun:"last_error"`
	CreatedAt time.Time `bun:"created_at"`
}

// messageID is the Message-ID the outbox gives the row's mail (outbox.keyFor, at the
// domain of CASEROOM_MAIL_FROM).
func (r outboxRow) messageID() string {
	return fmt.Sprintf("outbox.%d.%d@caseroom.test", r.ID, r.CreatedAt.UnixNano())
}

func (o *mailOutage) rows(t *testing.T) []outboxRow {
	t.Helper()
	var rows []outboxRow
	err := o.st.db.NewRaw(`SELECT id, recipient, status, attempts, coalesce(last_error, '') AS last_error, created_at
		FROM outbox_emails WHERE recipient LIKE ? ORDER BY id`, "outage-"+o.run+"-%").Scan(context.Background(), &rows)
	if err != nil {
		t.Fatalf("read the outbox: %v", err)
	}
	return rows
}

func (o *mailOutage) isRecipient(rcpt string) bool {
	return strings.HasPrefix(strings.ToLower(rcpt), "outage-"+o.run+"-")
}

// check runs after the load, the SMTP server still down: every invitation waits in the
// outbox (waiting). Then the server comes back, and every mail arrives once (delivered).
// It returns the line of the summary.
func (o *mailOutage) check(t *testing.T) string {
	rows := o.rows(t)
	minTries, maxTries := o.waiting(t, rows)
	if err := o.st.mail.Restart(); err != nil {
		t.Fatalf("restart the SMTP server: %v", err)
	}
	o.back = time.Now()
	for len(o.st.mail.ByMessageID(o.isRecipient)) < len(rows) && time.Since(o.back) < time.Minute {
		time.Sleep(100 * time.Millisecond)
	}
	o.took = time.Since(o.back)
	time.Sleep(3 * time.Second) // time for a mail to be sent twice, were it to be
	delivered := o.delivered(t, rows)
	return fmt.Sprintf("%d invitations shared in %s of load with SMTP down (%d refused as busy and retried), %d pending and none dead "+
		"after %s of outage (%d to %d attempts each); once SMTP was back, %d of %d delivered exactly once (by Message-ID) in %s",
		o.shared.Load(), o.sharedBy.Round(time.Millisecond), o.busy.Load(), len(rows), o.back.Sub(o.down).Round(time.Second),
		minTries, maxTries, delivered, len(rows), o.took.Round(time.Millisecond))
}

// waiting checks the outbox with the SMTP server down: one row per share answered 201,
// each pending after at least one failed try, none given up (dead), none delivered.
func (o *mailOutage) waiting(t *testing.T, rows []outboxRow) (minTries, maxTries int) {
	t.Helper()
	if len(rows) != int(o.shared.Load()) || len(rows) != len(o.cases) {
		t.Errorf("%d invitations in the outbox, %d shares answered 201, %d made", len(rows), o.shared.Load(), len(o.cases))
	}
	minTries = 1 << 30
	for _, r := range rows {
		minTries, maxTries = min(minTries, r.Attempts), max(maxTries, r.Attempts)
		if r.Status != "pending" || r.Attempts < 1 {
			t.Errorf("%s with SMTP down: %s after %d attempts (%s), want pending after a failed try", r.Recipient, r.Status, r.Attempts, r.LastError)
		}
	}
	if n := len(o.st.mail.ByMessageID(o.isRecipient)); n != 0 {
		t.Errorf("%d mails of the batch reached a stopped SMTP server", n)
	}
	last := ""
	if len(rows) > 0 {
		last = tail(rows[0].LastError, 160)
	}
	t.Logf("SMTP down for %s: %d invitations pending, %d to %d attempts each; last error: %s",
		time.Since(o.down).Round(time.Millisecond), len(rows), minTries, maxTries, last)
	return minTries, maxTries
}

// delivered checks what the SMTP server received once back: each row's Message-ID (its
// outbox key) once, nothing else to the batch's recipients, one mail to each contact, and
// every row marked sent. It returns how many rows' mails arrived exactly once.
func (o *mailOutage) delivered(t *testing.T, rows []outboxRow) int {
	t.Helper()
	got := o.st.mail.ByMessageID(o.isRecipient)
	once := 0
	for _, r := range rows {
		if n := got[r.messageID()]; n == 1 {
			once++
		} else {
			t.Errorf("%s (%s) delivered %d times, want once", r.Recipient, r.messageID(), n)
		}
		delete(got, r.messageID())
	}
	for _, id := range sortedKeys(got) {
		t.Errorf("a mail %s that no outbox row of the batch accounts for", id)
	}
	for _, e := range o.emails {
		if n := len(o.st.mail.to(e)); n != 1 {
			t.Errorf("%s got %d mails, want 1", e, n)
		}
	}
	for _, r := range o.rows(t) {
		if r.Status != "sent" {
			t.Errorf("%s: %s after its mail arrived, want sent", r.Recipient, r.Status)
		}
	}
	t.Logf("SMTP back: %d of %d mails arrived, each once, within %s", once, len(rows), o.took.Round(time.Millisecond))
	return once
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
