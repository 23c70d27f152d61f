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

// MailSender returns an SMTP sender when CASEROOM_SMTP_HOST is set, otherwise the log
// sender (the embedded default).
func MailSender(log *slog.Logger) (outbox.Sender, string, error) {
	host := os.Getenv("CASEROOM_SMTP_HOST")
	if host == "" {
		return outbox.LogSender{Log: log}, "log (mail kept in the outbox and printed)", nil
	}
	port, err := config.Int("CASEROOM_SMTP_PORT", 587)
	if err != nil {
		return nil, "", err
	}
	policy, err := outbox.ParseTLSPolicy(config.String("CASEROOM_SMTP_TLS", "opportunistic"))
	if err != nil {
		return nil, "", fmt.Errorf("CASEROOM_SMTP_TLS: %w", err)
	}
	s, err := outbox.NewSMTPSender(outbox.SMTPConfig{
		Host: host, Port: port, TLS: policy,
		Username: os.Getenv("CASEROOM_SMTP_USERNAME"), Password: os.Getenv("CASEROOM_SMTP_PASSWORD"),
		From: config.String("CASEROOM_MAIL_FROM", "Caseroom <noreply@caseroom.localhost>"),
	})
	if err != nil {
		return nil, "", err
	}
	return s, fmt.Sprintf("smtp %s:%d", host, port), nil
}

// Storage returns an S3 (MinIO) store when CASEROOM_S3_ENDPOINT is set, otherwise a disk
// store under CASEROOM_FILES_DIR (default data/files), with at most CASEROOM_MAX_UPLOADS
// (default 16) uploads streaming at once per replica.
func Storage(ctx context.Context) (storage.Store, string, error) {
	store, desc, err := rawStorage(ctx)
	if err != nil {
		return nil, "", err
	}
	n, err := config.Int("CASEROOM_MAX_UPLOADS", 16)
	if err != nil || n < 1 {
		return nil, "", fmt.Errorf("CASEROOM_MAX_UPLOADS: want a positive number")
	}
	return storage.NewLimited(store, n, 10*time.Second), desc, nil
}

func rawStorage(ctx context.Context) (storage.Store, string, error) {
	endpoint := os.Getenv("CASEROOM_S3_ENDPOINT")
	if endpoint == "" {
		dir := config.String("CASEROOM_FILES_DIR", storage.DefaultDiskDir)
		d, err := storage.NewDisk(dir)
		if err != nil {
			return nil, "", err
		}
		return d, "disk " + dir, nil
	}
	s3, err := storage.NewS3(ctx, storage.S3Config{
		Endpoint: endpoint, AccessKey: os.Getenv("CASEROOM_S3_ACCESS_KEY"), SecretKey: os.Getenv("CASEROOM_S3_SECRET_KEY"),
		Bucket: config.String("CASEROOM_S3_BUCKET", "caseroom"), Secure: os.Getenv("CASEROOM_S3_SECURE") == "true",
		Region: os.Getenv("CASEROOM_S3_REGION"),
	})
	if err != nil {
		return nil, "", err
	}
	return s3, "s3 " + endpoint, nil
}

// StartOutbox runs an outbox worker until ctx ends. Every replica of every service runs
// one; claiming rows with SKIP LOCKED keeps each mail to one delivery.
func StartOutbox(ctx context.Context, db *bun.DB, sender outbox.Sender, log *slog.Logger, worker string) {
	interval, err := config.Duration("CASEROOM_OUTBOX_INTERVAL", 5*time.Second)
	if err != nil {
		log.Warn("bad CASEROOM_OUTBOX_INTERVAL, using 5s", "err", err)
		interval = 5 * time.Second
	}
	host, _ := os.Hostname()
	w := &outbox.Worker{DB: db, Sender: sender, Now: time.Now, Log: log, WorkerID: worker + "@" + host}
	go w.Run(ctx, interval)
}
