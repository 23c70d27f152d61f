package outbox_test

import (
	"context"
	"errors"
	"testing"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/outbox"
)

func TestEnqueueFollowsTheTransaction(t *testing.T) {
	ctx := context.Background()
	errAbort := errors.New("the change failed")

	t.Run("rolled back mail is never sent", func(t *testing.T) {
		db := dbtest.Open(t)
		srv := mustStartSMTP(t)
		c := newClock()
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			mustEnqueue(t, tx, testMessage(1), c.Now())
			return errAbort
		})
		if !errors.Is(err, errAbort) {
			t.Fatalf("RunInTx = %v, want the abort", err)
		}
		w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "w1")
		if sent, failed := mustRunOnce(t, w); sent != 0 || failed != 0 {
			t.Fatalf("RunOnce = %d sent, %d failed; want nothing to do", sent, failed)
		}
		if n, err := db.NewSelect().Model((*model.OutboxEmail)(nil)).Count(ctx); err != nil || n != 0 {
			t.Fatalf("outbox rows = %d, %v; want 0", n, err)
		}
		if got := srv.Received(); len(got) != 0 {
			t.Fatalf("server received %d mails, want 0", len(got))
		}
	})

	t.Run("committed mail is sent", func(t *testing.T) {
		db := dbtest.Open(t)
		srv := mustStartSMTP(t)
		c := newClock()
		var id int64
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			id = mustEnqueue(t, tx, testMessage(1), c.Now())
			return nil
		}); err != nil {
			t.Fatalf("RunInTx: %v", err)
		}
		row := mustRow(t, db, id)
		if row.Status != outbox.StatusPending || row.Attempts != 0 || !row.NextAttemptAt.Equal(c.Now()) {
			t.Fatalf("new row = %+v, want pending, due now", row)
		}
		w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "w1")
		if sent, _ := mustRunOnce(t, w); sent != 1 {
			t.Fatalf("sent = %d, want 1", sent)
		}
		if got := len(srv.Received()); got != 1 {
			t.Fatalf("server received %d mails, want 1", got)
		}
	})
}

func TestEnqueueRefusesUnsendableMail(t *testing.T) {
	db := dbtest.Open(t)
	ok := testMessage(1)
	tests := []struct {
		name   string
		change func(*outbox.Message)
	}{
		{"bad recipient", func(m *outbox.Message) { m.To = "not an address" }},
		{"empty subject", func(m *outbox.Message) { m.Subject = "  " }},
		{"header injection in subject", func(m *outbox.Message) { m.Subject = "Hi\r\nBcc: all@example.org" }},
		{"empty text body", func(m *outbox.Message) { m.Text = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.change(&m)
			_, err := outbox.Enqueue(context.Background(), db, m, newClock().Now())
			if !errors.Is(err, errInvalid) {
				t.Fatalf("Enqueue = %v, want apperr.Invalid", err)
			}
		})
	}
}
