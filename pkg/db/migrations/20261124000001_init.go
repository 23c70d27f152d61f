package migrations

import (
	"context"
	"errors"

	"github.com/uptrace/bun"
)

func init() {
	Migrations.MustRegister(sqlMigration("0001_init.sql"), func(context.Context, *bun.DB) error {
		return errors.New("the initial schema cannot be rolled back; drop the database instead")
	})
}
