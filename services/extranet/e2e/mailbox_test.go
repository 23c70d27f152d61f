package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/outbox/outboxtest"
)

// mailbox is the real SMTP peer the services send to (outboxtest.Mailbox).
type mailbox struct{ *outboxtest.Mailbox }

type message = outboxtest.Message

func startMailbox(t *testing.T) *mailbox { return &mailbox{outboxtest.Start(t)} }

func (m *mailbox) port() string { return m.Port() }

func (m *mailbox) waitFor(t *testing.T, rcpt string, timeout time.Duration) message {
	t.Helper()
	return m.WaitFor(t, rcpt, timeout)
}

// count returns how many messages went to rcpt.
func (m *mailbox) count(rcpt string) int {
	return m.Count(func(to string) bool { return strings.EqualFold(to, rcpt) })
}

func lineValue(text, prefix string) string { return outboxtest.LineValue(text, prefix) }
