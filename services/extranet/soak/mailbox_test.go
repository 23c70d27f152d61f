package soak

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

// mailbox is an in-process SMTP server that keeps every message it accepts: the services'
// outbox workers deliver to it as they would to a relay. (The same as the e2e test's; test
// packages cannot share test files.)
type mailbox struct {
	addr string
	srv  *smtp.Server
	mu   sync.Mutex
	got  []message
}

// message is one received mail, decoded.
type message struct {
	To      []string
	Subject string
	Text    string
}

func startMailbox(t *testing.T) *mailbox {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &mailbox{addr: l.Addr().String()}
	m.srv = smtp.NewServer(m)
	m.srv.Domain = "localhost"
	m.srv.ReadTimeout = 10 * time.Second
	m.srv.WriteTimeout = 10 * time.Second
	go m.srv.Serve(l) //nolint:errcheck // returns when closed
	t.Cleanup(func() { m.srv.Close() })
	return m
}

func (m *mailbox) port() string {
	_, p, _ := net.SplitHostPort(m.addr)
	return p
}

// waitFor returns the first message to rcpt, waiting up to timeout.
func (m *mailbox) waitFor(t *testing.T, rcpt string, timeout time.Duration) message {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if msgs := m.to(rcpt); len(msgs) > 0 {
			return msgs[0]
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no mail to %s within %s", rcpt, timeout)
	return message{}
}

// to returns the messages to rcpt.
func (m *mailbox) to(rcpt string) []message {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []message
	for _, msg := range m.got {
		for _, to := range msg.To {
			if strings.EqualFold(to, rcpt) {
				out = append(out, msg)
			}
		}
	}
	return out
}

// count returns how many messages went to recipients that match.
func (m *mailbox) count(match func(rcpt string) bool) int {
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
func (m *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{box: m}, nil }

type session struct {
	box *mailbox
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

// decodeMail takes the subject and the text/plain body out of a MIME message.
func decodeMail(raw []byte) (message, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return message{}, err
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	text, err := textOf(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	return message{Subject: subject, Text: text}, err
}

func textOf(contentType, encoding string, body io.Reader) (string, error) {
	mt, params, _ := mime.ParseMediaType(contentType)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", err
			}
			if t, err := textOf(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err == nil && t != "" {
				return t, nil
			}
		}
	}
	if mt != "" && mt != "text/plain" {
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

// lineValue returns the rest of the line that starts with prefix ("Temporary password: ").
func lineValue(text, prefix string) string {
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
