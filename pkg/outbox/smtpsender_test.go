package outbox_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/outbox"
)

func TestDeliveredMailCarriesTheMessage(t *testing.T) {
	db := dbtest.Open(t)
	srv := mustStartSMTP(t)
	c := newClock()
	w := newWorker(t, db, mustSMTPSender(t, srv.Config()), c, "w1")
	m := outbox.Message{
		To:      "Anna Müller <anna@example.org>",
		Subject: "Einladung zum Fall „Umbau Nord“",
		Text:    "Hallo Anna,\nbitte öffne https://caseroom.test/invite/abc123\n",
		HTML:    "<p>Hallo Anna,</p><p><a href=\"https://caseroom.test/invite/abc123\">Einladung annehmen</a></p>",
	}
	id := mustEnqueue(t, db, m, c.Now())
	if sent, _ := mustRunOnce(t, w); sent != 1 {
		t.Fatalf("sent = %d, want 1", sent)
	}
	got := srv.Received()
	if len(got) != 1 {
		t.Fatalf("server received %d mails, want 1", len(got))
	}
	p := mustParse(t, got[0])
	row := mustRow(t, db, id)

	t.Run("envelope", func(t *testing.T) {
		if got[0].From != "noreply@caseroom.test" || len(got[0].To) != 1 || got[0].To[0] != "anna@example.org" {
			t.Fatalf("envelope from %q to %v", got[0].From, got[0].To)
		}
	})
	t.Run("to", func(t *testing.T) {
		to, err := p.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != "anna@example.org" || to[0].Name != "Anna Müller" {
			t.Fatalf("To = %v, %v", to, err)
		}
	})
	t.Run("subject", func(t *testing.T) {
		if p.Subj != m.Subject {
			t.Fatalf("Subject = %q, want %q", p.Subj, m.Subject)
		}
	})
	t.Run("bodies", func(t *testing.T) {
		if strings.ReplaceAll(p.Text, "\r\n", "\n") != m.Text {
			t.Fatalf("text body = %q, want %q", p.Text, m.Text)
		}
		if strings.TrimSpace(p.HTML) != m.HTML {
			t.Fatalf("html body = %q, want %q", p.HTML, m.HTML)
		}
	})
	t.Run("message id is derived from the outbox row", func(t *testing.T) {
		want := fmt.Sprintf("<outbox.%d.%d@caseroom.test>", id, row.CreatedAt.UnixNano())
		if got := p.Header.Get("Message-Id"); got != want {
			t.Fatalf("Message-ID = %q, want %q", got, want)
		}
	})
}

func TestSMTPSenderTLSAndAuth(t *testing.T) {
	ctx := context.Background()
	msg := testMessage(1)

	t.Run("opportunistic falls back to plain text", func(t *testing.T) {
		srv := mustStartSMTP(t)
		cfg := srv.Config()
		cfg.TLS = outbox.TLSOpportunistic
		if err := mustSMTPSender(t, cfg).Send(ctx, msg); err != nil {
			t.Fatalf("Send: %v", err)
		}
		if len(srv.Received()) != 1 {
			t.Fatal("mail not received")
		}
	})
	t.Run("mandatory refuses a server without STARTTLS", func(t *testing.T) {
		srv := mustStartSMTP(t)
		cfg := srv.Config()
		cfg.TLS = outbox.TLSMandatory
		err := mustSMTPSender(t, cfg).Send(ctx, msg)
		if !errors.Is(err, errUnavailable) {
			t.Fatalf("Send = %v, want apperr.Unavailable", err)
		}
		if len(srv.Received()) != 0 {
			t.Fatal("mail sent in clear text despite TLSMandatory")
		}
	})
	t.Run("mandatory refuses an untrusted certificate", func(t *testing.T) {
		var pool *x509.CertPool
		srv := mustStartSMTP(t, withTLS(&pool))
		cfg := srv.Config()
		cfg.TLS = outbox.TLSMandatory // system roots do not know the test CA
		if err := mustSMTPSender(t, cfg).Send(ctx, msg); !errors.Is(err, errUnavailable) {
			t.Fatalf("Send = %v, want apperr.Unavailable", err)
		}
	})
	t.Run("mandatory STARTTLS with login", func(t *testing.T) {
		var pool *x509.CertPool
		srv := mustStartSMTP(t, withTLS(&pool), withAuth(map[string]string{"mailer": "s3cret"}))
		cfg := srv.Config()
		cfg.TLS = outbox.TLSMandatory
		cfg.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		cfg.Username, cfg.Password = "mailer", "s3cret"
		if err := mustSMTPSender(t, cfg).Send(ctx, msg); err != nil {
			t.Fatalf("Send: %v", err)
		}
		if logins := srv.Logins(); len(logins) != 1 || logins[0] != "mailer" {
			t.Fatalf("logins = %v, want [mailer]", logins)
		}
		if len(srv.Received()) != 1 {
			t.Fatal("mail not received")
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		var pool *x509.CertPool
		srv := mustStartSMTP(t, withTLS(&pool), withAuth(map[string]string{"mailer": "s3cret"}))
		cfg := srv.Config()
		cfg.TLS = outbox.TLSMandatory
		cfg.TLSConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		cfg.Username, cfg.Password = "mailer", "wrong"
		if err := mustSMTPSender(t, cfg).Send(ctx, msg); !errors.Is(err, errUnavailable) {
			t.Fatalf("Send = %v, want apperr.Unavailable", err)
		}
		if len(srv.Received()) != 0 {
			t.Fatal("mail accepted without login")
		}
	})
}

func TestNewSMTPSenderRefusesBadConfig(t *testing.T) {
	good := outbox.SMTPConfig{Host: "mail.example.org", From: "noreply@example.org"}
	tests := []struct {
		name   string
		change func(*outbox.SMTPConfig)
	}{
		{"no host", func(c *outbox.SMTPConfig) { c.Host = "" }},
		{"bad from", func(c *outbox.SMTPConfig) { c.From = "nobody" }},
		{"unknown TLS policy", func(c *outbox.SMTPConfig) { c.TLS = "sometimes" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.change(&cfg)
			if _, err := outbox.NewSMTPSender(cfg); !errors.Is(err, errInvalid) {
				t.Fatalf("NewSMTPSender = %v, want apperr.Invalid", err)
			}
		})
	}
}

func TestParseTLSPolicy(t *testing.T) {
	tests := []struct {
		in   string
		want outbox.TLSPolicy
		err  error
	}{
		{"", outbox.TLSOpportunistic, nil},
		{"opportunistic", outbox.TLSOpportunistic, nil},
		{" Mandatory ", outbox.TLSMandatory, nil},
		{"none", outbox.TLSNone, nil},
		{"starttls", "", errInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := outbox.ParseTLSPolicy(tt.in)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("ParseTLSPolicy(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}
