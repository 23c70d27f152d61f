package db_test

import (
	"context"
	"testing"

	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
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
	if n != 3 {
		t.Fatalf("applied migrations = %d, want 3", n)
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
	if n != 3 {
		t.Fatalf("applied migrations = %d, want 3", n)
	}
}
