// Package platform builds the shared infrastructure both services need from environment
// variables: the mail sender, the file store and the outbox worker. The embedded defaults
// (no SMTP, no S3) keep mail in the outbox and print it to the log, and keep files on disk.
package platform

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/config"
	"github.com/caseroom/caseroom/pkg/outbox"
	"github.com/caseroom/caseroom/pkg/storage"
)

// MailSender returns an SMTP sender when c.Host is set, otherwise the log sender (the
// embedded default).
func MailSender(c config.Mail, log *slog.Logger) (outbox.Sender, string, error) {
	if c.Host == "" {
		return outbox.LogSender{Log: log}, "log (mail kept in the outbox and printed)", nil
	}
	policy, err := outbox.ParseTLSPolicy(c.TLS)
	if err != nil {
		return nil, "", fmt.Errorf("CASEROOM_SMTP_TLS: %w", err)
	}
	s, err := outbox.NewSMTPSender(outbox.SMTPConfig{Host: c.Host, Port: c.Port, TLS: policy,
		Username: c.Username, Password: c.Password, From: c.From})
	if err != nil {
		return nil, "", err
	}
	return s, fmt.Sprintf("smtp %s:%d", c.Host, c.Port), nil
}

// Storage returns an S3 (MinIO) store when c.S3Endpoint is set, otherwise a disk store under
// c.Dir, with at most c.MaxConcurrent uploads streaming at once per replica.
func Storage(ctx context.Context, c config.Files) (storage.Store, string, error) {
	store, desc, err := rawStorage(ctx, c)
	if err != nil {
		return nil, "", err
	}
	return storage.NewLimited(store, c.MaxConcurrent, 10*time.Second), desc, nil
}

func rawStorage(ctx context.Context, c config.Files) (storage.Store, string, error) {
	if c.S3Endpoint == "" {
		d, err := storage.NewDisk(c.Dir)
		if err != nil {
			return nil, "", err
		}
		return d, "disk " + c.Dir, nil
	}
	s3, err := storage.NewS3(ctx, storage.S3Config{Endpoint: c.S3Endpoint, AccessKey: c.S3AccessKey, SecretKey: c.S3SecretKey,
		Bucket: c.S3Bucket, Secure: c.S3Secure, Region: c.S3Region})
	if err != nil {
		return nil, "", err
	}
	return s3, "s3 " + c.S3Endpoint, nil
}

// StartOutbox runs an outbox worker until ctx ends, looking for mail every c.Interval and
// retrying failed mail after c.Backoff, doubling up to c.BackoffMax. Every replica of every
// service runs one; claiming rows with SKIP LOCKED keeps each mail to one delivery.
func StartOutbox(ctx context.Context, db *bun.DB, sender outbox.Sender, log *slog.Logger, worker string, c config.Mail) {
	host, _ := os.Hostname()
	w := &outbox.Worker{DB: db, Sender: sender, Now: time.Now, Log: log, WorkerID: worker + "@" + host,
		Backoff: outbox.ExponentialBackoff(c.Backoff, c.BackoffMax)}
	go w.Run(ctx, c.Interval)
}
