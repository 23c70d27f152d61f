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
// outbox workers deliver to it as they would to a relay.
type Mailbox struct {
	addr string
	srv  *smtp.Server
	mu   sync.Mutex
	got  []Message
}

// Message is one received mail, decoded: its plain-text part and its HTML part, if any.
type Message struct {
	To      []string
	Subject string
	Text    string
	HTML    string
}

// Start runs a Mailbox on a free loopback port until the test ends.
func Start(t testing.TB) *Mailbox {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &Mailbox{addr: l.Addr().String()}
	m.srv = smtp.NewServer(m)
	m.srv.Domain = "localhost"
	m.srv.ReadTimeout = 10 * time.Second
	m.srv.WriteTimeout = 10 * time.Second
	go m.srv.Serve(l) //nolint:errcheck // returns when closed
	t.Cleanup(func() { m.srv.Close() })
	return m
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

// decodeMail takes the subject, the text/plain body and the text/html body out of a MIME
// message.
func decodeMail(raw []byte) (Message, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	msg := Message{Subject: subject}
	err = readParts(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body, &msg)
	return msg, err
}

// readParts keeps the first text/plain and the first text/html part of a body in msg.
func readParts(contentType, encoding string, body io.Reader, msg *Message) error {
	mt, params, _ := mime.ParseMediaType(contentType)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := readParts(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, msg); err != nil {
				return err
			}
		}
	}
	into := &msg.Text
	switch {
	case mt == "text/html":
		into = &msg.HTML
	case mt != "" && mt != "text/plain":
		return nil
	}
	if *into != "" {
		return nil
	}
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, &lineStripper{r: body})
	}
	b, err := io.ReadAll(body)
	*into = strings.ReplaceAll(string(b), "\r\n", "\n")
	return err
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
