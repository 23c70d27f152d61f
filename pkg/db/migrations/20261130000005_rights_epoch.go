package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

func init() {
	Migrations.MustRegister(sqlMigration("0005_rights_epoch.sql"), func(ctx context.Context, db *bun.DB) error {
		if _, err := db.ExecContext(ctx, "DROP TABLE rights_epoch"); err != nil {
			return fmt.Errorf("drop rights_epoch: %w", err)
		}
		return nil
	})
}
