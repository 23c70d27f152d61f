package platform

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/bootstrap"
	"github.com/caseroom/caseroom/pkg/config"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/storage"
)

// Logger returns the JSON logger of a service at level ("debug", "info", "warn", "error";
// anything else means info).
func Logger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}

// OpenDatabase opens the database at url for serving, after Prepare has brought it up to
// date. Its statements are bounded by db.StatementTimeout.
func OpenDatabase(ctx context.Context, url string) (*bun.DB, error) {
	if err := Prepare(ctx, url); err != nil {
		return nil, err
	}
	return db.Open(url)
}

// OpenMaintenance opens the database at url for commands that run long statements (demo,
// gen, init-admin), after Prepare; its statements have no timeout.
func OpenMaintenance(ctx context.Context, url string) (*bun.DB, error) {
	if err := Prepare(ctx, url); err != nil {
		return nil, err
	}
	return db.OpenMaintenance(url)
}

// Prepare applies the migrations and makes sure the settings row, the invoice statuses and
// the default profiles exist (RIGHTS.md PRF-1), on a connection without timeouts: a migration
// may backfill millions of rows.
func Prepare(ctx context.Context, url string) error {
	database, err := db.OpenMaintenance(url)
	if err != nil {
		return err
	}
	defer database.Close()
	if err := db.Migrate(ctx, database); err != nil {
		return err
	}
	return bootstrap.Ensure(ctx, database, time.Now)
}

// Tokens returns the service's JWT issuer for audience, warning when the secret was made up
// for this process (development only: sessions end with the process).
func Tokens(log *slog.Logger, c config.Common, audience string) (*auth.Issuer, error) {
	if c.GeneratedSecret {
		log.Warn("no JWT secret is set; this process uses a random one, so sessions end when it stops", "env", c.Env)
	}
	return auth.NewIssuer(c.JWTSecret, audience, c.TokenTTL, time.Now)
}

// DefaultMemoryLimit is the soft memory limit of a service when GOMEMLIMIT is unset: the
// garbage collector works harder as the heap nears it, so that the 64 MiB blocks that
// argon2id leaves behind after each login are returned before a burst of logins adds up.
const DefaultMemoryLimit = 256 << 20

// Start logs what a service runs on: its mode and database (kind, host and name, never a
// password), and sets the soft memory limit (GOMEMLIMIT, default DefaultMemoryLimit).
// Infrastructure logs the file store and the mail sender.
func Start(log *slog.Logger, service string, c config.Common) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(DefaultMemoryLimit)
	}
	log.Info(service+" starting", "env", c.Env, "database", c.Database.Describe, "memory_limit_mib", debug.SetMemoryLimit(-1)>>20)
}

// HashLimits applies the password-hashing bounds (auth.SetHashConcurrency).
func HashLimits(h config.Hashing) {
	auth.SetHashConcurrency(h.Concurrency, h.Wait)
}

// Infrastructure connects the file store and starts the outbox worker for service, logging
// which file store and mail sender the environment chose.
func Infrastructure(ctx context.Context, database *bun.DB, log *slog.Logger, service string, c config.Infrastructure) (storage.Store, error) {
	store, storeDesc, err := Storage(ctx, c.Files)
	if err != nil {
		return nil, err
	}
	sender, mailDesc, err := MailSender(c.Mail, log)
	if err != nil {
		return nil, err
	}
	StartOutbox(ctx, database, sender, log, service, c.Mail)
	log.Info("infrastructure", "files", storeDesc, "mail", mailDesc)
	return store, nil
}

// Ready is a service's readiness check: the database answers. The file store is not part of
// it: without the store a replica still serves everything but file content (uploads and
// downloads answer 503 themselves), so a store outage must not take every replica out of
// the balancer.
func Ready(database *bun.DB) func(context.Context) error {
	return func(ctx context.Context) error { return db.Ping(ctx, database) }
}
