package outbox

import (
	"context"
	"crypto/tls"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/wneessen/go-mail"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// TLSPolicy says whether the SMTP connection is upgraded with STARTTLS.
type TLSPolicy string

// The TLS policies, spelled as in the configuration (SMTP_TLS).
const (
	// TLSOpportunistic uses STARTTLS when the server offers it and plain text otherwise.
	TLSOpportunistic TLSPolicy = "opportunistic"
	// TLSMandatory refuses to send unless STARTTLS succeeds with a verified certificate.
	TLSMandatory TLSPolicy = "mandatory"
	// TLSNone never upgrades; for a relay on the same host or network only.
	TLSNone TLSPolicy = "none"
)

// ParseTLSPolicy reads a policy from configuration; "" means TLSOpportunistic. It returns
// apperr.Invalid for anything else.
func ParseTLSPolicy(s string) (TLSPolicy, error) {
	switch p := TLSPolicy(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return TLSOpportunistic, nil
	case TLSOpportunistic, TLSMandatory, TLSNone:
		return p, nil
	}
	return "", apperr.E(apperr.Invalid, "unknown SMTP TLS policy %q (want opportunistic, mandatory or none)", s)
}

func (p TLSPolicy) goMail() (mail.TLSPolicy, error) {
	switch p {
	case "", TLSOpportunistic:
		return mail.TLSOpportunistic, nil
	case TLSMandatory:
		return mail.TLSMandatory, nil
	case TLSNone:
		return mail.NoTLS, nil
	}
	return 0, apperr.E(apperr.Invalid, "unknown SMTP TLS policy %q", string(p))
}

// SMTPConfig is how to reach the mail server.
type SMTPConfig struct {
	// Host is the server's name or address; it is also the name its certificate must carry.
	Host string
	// Port defaults to 587 (submission).
	Port int
	// Username and Password enable SMTP AUTH when Username is set. The mechanism is
	// discovered; PLAIN and LOGIN are only used on an encrypted connection, so that a
	// password never crosses the network in clear text.
	Username string
	Password string
	// TLS is the STARTTLS policy; "" means TLSOpportunistic.
	TLS TLSPolicy
	// TLSConfig overrides the TLS settings (tests use it to trust their own CA).
	TLSConfig *tls.Config
	// From is the sender, "Caseroom <noreply@example.org>".
	From string
	// Timeout bounds connecting and each SMTP command; it defaults to 30 seconds.
	Timeout time.Duration
}

// SMTPSender sends through an SMTP server with wneessen/go-mail. It is safe for concurrent
// use: every Send uses its own connection.
type SMTPSender struct {
	cfg    SMTPConfig
	opts   []mail.Option
	domain string
}

// NewSMTPSender checks cfg and returns a sender; it does not connect. It returns
// apperr.Invalid for a configuration that could never work.
func NewSMTPSender(cfg SMTPConfig) (*SMTPSender, error) {
	if cfg.Host == "" {
		return nil, apperr.E(apperr.Invalid, "SMTP host is empty")
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, apperr.E(apperr.Invalid, "SMTP from address %q is not a mail address", cfg.From)
	}
	policy, err := cfg.TLS.goMail()
	if err != nil {
		return nil, err
	}
	if cfg.Port == 0 {
		cfg.Port = mail.DefaultPortTLS
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	tlsConfig := &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
	if cfg.TLSConfig != nil {
		tlsConfig = cfg.TLSConfig.Clone()
		if tlsConfig.ServerName == "" {
			tlsConfig.ServerName = cfg.Host
		}
	}
	opts := []mail.Option{
		mail.WithPort(cfg.Port),
		mail.WithTLSPolicy(policy),
		mail.WithTLSConfig(tlsConfig),
		mail.WithTimeout(cfg.Timeout),
	}
	if cfg.Username != "" {
		opts = append(opts,
			mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(cfg.Username),
			mail.WithPassword(cfg.Password))
	}
	domain := from.Address[strings.LastIndexByte(from.Address, '@')+1:]
	return &SMTPSender{cfg: cfg, opts: opts, domain: domain}, nil
}

// Send delivers m. A message the library cannot build returns apperr.Invalid; a server
// that cannot be reached, refuses the login or rejects the mail returns apperr.Unavailable
// wrapping the cause.
func (s *SMTPSender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return fmt.Errorf("send mail %s: %w", m.Key, err)
	}
	client, err := mail.NewClient(s.cfg.Host, s.opts...)
	if err != nil {
		return fmt.Errorf("send mail %s: %w", m.Key, apperr.Wrap(err, "configure SMTP client"))
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return &apperr.Error{
			Code:   apperr.Unavailable,
			Detail: "the mail server is unavailable",
			Err:    fmt.Errorf("send mail %s via %s:%d: %w", m.Key, s.cfg.Host, s.cfg.Port, err),
		}
	}
	return nil
}

func (s *SMTPSender) build(m Message) (*mail.Msg, error) {
	msg := mail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return nil, apperr.E(apperr.Invalid, "bad from address").AtPointer("/from")
	}
	if err := msg.To(m.To); err != nil {
		return nil, apperr.E(apperr.Invalid, "bad recipient address").AtPointer("/to")
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	if m.Key != "" {
		msg.SetMessageIDWithValue(m.Key + "@" + s.domain)
	} else {
		msg.SetMessageID()
	}
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
