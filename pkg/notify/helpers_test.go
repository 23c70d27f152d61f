package notify_test

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/pkg/outbox"
	"github.com/caseroom/caseroom/pkg/outbox/outboxtest"
	"github.com/caseroom/caseroom/pkg/work"
)

// Demo people and cases.
const (
	strategy = "Acme strategy review" // owned by carl
	aino     = "aino.virtanen@acme.example"
	mikko    = "mikko.laine@acme.example"
	carlMail = "carl@northwind.example"
	erikMail = "erik@northwind.example"
	portal   = "http://portal.test"
	app      = "https://app.test"
)

// clock is a settable clock (domaintest.Clock).
type clock = domaintest.Clock

// world is the demo organisation with the services, a digest worker and an outbox worker
// that delivers to a real SMTP peer.
type world struct {
	t      *testing.T
	ctx    context.Context
	env    domain.Env
	clock  *clock
	work   *work.Service
	cases  *cases.Service
	crm    *crm.Service
	digest *notify.Worker
	outbox *outbox.Worker
	box    *outboxtest.Mailbox
}

func newWorld(t *testing.T) *world {
	t.Helper()
	base := domaintest.Open(t)
	clk := domaintest.NewClock(domaintest.Now)
	env := domain.NewEnv(base.DB, clk.Now).WithLog(slog.New(slog.DiscardHandler))
	box := outboxtest.Start(t)
	port, err := strconv.Atoi(box.Port())
	mustOK(t, err)
	sender, err := outbox.NewSMTPSender(outbox.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: outbox.TLSNone,
		From: "Northwind <noreply@northwind.example>", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, ctx: context.Background(), env: env, clock: clk, work: work.New(env), cases: cases.New(env), crm: crm.New(env),
		digest: &notify.Worker{DB: env.DB, Now: clk.Now, Log: env.Log, PortalURL: portal, AppURL: app},
		outbox: &outbox.Worker{DB: env.DB, Sender: sender, Now: clk.Now, Log: env.Log, WorkerID: "test"},
		box:    box}
}

// approve approves the hours as contact a, each through the shared decision.
func (w *world) approve(t *testing.T, a domain.Actor, ids ...int64) {
	t.Helper()
	for _, id := range ids {
		_, err := w.work.DecideHour(w.ctx, a, id, true, "", domain.AnyVersion)
		mustOK(t, err)
	}
}

// deliver runs the digest worker once and sends what it queued over SMTP; it returns how
// many digests were queued.
func (w *world) deliver() int {
	w.t.Helper()
	n, err := w.digest.RunOnce(w.ctx)
	if err != nil {
		w.t.Fatalf("digest run: %v", err)
	}
	for {
		sent, failed, err := w.outbox.RunOnce(w.ctx)
		if err != nil || failed > 0 {
			w.t.Fatalf("outbox run: %d failed, %v", failed, err)
		}
		if sent == 0 {
			return n
		}
	}
}

// only returns the one mail to rcpt, failing unless there is exactly one.
func (w *world) only(rcpt string) outboxtest.Message {
	w.t.Helper()
	got := w.box.To(rcpt)
	if len(got) != 1 {
		w.t.Fatalf("%d mails to %s, want 1: %+v", len(got), rcpt, got)
	}
	return got[0]
}

func (w *world) none(rcpt string) {
	w.t.Helper()
	if got := w.box.To(rcpt); len(got) != 0 {
		w.t.Fatalf("%d mails to %s, want none: %+v", len(got), rcpt, got)
	}
}

func (w *world) caseID(name string) int64 {
	w.t.Helper()
	var id int64
	mustOK(w.t, w.env.DB.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", name).Scan(w.ctx, &id))
	return id
}

func (w *world) contactID(email string) int64 {
	w.t.Helper()
	var id int64
	mustOK(w.t, w.env.DB.NewSelect().Model((*model.Contact)(nil)).Column("id").Where("email = ?", email).Scan(w.ctx, &id))
	return id
}

// share shares the strategy review, made by sharer, with every section, and returns the
// contacts with the rights given.
func (w *world) share(sharer string, who map[string]domaintest.Rights) map[string]domain.Actor {
	w.t.Helper()
	out := domaintest.Share(w.t, w.env.DB, strategy, domaintest.Sections{Financials: true, Phases: true, Other: true}, who)
	_, err := w.env.DB.NewUpdate().Model((*model.ExtranetShare)(nil)).
		Set("created_by_user_id = (SELECT id FROM users WHERE email = ?)", sharer+"@northwind.example").
		Where("case_id = ?", w.caseID(strategy)).Exec(w.ctx)
	mustOK(w.t, err)
	for email := range who {
		cr := &model.ContactCredential{ContactID: w.contactID(email), PasswordHash: "x", TokenVersion: 1, UpdatedAt: w.clock.Now()}
		_, err := w.env.DB.NewInsert().Model(cr).Exec(w.ctx)
		mustOK(w.t, err)
	}
	return out
}

// hours enters n pending work hours of an hour and a half on the strategy review, by erik.
func (w *world) hours(n int) []int64 {
	w.t.Helper()
	erik := domaintest.Employee(w.t, w.env.DB, "erik")
	caseID := w.caseID(strategy)
	var ids []int64
	for range n {
		h, err := w.work.CreateHour(w.ctx, erik, work.HourInput{CaseID: &caseID, WorkDate: ptr("2026-11-20"), Minutes: ptr(90),
			Description: ptr("Interviews")})
		mustOK(w.t, err)
		ids = append(ids, h.ID)
	}
	return ids
}

// stopLink returns the unsubscribe link of a mail's text part.
func stopLink(t *testing.T, m outboxtest.Message, label string) string {
	t.Helper()
	link := outboxtest.LineValue(m.Text, label+":")
	if !strings.HasPrefix(link, portal+"/unsubscribe/") {
		t.Fatalf("no unsubscribe link in:\n%s", m.Text)
	}
	return link
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mustContain(t *testing.T, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%q is missing from:\n%s", p, text)
		}
	}
}

func ptr[T any](v T) *T { return &v }
