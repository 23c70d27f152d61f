// Command caseroom-api serves Caseroom's internal JSON:API to the firm's own app.
//
//	caseroom-api          serve (migrating the database first)
//	caseroom-api demo     load the demo organisation if the database is empty, print logins
//	caseroom-api migrate  apply migrations and exit
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
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/platform"
	"github.com/caseroom/caseroom/services/api/internal/server"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "caseroom-api:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cfg, err := server.LoadConfig()
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: parseLevel(cfg.LogLevel)}))
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

	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "migrate":
		log.Info("migrations applied")
		return nil
	case "demo":
		logins, err := demo.Load(ctx, database, time.Now)
		if err != nil {
			return err
		}
		demo.PrintLogins(os.Stdout, logins)
		return nil
	case "serve":
	default:
		return fmt.Errorf("unknown command %q (want serve, demo or migrate)", cmd)
	}

	if cfg.DevSecret {
		log.Warn("CASEROOM_API_JWT_SECRET is not set; using the development secret")
	}
	tokens, err := auth.NewIssuer(cfg.JWTSecret, auth.AudienceAPI, cfg.TokenTTL, time.Now)
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
	platform.StartOutbox(ctx, database, sender, log, "caseroom-api")
	log.Info("infrastructure", "files", storeDesc, "mail", mailDesc)
	app := server.New(server.Deps{DB: database, Log: log, Tokens: tokens, Now: time.Now, Files: store, PortalURL: platform.PortalURL(), MaxUpload: cfg.MaxUpload})
	log.Info("caseroom-api listening", "addr", cfg.Addr)
	return httpx.Serve(ctx, app, cfg.Addr, cfg.ShutdownGrace, log)
}

func parseLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return slog.LevelInfo
	}
	return l
}
