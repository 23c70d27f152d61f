package migrations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

func init() {
	Migrations.MustRegister(sqlMigration("0004_scale_indexes.sql"), func(ctx context.Context, db *bun.DB) error {
		for _, idx := range []string{"travel_case_idx", "work_hours_date_idx", "users_email_lower_idx", "contacts_email_lower_idx", "cases_name_idx"} {
			if _, err := db.ExecContext(ctx, "DROP INDEX IF EXISTS "+idx); err != nil {
				return fmt.Errorf("drop index %s: %w", idx, err)
			}
		}
		return nil
	})
}
