package db_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/db/migrations"
)

func TestMigrateIsIdempotent(t *testing.T) {
	d := dbtest.Open(t)
	ctx := context.Background()
	if err := db.Migrate(ctx, d); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	var n int
	if err := d.NewSelect().TableExpr("bun_migrations").ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
		t.Fatalf("count migrations: %v", err)
	}
	if want := len(migrations.Migrations.Sorted()); n != want {
		t.Fatalf("applied migrations = %d, want %d", n, want)
	}
	for _, table := range []string{"settings", "business_units", "users", "profiles", "user_right_overrides", "api_keys",
		"accounts", "contacts", "addresses", "cases", "case_members", "phases", "work_hours", "invoices", "invoice_rows",
		"invoice_statuses", "travel_reimbursements", "activities", "activity_participants", "files", "comments",
		"extranet_shares", "share_contacts", "contact_credentials", "outbox_emails", "change_history"} {
		if _, err := d.NewSelect().TableExpr(table).ColumnExpr("count(*)").Exec(ctx); err != nil {
			t.Errorf("table %s: %v", table, err)
		}
	}
}

func TestPing(t *testing.T) {
	if err := db.Ping(context.Background(), dbtest.Open(t)); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentStartsMigrateOnce: several processes starting at once (both services, many
// replicas) all succeed, and the schema is migrated once.
func TestConcurrentStartsMigrateOnce(t *testing.T) {
	fresh := dbtest.OpenUnmigrated(t)
	ctx := context.Background()
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		go func() { errs <- db.Migrate(ctx, fresh()) }()
	}
	for i := 0; i < 6; i++ {
		if err := <-errs; err != nil {
			t.Fatalf("a concurrent start failed: %v", err)
		}
	}
	var n int
	if err := fresh().NewSelect().TableExpr("bun_migrations").ColumnExpr("count(*)").Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if want := len(migrations.Migrations.Sorted()); n != want {
		t.Fatalf("applied migrations = %d, want %d", n, want)
	}
}

// A statement the client no longer waits for must not keep running on the server: every
// PostgreSQL connection carries statement_timeout, and its error is recognised as a timeout
// (the HTTP layer answers 503, not 500).
func TestStatementTimeout(t *testing.T) {
	if !dbtest.IsPostgres() {
		t.Skip("statement_timeout is PostgreSQL's")
	}
	old := db.StatementTimeout
	db.StatementTimeout = 200 * time.Millisecond
	t.Cleanup(func() { db.StatementTimeout = old })
	d, err := db.Open(dbtest.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	_, err = d.ExecContext(context.Background(), "SELECT pg_sleep(2)")
	if err == nil || !db.IsTimeout(err) {
		t.Fatalf("err %v, want a statement timeout", err)
	}
	if db.IsTimeout(errors.New("other")) {
		t.Fatal("any error counts as a timeout")
	}
}

// A connection PostgreSQL ends (pg_terminate_backend, a restart) is lost, not a failure of the
// request: IsConnectionLost tells it apart, so the API answers 503 and the pool replaces it.
func TestConnectionLost(t *testing.T) {
	if !dbtest.IsPostgres() {
		t.Skip("ending a server connection is PostgreSQL's")
	}
	d := dbtest.Open(t)
	ctx := context.Background()
	conn, err := d.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var pid int
	if err := conn.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, "SELECT pg_terminate_backend(?)", pid); err != nil {
		t.Fatal(err)
	}
	var one int
	err = conn.QueryRowContext(ctx, "SELECT 1").Scan(&one)
	if err == nil || !db.IsConnectionLost(err) {
		t.Fatalf("a query on a terminated connection: %v, want a lost connection", err)
	}
	if db.IsConnectionLost(errors.New("syntax error")) {
		t.Fatal("any error counted as a lost connection")
	}
	if err := d.PingContext(ctx); err != nil {
		t.Fatalf("the pool does not recover: %v", err)
	}
}

// A server that is down (stopped, or between the two halves of a restart) refuses the
// connection: that too is a lost connection, which the pool makes again once the server is
// back, and not a failure of the request.
func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	d, err := db.Open("postgres://postgres@" + addr + "/caseroom?sslmode=disable")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	err = d.PingContext(context.Background())
	if err == nil || !db.IsConnectionLost(err) {
		t.Fatalf("a server that refuses the connection: %v, want a lost connection", err)
	}
	if wrapped := fmt.Errorf("load caller 3: %w", err); !db.IsConnectionLost(wrapped) {
		t.Fatalf("wrapped: %v, want a lost connection", wrapped)
	}
}
