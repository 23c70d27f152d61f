// Package dbtest gives each test its own migrated database: a SQLite file in t.TempDir() by
// default, or a fresh PostgreSQL schema when CASEROOM_TEST_DATABASE_URL names a postgres://
// database. With CI=true an unreachable PostgreSQL fails the test.
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/db"
)

// URL is the database the tests run against ("" means SQLite). Only the explicit test
// variable counts: a DATABASE_URL exported for running the product must never receive the
// schemas that tests create and drop.
func URL() string {
	return os.Getenv("CASEROOM_TEST_DATABASE_URL")
}

// IsPostgres reports whether this test run uses PostgreSQL.
func IsPostgres() bool {
	u := URL()
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// Open returns a migrated, empty database private to t, closed when t ends.
func Open(t testing.TB) *bun.DB {
	t.Helper()
	d := OpenUnmigrated(t)()
	if err := db.Migrate(context.Background(), d); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return d
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// OpenUnmigrated returns a function that opens a new connection pool to one fresh, empty,
// unmigrated database private to t, as separate processes would (tests of Migrate itself).
func OpenUnmigrated(t testing.TB) func() *bun.DB {
	t.Helper()
	ctx := context.Background()
	var open func() (*bun.DB, error)
	if !IsPostgres() {
		path := "sqlite://" + filepath.Join(t.TempDir(), "fresh.db")
		open = func() (*bun.DB, error) { return db.Open(path) }
	} else {
		admin, err := db.Open(URL())
		if err != nil {
			t.Fatalf("open postgres: %v", err)
		}
		if err := db.Ping(ctx, admin); err != nil {
			admin.Close()
			if os.Getenv("CI") == "true" {
				t.Fatalf("PostgreSQL is required in CI: %v", err)
			}
			t.Skipf("PostgreSQL unreachable: %v", err)
		}
		schema := "t_" + randomHex(8)
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE") //nolint:errcheck
			admin.Close()
		})
		open = func() (*bun.DB, error) { return db.OpenWithParams(URL(), map[string]any{"search_path": schema}) }
	}
	return func() *bun.DB {
		d, err := open()
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
}
