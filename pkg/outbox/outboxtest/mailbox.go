// Package outboxtest is a real SMTP peer for tests: an in-process go-smtp server that keeps
// every Message the services' outbox workers deliver to it, decoded.
package outboxtest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mailbox is an in-process SMTP server that keeps every Message it accepts: the services'
// outbox workers deliver to it as they would to a relay. It can be stopped and started
// again on the same address, as a relay goes down for maintenance.
type Mailbox struct {
	addr string
	mu   sync.Mutex
	srv  *smtp.Server // nil while stopped
	lis  net.Listener // closed by Stop too: Serve may not have taken it yet
	got  []Message
}

// Message is one received mail, decoded.
type Message struct {
	To        []string
	Subject   string
	Text      string
	HTML      string // the text/html alternative, if the mail has one
	MessageID string // without the angle brackets
}

// Start runs a Mailbox on a free loopback port until the test ends.
func Start(t testing.TB) *Mailbox {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &Mailbox{addr: l.Addr().String()}
	m.serve(l)
	t.Cleanup(m.Stop)
	return m
}

func (m *Mailbox) serve(l net.Listener) {
	srv := smtp.NewServer(m)
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	m.mu.Lock()
	m.srv, m.lis = srv, l
	m.mu.Unlock()
	go srv.Serve(l) //nolint:errcheck // returns when closed
}

// Stop closes the listener and every connection: senders meet a refused connection until
// Restart. Mail already accepted is kept.
func (m *Mailbox) Stop() {
	m.mu.Lock()
	srv, l := m.srv, m.lis
	m.srv, m.lis = nil, nil
	m.mu.Unlock()
	if srv != nil {
		srv.Close()
		// A Stop right after a start may come before Serve has taken the listener, which
		// Close then does not know of: close it here, so that senders are refused at once.
		l.Close() //nolint:errcheck // already closed when Serve had it
	}
}

// Restart listens again on the address of Start after Stop.
func (m *Mailbox) Restart() error {
	l, err := net.Listen("tcp", m.addr)
	if err != nil {
		return err
	}
	m.serve(l)
	return nil
}

// Port is the port the Mailbox listens on (CASEROOM_SMTP_PORT).
func (m *Mailbox) Port() string {
	_, p, _ := net.SplitHostPort(m.addr)
	return p
}

// WaitFor returns the first message to rcpt, waiting up to timeout.
func (m *Mailbox) WaitFor(t testing.TB, rcpt string, timeout time.Duration) Message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if msgs := m.To(rcpt); len(msgs) > 0 {
			return msgs[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no mail to %s within %s", rcpt, timeout)
	return Message{}
}

// To returns the messages to rcpt.
func (m *Mailbox) To(rcpt string) []Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Message
	for _, msg := range m.got {
		for _, to := range msg.To {
			if strings.EqualFold(to, rcpt) {
				out = append(out, msg)
			}
		}
	}
	return out
}

// ByMessageID counts the messages to recipients that match by Message-ID: a mail that
// arrived twice counts 2.
func (m *Mailbox) ByMessageID(match func(rcpt string) bool) map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]int{}
	for _, msg := range m.got {
		for _, to := range msg.To {
			if match(to) {
				out[msg.MessageID]++
			}
		}
	}
	return out
}

// Count returns how many messages went to recipients that match.
func (m *Mailbox) Count(match func(rcpt string) bool) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, msg := range m.got {
		for _, to := range msg.To {
			if match(to) {
				n++
			}
		}
	}
	return n
}

// NewSession implements smtp.Backend.
func (m *Mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: m}, nil }

type session struct {
	box *Mailbox
	to  []string
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *session) Reset()        { s.to = nil }
func (s *session) Logout() error { return nil }

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := decodeMail(raw)
	if err != nil {
		return err
	}
	msg.To = s.to
	s.box.mu.Lock()
	s.box.got = append(s.box.got, msg)
	s.box.mu.Unlock()
	return nil
}

// decodeMail takes the subject, the text/plain body and the text/html alternative out of a
// MIME message.
func decodeMail(raw []byte) (Message, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return Message{}, err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	ct, enc := m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding")
	id := strings.Trim(strings.TrimSpace(m.Header.Get("Message-Id")), "<>")
	text, err := partOf("text/plain", ct, enc, bytes.NewReader(body))
	if err != nil {
		return Message{}, err
	}
	html, _ := partOf("text/html", ct, enc, bytes.NewReader(body)) // optional
	return Message{Subject: subject, Text: text, HTML: html, MessageID: id}, nil
}

// partOf returns the first part of media type want ("text/plain", "text/html"), decoded.
func partOf(want, contentType, encoding string, body io.Reader) (string, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", err
			}
			if t, err := partOf(want, p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err == nil && t != "" {
				return t, nil
			}
		}
	}
	if mt == "" {
		mt = "text/plain"
	}
	if mt != want {
		return "", nil
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &lineStripper{r: body})
	}
	b, err := io.ReadAll(body)
	return strings.ReplaceAll(string(b), "\r\n", "\n"), err
}

// LineValue returns the rest of the line that starts with prefix ("Temporary password: ").
func LineValue(text, prefix string) string {
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), prefix); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// lineStripper drops the line breaks of a base64 body.
type lineStripper struct{ r io.Reader }

func (l *lineStripper) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	s := strings.NewReplacer("\r", "", "\n", "").Replace(string(p[:n]))
	return copy(p, s), err
}
