package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

func init() {
	Migrations.MustRegister(sqlMigration("0010_news.sql"), func(ctx context.Context, db *bun.DB) error {
		for _, q := range []string{"DROP TABLE digest_opt_outs", "DROP TABLE unsubscribe_tokens", "DROP TABLE news_items"} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
}
