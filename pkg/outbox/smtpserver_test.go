package outbox_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/caseroom/caseroom/pkg/outbox"
)

// smtpServer is a real SMTP server on 127.0.0.1 that records what it accepts. It can
// refuse mail with a 451 or be stopped and started again on the same port.
type smtpServer struct {
	t    *testing.T
	addr string
	tls  *tls.Config // STARTTLS offered when set
	auth map[string]string

	mu       sync.Mutex
	srv      *smtp.Server
	lis      net.Listener // closed by Stop too: Serve may not have taken it yet
	refuse   bool
	received []receivedMail
	logins   []string
}

// receivedMail is one accepted message.
type receivedMail struct {
	From string
	To   []string
	Data []byte
}

type smtpOption func(*smtpServer)

// withTLS offers STARTTLS with a certificate for 127.0.0.1 and returns the pool that trusts it.
func withTLS(pool **x509.CertPool) smtpOption {
	return func(s *smtpServer) {
		cert, p := selfSigned(s.t)
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		*pool = p
	}
}

// withAuth requires AUTH PLAIN with one of the given users.
func withAuth(users map[string]string) smtpOption {
	return func(s *smtpServer) { s.auth = users }
}

func mustStartSMTP(t *testing.T, opts ...smtpOption) *smtpServer {
	t.Helper()
	s := &smtpServer{t: t}
	for _, o := range opts {
		o(s)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s.addr = l.Addr().String()
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

func (s *smtpServer) serve(l net.Listener) {
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.TLSConfig = s.tls
	srv.AllowInsecureAuth = s.tls == nil
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	s.mu.Lock()
	s.srv, s.lis = srv, l
	s.mu.Unlock()
	go srv.Serve(l) //nolint:errcheck // returns ErrServerClosed on Stop
}

// Stop closes the listener and every connection: clients now get "connection refused".
func (s *smtpServer) Stop() {
	s.mu.Lock()
	srv, l := s.srv, s.lis
	s.srv, s.lis = nil, nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
		// A Stop right after a start may come before Serve has taken the listener, which
		// Close then does not know of: close it here, so that clients are refused at once.
		l.Close() //nolint:errcheck // already closed when Serve had it
	}
}

// Start listens again on the same address.
func (s *smtpServer) Start() {
	s.t.Helper()
	l, err := net.Listen("tcp", s.addr)
	if err != nil {
		s.t.Fatalf("listen again on %s: %v", s.addr, err)
	}
	s.serve(l)
}

// Refuse makes the server answer MAIL FROM with 451 (or accept again).
func (s *smtpServer) Refuse(on bool) {
	s.mu.Lock()
	s.refuse = on
	s.mu.Unlock()
}

func (s *smtpServer) Received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.received...)
}

func (s *smtpServer) Logins() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.logins...)
}

func (s *smtpServer) Port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

// Config returns a sender configuration for this server.
func (s *smtpServer) Config() outbox.SMTPConfig {
	return outbox.SMTPConfig{
		Host:    "127.0.0.1",
		Port:    s.Port(),
		TLS:     outbox.TLSNone,
		From:    "Caseroom <noreply@caseroom.test>",
		Timeout: 5 * time.Second,
	}
}

// NewSession implements smtp.Backend.
func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &smtpSession{srv: s}, nil
}

type smtpSession struct {
	srv    *smtpServer
	authed bool
	from   string
	to     []string
}

func (ss *smtpSession) AuthMechanisms() []string {
	if ss.srv.auth == nil {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if want, ok := ss.srv.auth[user]; !ok || want != pass {
			return smtp.ErrAuthFailed
		}
		ss.srv.mu.Lock()
		ss.srv.logins = append(ss.srv.logins, user)
		ss.srv.mu.Unlock()
		ss.authed = true
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.auth != nil && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.srv.mu.Lock()
	refuse := ss.srv.refuse
	ss.srv.mu.Unlock()
	if refuse {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.srv.mu.Lock()
	ss.srv.received = append(ss.srv.received, receivedMail{From: ss.from, To: ss.to, Data: b})
	ss.srv.mu.Unlock()
	return nil
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }

// parsedMail is a received message taken apart.
type parsedMail struct {
	Header mail.Header
	To     string
	Subj   string
	Text   string
	HTML   string
}

func mustParse(t *testing.T, m receivedMail) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		t.Fatalf("parse received mail: %v", err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject: %v", err)
	}
	p := parsedMail{Header: msg.Header, To: msg.Header.Get("To"), Subj: subj}
	collectParts(t, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &p)
	return p
}

func collectParts(t *testing.T, contentType, encoding string, body io.Reader, p *parsedMail) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		t.Fatalf("content type %q: %v", contentType, err)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				t.Fatalf("next part: %v", err)
			}
			collectParts(t, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part, p)
		}
	}
	var r io.Reader = body
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		t.Fatalf("unexpected base64 body")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	switch mt {
	case "text/plain":
		p.Text = string(b)
	case "text/html":
		p.HTML = string(b)
	}
}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create certificate: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatalf("parse certificate: %v", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
}
