package access

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
)

// ErrNoEpoch means the rights_epoch row is missing: the database is not migrated.
var ErrNoEpoch = errors.New("the rights_epoch row is missing; run the migrations")

// Bump moves the rights epoch, the change counter that cached subjects are keyed by (see
// Cache). Every write to a table that LoadSubject reads (users, business_units, profiles,
// user_right_overrides, case_members — directly or by a cascade —, settings,
// invoice_statuses) calls it with the writer's transaction, so that the change and the new
// epoch commit together and the next request on any replica rebuilds its subject (PRF-6).
//
// Every such writer locks the one counter row until it commits, so call Bump after the
// transaction's other writes: the lock is then held briefly and always taken last, which
// keeps two writers from waiting on each other in opposite order.
func Bump(ctx context.Context, db bun.IDB) error {
	res, err := db.NewUpdate().Table("rights_epoch").Set("value = value + 1").Where("id = 1").Exec(ctx)
	if err != nil {
		return fmt.Errorf("bump rights epoch: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return fmt.Errorf("bump rights epoch: %w", ErrNoEpoch)
	}
	return nil
}

// Epoch returns the current rights epoch: one read of one row.
func Epoch(ctx context.Context, db bun.IDB) (int64, error) {
	var v []int64
	if err := db.NewSelect().Table("rights_epoch").Column("value").Where("id = 1").Scan(ctx, &v); err != nil {
		return 0, fmt.Errorf("read rights epoch: %w", err)
	}
	if len(v) != 1 {
		return 0, fmt.Errorf("read rights epoch: %w", ErrNoEpoch)
	}
	return v[0], nil
}

// UserWithEpoch reads the user with id and the rights epoch in one statement, for
// Cache.SubjectAt. It returns sql.ErrNoRows (wrapped by bun) when there is no such user.
func UserWithEpoch(ctx context.Context, db bun.IDB, id int64) (*model.User, int64, error) {
	var row struct {
		model.User `bun:",extend"`
		Epoch      int64 `bun:"rights_epoch_value"`
	}
	err := db.NewSelect().Model(&row).ModelTableExpr("users AS u").ColumnExpr("u.*").
		ColumnExpr("(SELECT value FROM rights_epoch WHERE id = 1) AS rights_epoch_value").Where("u.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, 0, err
	}
	return &row.User, row.Epoch, nil
}
