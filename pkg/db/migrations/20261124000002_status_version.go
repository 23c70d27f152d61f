package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

func init() {
	Migrations.MustRegister(sqlMigration("0002_status_version.sql"), func(ctx context.Context, db *bun.DB) error {
		if _, err := db.ExecContext(ctx, "ALTER TABLE invoice_statuses DROP COLUMN version"); err != nil {
			return fmt.Errorf("drop invoice_statuses.version: %w", err)
		}
		return nil
	})
}
