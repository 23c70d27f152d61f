// Package outbox delivers Caseroom's mail without ever losing it.
//
// A service never talks to SMTP while it handles a request. It calls Enqueue with the
// transaction that makes the change the mail is about, so the mail exists exactly when the
// change does: a rolled-back invitation sends no invitation. A Worker then claims due rows,
// hands them to a Sender and records the outcome. While SMTP is down the rows wait, with
// their attempts and last error recorded, and go out once it is back.
//
// Delivery is exactly once in the normal case: a row is claimed by one worker at a time
// (a lease in locked_until/locked_by), and marked sent only by the claim that sent it. A
// worker that dies between the SMTP server's "250 OK" and marking the row sent leaves a
// lease that expires, and the mail is sent again; every retry carries the same Message-ID
// so that mail clients can fold that rare duplicate.
package outbox

import (
	"fmt"
	"net/mail"
	"strings"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// The states of an outbox row (the status column).
const (
	// StatusPending is waiting to be sent, or to be retried after a failure.
	StatusPending = "pending"
	// StatusSent was accepted by the mail server (or printed by the LogSender).
	StatusSent = "sent"
	// StatusDead kept failing for Worker.GiveUpAfter (a week by default) and is no
	// longer retried; an operator can set it back to pending once the cause is fixed.
	StatusDead = "dead"
)

// Message is one mail to one recipient. Mails to several people are several messages, so
// that one bad address does not hold back the others.
type Message struct {
	// To is the recipient, "anna@example.org" or "Anna Berg <anna@example.org>".
	To string
	// Subject is a single line; non-ASCII text is encoded by the sender.
	Subject string
	// Text is the plain-text body. It is required: every mail must read without HTML.
	Text string
	// HTML is an optional alternative body.
	HTML string
	// Key identifies the mail across retries; the SMTP sender makes it the Message-ID.
	// The Worker sets it from the outbox row, and Enqueue ignores it.
	Key string
}

// Validate checks what Enqueue would otherwise store and fail on forever. It returns
// apperr.Invalid.
func (m Message) Validate() error {
	if _, err := mail.ParseAddress(m.To); err != nil {
		return apperr.E(apperr.Invalid, "the recipient is not a mail address").AtPointer("/to")
	}
	if strings.TrimSpace(m.Subject) == "" {
		return apperr.E(apperr.Invalid, "the subject is empty").AtPointer("/subject")
	}
	// A line break in a header is how header injection starts; subjects are one line.
	if strings.ContainsAny(m.Subject, "\r\n") {
		return apperr.E(apperr.Invalid, "the subject contains a line break").AtPointer("/subject")
	}
	if strings.TrimSpace(m.Text) == "" {
		return apperr.E(apperr.Invalid, "the text body is empty").AtPointer("/text")
	}
	return nil
}

// keyFor is the stable identity of an outbox row. The creation time keeps keys apart
// between databases that reuse ids (a development database that was reset).
func keyFor(id int64, createdUnixNano int64) string {
	return fmt.Sprintf("outbox.%d.%d", id, createdUnixNano)
}
