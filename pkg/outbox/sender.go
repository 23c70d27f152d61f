package outbox

import "context"

// Sender hands one message to a mail system. An error means the message was not accepted
// and may be tried again; the Worker records it and retries with backoff.
type Sender interface {
	// Send delivers m or returns why it could not.
	Send(ctx context.Context, m Message) error
}

// The senders keep the interface; the compiler checks it here.
var (
	_ Sender = (*SMTPSender)(nil)
	_ Sender = LogSender{}
)
