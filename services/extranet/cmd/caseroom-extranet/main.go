// Command caseroom-extranet serves the extranet portal to customer contacts: a JSON:API
// under /portal/v1 and server-rendered pages. It shares the database with caseroom-api.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/platform"
	"github.com/caseroom/caseroom/services/extranet/internal/portal"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "caseroom-extranet:", err)
		os.Exit(1)
	}
}

func run() error {
	cfg, err := portal.LoadConfig()
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	database, err := db.Open(cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer database.Close()
	if err := db.Migrate(ctx, database); err != nil {
		return err
	}
	if cfg.DevSecret {
		log.Warn("CASEROOM_EXTRANET_JWT_SECRET is not set; using the development secret")
	}
	tokens, err := auth.NewIssuer(cfg.JWTSecret, auth.AudienceExtranet, cfg.TokenTTL, time.Now)
	if err != nil {
		return err
	}
	store, storeDesc, err := platform.Storage(ctx)
	if err != nil {
		return err
	}
	sender, mailDesc, err := platform.MailSender(log)
	if err != nil {
		return err
	}
	platform.StartOutbox(ctx, database, sender, log, "caseroom-extranet")
	log.Info("infrastructure", "files", storeDesc, "mail", mailDesc, "max_upload_bytes", cfg.MaxUploadBytes)
	app := portal.New(portal.Deps{DB: database, Log: log, Tokens: tokens, Now: time.Now, Files: store,
		Secret: cfg.JWTSecret, PortalURL: cfg.PortalURL, MaxUploadBytes: cfg.MaxUploadBytes,
		CookieSecure: cfg.CookieSecure, PresignDownloads: cfg.PresignDownloads})
	log.Info("caseroom-extranet listening", "addr", cfg.Addr, "portal_url", cfg.PortalURL)
	return httpx.Serve(ctx, app, cfg.Addr, cfg.ShutdownGrace, log)
}
