package soak

import (
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/outbox/outboxtest"
)

// mailbox is the real SMTP peer the outbox workers deliver to (outboxtest.Mailbox).
type mailbox struct{ *outboxtest.Mailbox }

type message = outboxtest.Message

func startMailbox(t *testing.T) *mailbox { return &mailbox{outboxtest.Start(t)} }

func (m *mailbox) port() string { return m.Port() }

func (m *mailbox) waitFor(t *testing.T, rcpt string, timeout time.Duration) message {
	t.Helper()
	return m.WaitFor(t, rcpt, timeout)
}

func (m *mailbox) to(rcpt string) []message { return m.To(rcpt) }

func (m *mailbox) count(match func(rcpt string) bool) int { return m.Count(match) }

func lineValue(text, prefix string) string { return outboxtest.LineValue(text, prefix) }
