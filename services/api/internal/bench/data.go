// Package bench measures the API at firm scale: it generates (or reuses) an organisation of
// each size on each database, runs the built caseroom-api against it, loads it with vegeta at
// 1 and at 8 concurrent callers for each representative caller, and prints p50, p99 and
// throughput side by side with a bare Fiber handler doing the same list query, so that the
// cost of Caseroom's own layers is a ratio measured in the same run.
package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/gen"
	"github.com/caseroom/caseroom/pkg/platform"
)

// Size is one data set.
type Size struct {
	Name  string
	Sizes gen.Sizes
}

// Sizes are the data sets by name. Hours grow with cases up to 100k cases; the 1M-case set
// keeps 2M hours so that it generates within the 15 minutes the bench may take.
var Sizes = map[string]Size{
	"10k":  {"10k", gen.Sizes{Users: 1000, Units: 40, Accounts: 1000, Cases: 10000, Hours: 100000, Invoices: 5000, Travel: 2000}},
	"100k": {"100k", gen.DefaultSizes()},
	"1m":   {"1m", gen.Sizes{Users: 5000, Units: 200, Accounts: 20000, Cases: 1000000, Hours: 2000000, Invoices: 100000, Travel: 40000}},
}

// Dataset is a generated organisation that a bench runs on.
type Dataset struct {
	Kind   string // "postgres" or "sqlite"
	Size   Size
	URL    string // DATABASE_URL
	Logins *gen.Logins
}

// ensure returns the data set of kind and size, generating it when it is missing. A data set
// counts as present when its logins file exists; otherwise its database is made anew.
func ensure(ctx context.Context, kind string, size Size, pgURL, dir string, progress io.Writer) (*Dataset, error) {
	ds := &Dataset{Kind: kind, Size: size}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	loginsFile := filepath.Join(dir, kind+"-"+size.Name+".json")
	switch kind {
	case "sqlite":
		ds.URL = "sqlite://" + filepath.Join(dir, "sqlite-"+size.Name+".db")
	case "postgres":
		u, err := url.Parse(pgURL)
		if err != nil {
			return nil, fmt.Errorf("bench: PostgreSQL URL: %w", err)
		}
		u.Path = "/caseroom_bench_" + size.Name
		ds.URL = u.String()
	default:
		return nil, fmt.Errorf("bench: unknown database %q", kind)
	}
	if b, err := os.ReadFile(loginsFile); err == nil {
		var l gen.Logins
		if err := json.Unmarshal(b, &l); err == nil {
			ds.Logins = &l
			fmt.Fprintf(progress, "reusing %s %s (%s)\n", kind, size.Name, loginsFile)
			return ds, nil
		}
	}
	if err := recreate(ctx, ds, pgURL); err != nil {
		return nil, err
	}
	fmt.Fprintf(progress, "generating %s %s: %d cases, %d hours\n", kind, size.Name, size.Sizes.Cases, size.Sizes.Hours)
	database, err := platform.OpenMaintenance(ctx, ds.URL)
	if err != nil {
		return nil, err
	}
	defer database.Close()
	start := time.Now()
	logins, err := gen.Generate(ctx, database, gen.Config{Sizes: size.Sizes, Seed: 1, Progress: progress})
	if err != nil {
		return nil, err
	}
	if db.IsPostgres(database) {
		if _, err := database.ExecContext(ctx, "ANALYZE"); err != nil {
			return nil, fmt.Errorf("bench: analyze: %w", err)
		}
	}
	fmt.Fprintf(progress, "generated %s %s in %s\n", kind, size.Name, time.Since(start).Round(time.Second))
	ds.Logins = logins
	if err := logins.WriteFile(loginsFile); err != nil {
		return nil, err
	}
	return ds, nil
}

// recreate drops the data set's database (PostgreSQL) or file (SQLite) and makes it empty.
func recreate(ctx context.Context, ds *Dataset, pgURL string) error {
	if ds.Kind == "sqlite" {
		path := strings.TrimPrefix(ds.URL, "sqlite://")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
		return os.MkdirAll(filepath.Dir(path), 0o755)
	}
	admin, err := db.Open(pgURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	name := strings.TrimPrefix(mustPath(ds.URL), "/")
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("bench: drop %s: %w", name, err)
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("bench: create %s: %w", name, err)
	}
	return nil
}

func mustPath(raw string) string {
	u, _ := url.Parse(raw)
	return u.Path
}

// sampleMonth returns the month ("2026-11") of the data set's newest hours, for the month
// scenario.
func sampleMonth(ctx context.Context, database *bun.DB) (string, error) {
	var day sql.NullString
	err := database.NewRaw("SELECT MAX(work_date) FROM work_hours").Scan(ctx, &day)
	if err != nil || !day.Valid {
		return "", fmt.Errorf("bench: no hours: %w", err)
	}
	return day.String[:7], nil
}
