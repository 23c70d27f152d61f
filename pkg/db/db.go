// Package db opens Caseroom's database (SQLite by default, PostgreSQL in production) and
// applies the shared migrations. Both services call Open and Migrate at start-up.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/migrate"
	_ "modernc.org/sqlite" // pure-Go SQLite: no cgo, so the binaries and images stay static.

	"github.com/caseroom/caseroom/pkg/db/migrations"
)

// DefaultURL is the embedded default: a SQLite file under ./data/.
const DefaultURL = "sqlite://data/caseroom.db"

// Open connects to url: "postgres://…" or "postgresql://…" selects PostgreSQL, "sqlite://PATH"
// (or a bare path) selects SQLite. For SQLite the parent folder is created.
func Open(url string) (*bun.DB, error) {
	return OpenWithParams(url, nil)
}

// OpenWithParams is Open with extra PostgreSQL connection parameters (tests use search_path).
func OpenWithParams(url string, pgParams map[string]any) (*bun.DB, error) {
	if url == "" {
		url = DefaultURL
	}
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		opts := []pgdriver.Option{pgdriver.WithDSN(url)}
		if pgParams != nil {
			opts = append(opts, pgdriver.WithConnParams(pgParams))
		}
		sqldb := sql.OpenDB(pgdriver.NewConnector(opts...))
		sqldb.SetMaxOpenConns(20)
		return bun.NewDB(sqldb, pgdialect.New()), nil
	}
	path := strings.TrimPrefix(url, "sqlite://")
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, fmt.Errorf("create database folder: %w", err)
		}
	}
	dsn := "file:" + path + "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_txlock=immediate"
	sqldb, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// SQLite allows one writer; a single connection serialises writers inside the process
	// instead of failing them with SQLITE_BUSY. Production runs PostgreSQL.
	sqldb.SetMaxOpenConns(1)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// IsPostgres reports whether db talks to PostgreSQL.
func IsPostgres(db bun.IDB) bool {
	return db.Dialect().Name().String() == "pg"
}

// Migrate applies every pending migration. It is idempotent, and safe when several
// replicas start at once: the migrator's lock lets one of them run the migrations.
func Migrate(ctx context.Context, db *bun.DB) error {
	m := migrate.NewMigrator(db, migrations.Migrations)
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("init migrations: %w", err)
	}
	if err := m.Lock(ctx); err != nil {
		return fmt.Errorf("lock migrations: %w", err)
	}
	defer m.Unlock(ctx) //nolint:errcheck // an unlock failure leaves a row an operator can delete
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Ping checks that the database answers; /readyz uses it.
func Ping(ctx context.Context, db *bun.DB) error {
	var one int
	if err := db.NewSelect().ColumnExpr("1").Scan(ctx, &one); err != nil {
		return fmt.Errorf("ping database: %w", err)
	}
	if one != 1 {
		return errors.New("ping database: unexpected answer")
	}
	return nil
}
