package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

func init() {
	Migrations.MustRegister(sqlMigration("0006_login_failures.sql"), func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, "ALTER TABLE login_attempts DROP COLUMN failed")
		return err
	})
}
