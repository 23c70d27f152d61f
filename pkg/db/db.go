// Package db opens Caseroom's database (SQLite by default, PostgreSQL in production) and
// applies the shared migrations. Both services call Open and Migrate at start-up.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"strings"
	"syscall"
	"time"

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

// Pool settings of PostgreSQL connections (per process).
var (
	// MaxConns bounds the connections of one process.
	MaxConns = 20
	// StatementTimeout bounds every statement on the server (statement_timeout).
	StatementTimeout = 15 * time.Second
)

// IsTimeout reports whether err is a statement the server cancelled (statement_timeout or
// a cancel request: SQLSTATE 57014) or a context that ran out.
func IsTimeout(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) && pgErr.Field('C') == "57014" {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded)
}

// IsConnectionLost reports whether err is a connection to PostgreSQL that the server ended
// (SQLSTATE 57P01..57P03: an administrator's pg_terminate_backend, a shutdown, a restart),
// that broke (class 08, or the socket itself), or that could not be made (the server is
// stopped or restarting: the connection is refused). The pool replaces such a connection,
// so the request may simply be tried again.
func IsConnectionLost(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		c := pgErr.Field('C')
		return strings.HasPrefix(c, "08") || c == "57P01" || c == "57P02" || c == "57P03"
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNREFUSED)
}

// OpenWithParams is Open with extra PostgreSQL connection parameters (tests use search_path).
func OpenWithParams(url string, pgParams map[string]any) (*bun.DB, error) {
	return open(url, pgParams, StatementTimeout)
}

// OpenMaintenance is Open without statement or read timeouts, for the long statements of
// migrations, bulk loads and backfills, which a request must never run.
func OpenMaintenance(url string) (*bun.DB, error) {
	return open(url, nil, 0)
}

func open(url string, pgParams map[string]any, timeout time.Duration) (*bun.DB, error) {
	loc, err := ParseURL(url)
	if err != nil {
		return nil, err
	}
	if loc.Postgres {
		// The server ends any statement after timeout: a request the client gave up on must
		// not keep a backend busy (the driver's cancel does not reach the server). The
		// driver's own read deadline comes a little later, as a backstop, so that the server's
		// error (SQLSTATE 57014, answered 503) is what the caller sees.
		params := map[string]any{"statement_timeout": timeout.Milliseconds()}
		maps.Copy(params, pgParams)
		readTimeout := time.Duration(0) // none
		if timeout > 0 {
			readTimeout = timeout + 5*time.Second
		}
		sqldb := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(url), pgdriver.WithConnParams(params), pgdriver.WithReadTimeout(readTimeout)))
		// Idle connections are kept as many as may be open, so that a steady load reuses
		// them instead of opening hundreds a minute (database/sql keeps 2 by default).
		sqldb.SetMaxOpenConns(MaxConns)
		sqldb.SetMaxIdleConns(MaxConns)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		return bun.NewDB(sqldb, pgdialect.New()), nil
	}
	path := loc.Path
	if err := ensureFolder(path); err != nil {
		return nil, err
	}
	// busy_timeout comes first: the pragmas run in order, and switching a new file to WAL
	// while another process does the same must wait rather than fail with SQLITE_BUSY.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
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

// Migrate applies every pending migration. It is idempotent and safe when several
// processes start at once (both services, or many replicas): PostgreSQL serialises them with
// an advisory lock, which the server releases by itself if a process dies; on SQLite, a
// start with nothing pending takes no lock, and otherwise bun's lock is retried for 30 s.
func Migrate(ctx context.Context, db *bun.DB) error {
	m := migrate.NewMigrator(db, migrations.Migrations)
	if IsPostgres(db) {
		// Even CREATE TABLE IF NOT EXISTS races between processes on PostgreSQL, so the
		// advisory lock comes first. It waits rather than fails, and the server releases it
		// if the holder dies.
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(?)", migrationLockKey); err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey) //nolint:errcheck // closing the connection releases it too
		if err := m.Init(ctx); err != nil {
			return fmt.Errorf("init migrations: %w", err)
		}
		if _, err := m.Migrate(ctx); err != nil { // a replica that waited finds nothing left to do
			return fmt.Errorf("migrate: %w", err)
		}
		return nil
	}
	// SQLite: several processes opening a new file at once can get SQLITE_BUSY even with a busy
	// timeout (while the WAL is being set up), so every step retries within one 30 s window.
	deadline := time.Now().Add(30 * time.Second)
	if err := retryBusy(ctx, deadline, func() error { return m.Init(ctx) }); err != nil {
		return fmt.Errorf("init migrations: %w", err)
	}
	var pending int
	if err := retryBusy(ctx, deadline, func() error {
		all, err := m.MigrationsWithStatus(ctx)
		pending = len(all.Unapplied())
		return err
	}); err != nil {
		return fmt.Errorf("list pending migrations: %w", err)
	}
	if pending == 0 {
		return nil
	}
	// bun's lock fails at once while another process holds it; that is retried as well.
	if err := retryBusy(ctx, deadline, func() error { return m.Lock(ctx) }, "locked"); err != nil {
		return fmt.Errorf("lock migrations (another process holds it; if none runs, delete the row of bun_migration_locks): %w", err)
	}
	defer m.Unlock(context.WithoutCancel(ctx)) //nolint:errcheck // a failed unlock leaves a row an operator can delete
	// Each migration runs in its own transaction, so a retry applies only what is left.
	if err := retryBusy(ctx, deadline, func() error { _, err := m.Migrate(ctx); return err }); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// retryBusy runs fn until it succeeds, fails for another reason than SQLite being busy (or
// than an error containing one of also), or the deadline passes.
func retryBusy(ctx context.Context, deadline time.Time, fn func() error, also ...string) error {
	for {
		err := fn()
		if err == nil {
			return nil
		}
		retry := strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked")
		for _, a := range also {
			retry = retry || strings.Contains(err.Error(), a)
		}
		if !retry || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// migrationLockKey is the PostgreSQL advisory-lock key of Caseroom's migrations.
const migrationLockKey = 727_270_001

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
