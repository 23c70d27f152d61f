package outboxtest_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/caseroom/caseroom/pkg/outbox"
	"github.com/caseroom/caseroom/pkg/outbox/outboxtest"
)

func TestMailboxStopsAndRestarts(t *testing.T) {
	box := outboxtest.Start(t)
	port, _ := strconv.Atoi(box.Port())
	sender, err := outbox.NewSMTPSender(outbox.SMTPConfig{Host: "127.0.0.1", Port: port, TLS: outbox.TLSNone,
		From: "Caseroom <noreply@caseroom.test>"})
	if err != nil {
		t.Fatal(err)
	}
	mail := func(key string) outbox.Message {
		return outbox.Message{To: "anna@example.org", Subject: "Hello", Text: "Hello, Anna.", Key: key}
	}
	ctx := context.Background()
	if err := sender.Send(ctx, mail("outbox.1.1")); err != nil {
		t.Fatalf("send before the stop: %v", err)
	}
	box.Stop()
	if err := sender.Send(ctx, mail("outbox.2.1")); err == nil {
		t.Fatal("a stopped mailbox accepted a mail")
	}
	if err := box.Restart(); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"outbox.2.1", "outbox.2.1"} {
		if err := sender.Send(ctx, mail(key)); err != nil {
			t.Fatalf("send after the restart: %v", err)
		}
	}
	got := box.ByMessageID(func(string) bool { return true })
	if len(got) != 2 || got["outbox.1.1@caseroom.test"] != 1 || got["outbox.2.1@caseroom.test"] != 2 {
		t.Fatalf("by Message-ID: %v; want outbox.1.1 once and outbox.2.1 twice", got)
	}
}
