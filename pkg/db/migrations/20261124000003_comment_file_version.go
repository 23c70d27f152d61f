package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

func init() {
	Migrations.MustRegister(sqlMigration("0003_comment_file_version.sql"), func(ctx context.Context, db *bun.DB) error {
		for _, stmt := range []string{"ALTER TABLE comments DROP COLUMN updated_at", "ALTER TABLE comments DROP COLUMN version",
			"ALTER TABLE files DROP COLUMN version"} {
			if _, err := db.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("%s: %w", stmt, err)
			}
		}
		return nil
	})
}
