// Command caseroom-extranet serves the extranet portal to customer contacts: a JSON:API
// under /portal/v1 and server-rendered pages. It shares the database with caseroom-api.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/config"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/pkg/platform"
	"github.com/caseroom/caseroom/services/extranet/internal/portal"
)

// usage is what --help prints before the environment.
const usage = `caseroom-extranet: Caseroom's extranet portal for customer contacts

  caseroom-extranet           serve (migrating the database first)
  caseroom-extranet --help    this text`

func main() {
	if config.IsHelp(os.Args[1:]) {
		config.PrintHelp(os.Stdout, usage, "extranet")
		return
	}
	if len(os.Args) > 1 {
		fmt.Fprintf(os.Stderr, "caseroom-extranet: unknown argument %q (try --help)\n", os.Args[1])
		os.Exit(2)
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "caseroom-extranet:", err)
		os.Exit(1)
	}
}

func run() error {
	env, err := config.LoadEnv(config.Production)
	if err != nil {
		return err
	}
	cfg, err := portal.LoadConfig(env)
	if err != nil {
		return err
	}
	platform.HashLimits(cfg.Hashing)
	log := platform.Logger(cfg.LogLevel)
	platform.Start(log, "caseroom-extranet", cfg.Common)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	database, err := platform.OpenDatabase(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer database.Close()
	tokens, err := platform.Tokens(log, cfg.Common, auth.AudienceExtranet)
	if err != nil {
		return err
	}
	if err := httpx.ServeAdmin(ctx, cfg.AdminAddr, log); err != nil {
		return err
	}
	store, err := platform.Infrastructure(ctx, database, log, "caseroom-extranet", cfg.Infrastructure)
	if err != nil {
		return err
	}
	// The digest runs beside the outbox worker, in every replica of both services.
	go (&notify.Worker{DB: database, Now: time.Now, Log: log, PortalURL: cfg.PortalURL, AppURL: cfg.AppURL}).Run(ctx, notify.DefaultInterval)
	app := portal.New(portal.Deps{DB: database, Log: log, Tokens: tokens, Now: time.Now, Files: store,
		Secret: cfg.JWTSecret, PortalURL: cfg.PortalURL, MaxUploadBytes: cfg.Files.MaxUpload,
		CookieSecure: cfg.CookieSecure, PresignDownloads: cfg.PresignDownloads, TrustedProxies: cfg.TrustedProxies})
	return httpx.Serve(ctx, app, cfg.Addr, cfg.ShutdownGrace, log, "portal_url", cfg.PortalURL)
}
