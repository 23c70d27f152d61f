package outbox_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/outbox"
)

func TestLogSenderPrintsEachMailOnce(t *testing.T) {
	db := dbtest.Open(t)
	c := newClock()
	var buf bytes.Buffer
	w := newWorker(t, db, outbox.LogSender{Log: slog.New(slog.NewTextHandler(&buf, nil))}, c, "w1")
	m := testMessage(7)
	m.Text = "Open https://caseroom.test/reset/tok7"
	id := mustEnqueue(t, db, m, c.Now())

	if sent, _ := mustRunOnce(t, w); sent != 1 {
		t.Fatalf("sent = %d, want 1", sent)
	}
	out := buf.String()
	for _, want := range []string{m.To, m.Subject, "https://caseroom.test/reset/tok7"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if row := mustRow(t, db, id); row.Status != outbox.StatusSent {
		t.Fatalf("status = %s, want sent", row.Status)
	}

	buf.Reset()
	c.Add(outbox.DefaultLease * 2)
	if sent, _ := mustRunOnce(t, w); sent != 0 || buf.Len() != 0 {
		t.Fatalf("second run sent %d and logged %q; want nothing", sent, buf.String())
	}
}
