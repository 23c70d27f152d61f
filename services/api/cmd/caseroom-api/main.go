// Command caseroom-api serves Caseroom's internal JSON:API to the firm's own app.
//
//	caseroom-api          serve (migrating the database first)
//	caseroom-api demo     load the demo organisation if the database is empty, share a case
//	                      with a customer contact, print the app's and the portal's logins
//	caseroom-api migrate  apply migrations and exit
//	caseroom-api init-admin EMAIL "NAME" ["ORGANISATION"]
//	                      create the first user, an Administrator; the password comes from
//	                      CASEROOM_ADMIN_PASSWORD or is generated and printed once
//	caseroom-api gen [--users 5000] [--units 200] [--accounts 10000] [--cases 100000]
//	                 [--hours 1000000] [--invoices 50000] [--travel 20000] [--seed N] [--logins FILE]
//	                      fill an empty database with a firm-scale organisation for performance
//	                      work, print the representative callers' logins (and write them as JSON)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/bootstrap"
	"github.com/caseroom/caseroom/pkg/config"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/gen"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/pkg/platform"
	"github.com/caseroom/caseroom/services/api/internal/server"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "caseroom-api:", err)
		os.Exit(1)
	}
}

// usage is what --help prints before the environment.
const usage = `caseroom-api: Caseroom's internal JSON:API

  caseroom-api            serve (migrating the database first)
  caseroom-api demo       load the demo organisation into an empty database, share a case with
                          a customer contact, and print the app's and the portal's logins
  caseroom-api migrate    apply migrations and exit
  caseroom-api init-admin EMAIL "NAME" ["ORGANISATION"]
                          create the first Administrator (password from CASEROOM_ADMIN_PASSWORD,
                          or generated and printed once)
  caseroom-api gen [--cases N ...]
                          fill an empty database with a firm-scale organisation (gen --help)
  caseroom-api --help     this text`

func run(args []string) error {
	if config.IsHelp(args) {
		// Before anything else: help must not need, or touch, a database.
		config.PrintHelp(os.Stdout, usage, "api")
		return nil
	}
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	// Production is the default; only the demo, which is for a laptop, defaults to
	// development.
	defaultEnv := config.Production
	if cmd == "demo" {
		defaultEnv = config.Development
	}
	env, err := config.LoadEnv(defaultEnv)
	if err != nil {
		return err
	}
	// Only serving signs tokens and sends invitations: the other commands need the database
	// alone, so production's demands on secrets and the portal address do not apply to them.
	checks := env
	if cmd != "serve" {
		checks = config.Development
	}
	cfg, err := server.LoadConfig(checks)
	if err != nil {
		return err
	}
	cfg.Env = env
	platform.HashLimits(cfg.Hashing)
	log := platform.Logger(cfg.LogLevel)
	platform.Start(log, "caseroom-api", cfg.Common)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	open := platform.OpenDatabase
	if cmd != "serve" {
		open = platform.OpenMaintenance // demo, gen and init-admin write in bulk
	}
	database, err := open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer database.Close()

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
		portal, err := demo.SharePortal(ctx, database, time.Now)
		if err != nil {
			return err
		}
		demo.PrintPortalLogin(os.Stdout, portal, cfg.PortalURL)
		return nil
	case "init-admin":
		if len(args) < 3 {
			return fmt.Errorf("usage: caseroom-api init-admin EMAIL \"NAME\" [\"ORGANISATION\"]")
		}
		org := "Caseroom"
		if len(args) > 3 {
			org = args[3]
		}
		pw, err := bootstrap.FirstAdmin(ctx, database, time.Now, args[1], args[2], org, os.Getenv("CASEROOM_ADMIN_PASSWORD"))
		if err != nil {
			return err
		}
		if os.Getenv("CASEROOM_ADMIN_PASSWORD") == "" {
			fmt.Printf("First administrator %s created. Password (shown once): %s\n", args[1], pw)
		} else {
			fmt.Printf("First administrator %s created.\n", args[1])
		}
		return nil
	case "gen":
		return generate(ctx, database, args[1:])
	case "serve":
	default:
		return fmt.Errorf("unknown command %q (want serve, demo, migrate, init-admin or gen)", cmd)
	}

	tokens, err := platform.Tokens(log, cfg.Common, auth.AudienceAPI)
	if err != nil {
		return err
	}
	if err := httpx.ServeAdmin(ctx, cfg.AdminAddr, log); err != nil {
		return err
	}
	store, err := platform.Infrastructure(ctx, database, log, "caseroom-api", cfg.Infrastructure)
	if err != nil {
		return err
	}
	// Every replica of both services runs the digest beside the outbox worker; each
	// recipient's news is claimed by one run at a time.
	go (&notify.Worker{DB: database, Now: time.Now, Log: log, PortalURL: cfg.PortalURL, AppURL: cfg.AppURL}).Run(ctx, notify.DefaultInterval)
	app := server.New(server.Deps{DB: database, Log: log, Tokens: tokens, Now: time.Now, Files: store, PortalURL: cfg.PortalURL, MaxUpload: cfg.Files.MaxUpload,
		TrustedProxies: cfg.TrustedProxies})
	return httpx.Serve(ctx, app, cfg.Addr, cfg.ShutdownGrace, log)
}

// generate runs `caseroom-api gen`: its flags become a gen.Config, progress goes to stderr,
// the logins to stdout and, with --logins, to a JSON file.
func generate(ctx context.Context, database *bun.DB, args []string) error {
	cfg := gen.Config{Sizes: gen.DefaultSizes(), Seed: 1, Now: time.Now, Progress: os.Stderr}
	fs := flag.NewFlagSet("caseroom-api gen", flag.ContinueOnError)
	fs.IntVar(&cfg.Users, "users", cfg.Users, "users")
	fs.IntVar(&cfg.Units, "units", cfg.Units, "business units")
	fs.IntVar(&cfg.Accounts, "accounts", cfg.Accounts, "accounts (customers)")
	fs.IntVar(&cfg.Cases, "cases", cfg.Cases, "cases")
	fs.IntVar(&cfg.Hours, "hours", cfg.Hours, "work-hour entries")
	fs.IntVar(&cfg.Invoices, "invoices", cfg.Invoices, "invoices")
	fs.IntVar(&cfg.Travel, "travel", cfg.Travel, "travel reimbursements")
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed: the same seed and sizes give the same organisation")
	loginsFile := fs.String("logins", "", "also write the representative callers' logins as JSON to this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	logins, err := gen.Generate(ctx, database, cfg)
	if err != nil {
		return err
	}
	logins.Print(os.Stdout)
	if *loginsFile != "" {
		return logins.WriteFile(*loginsFile)
	}
	return nil
}
