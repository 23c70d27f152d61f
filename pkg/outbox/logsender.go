package outbox

import (
	"context"
	"log/slog"
)

// LogSender is the embedded default when no SMTP server is configured: it prints each
// mail to the log instead of sending it.
//
// The mail still goes through the outbox table, so a laptop or demo install behaves like
// production (the row exists, commits with its transaction, is claimed once). The Worker
// marks a printed mail sent, like a delivered one, so a restart does not print it again;
// the row keeps the full text for anyone who missed the log line. The body is printed in
// full on purpose, because in that mode the log is the only way to follow an invitation
// or password-reset link; never use the LogSender where the log leaves the machine.
type LogSender struct {
	// Log receives one Info record per mail; nil means slog.Default().
	Log *slog.Logger
}

// Send prints m and never fails.
func (s LogSender) Send(ctx context.Context, m Message) error {
	log := s.Log
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "mail not sent: no SMTP server configured, printing it instead",
		slog.String("to", m.To),
		slog.String("subject", m.Subject),
		slog.String("key", m.Key),
		slog.String("text", m.Text),
		slog.Int("html_bytes", len(m.HTML)),
	)
	return nil
}
