package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

func init() {
	Migrations.MustRegister(sqlMigration("0008_portal_people.sql"), func(ctx context.Context, db *bun.DB) error {
		drops := []string{
			"DROP INDEX contact_credentials_reset_idx",
			"ALTER TABLE extranet_shares DROP COLUMN hide_files", "ALTER TABLE extranet_shares DROP COLUMN hide_hours",
			"ALTER TABLE extranet_shares DROP COLUMN hide_status", "ALTER TABLE extranet_shares DROP COLUMN hide_hour_prices",
			"ALTER TABLE extranet_shares DROP COLUMN hide_billing",
			"ALTER TABLE contact_credentials DROP COLUMN reset_expires_at", "ALTER TABLE contact_credentials DROP COLUMN reset_token_hash",
			"ALTER TABLE contacts DROP COLUMN notify_new_files", "ALTER TABLE contacts DROP COLUMN notify_pending_hours",
			"ALTER TABLE contacts DROP COLUMN time_zone", "ALTER TABLE contacts DROP COLUMN locale",
			"ALTER TABLE settings DROP COLUMN digest_minutes", "ALTER TABLE settings DROP COLUMN time_zone",
			"ALTER TABLE settings DROP COLUMN locale", "ALTER TABLE settings DROP COLUMN invite_sends_password",
			"ALTER TABLE settings DROP COLUMN brand_accent", "ALTER TABLE settings DROP COLUMN brand_logo_url",
		}
		for _, q := range drops {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}
