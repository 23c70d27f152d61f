// Package bootstrap makes a new database usable: the settings row, the default invoice
// statuses and the default access-rights profiles (RIGHTS.md PRF-1). Both services run it
// at start-up; it only inserts what is missing.
package bootstrap

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notice"
	"github.com/caseroom/caseroom/pkg/rights"
)

// DefaultStatuses is the invoice-status list of a new organisation (RIGHTS.md section 5).
var DefaultStatuses = []string{"Draft", "Sent", "Paid"}

// Ensure inserts the settings row, default invoice statuses and default profiles where
// they are missing. Several replicas may run it at once: conflicts are ignored. When it
// inserts anything it moves the rights epoch (access.Bump); a start-up that finds
// everything in place leaves the replicas' cached subjects alone.
func Ensure(ctx context.Context, db *bun.DB, now func() time.Time) error {
	t := now().UTC()
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		inserted := false
		count := func(res sql.Result) {
			if n, err := res.RowsAffected(); err != nil || n > 0 {
				inserted = true
			}
		}
		settings := &model.Settings{ID: 1, OrganizationName: "Caseroom", Currency: "EUR", WorkHourApproval: true,
			TravelEnabled: true, TempPasswordHours: 72, BrandAccent: notice.DefaultAccent, Locale: "en", TimeZone: "UTC",
			DigestMinutes: 15, Version: 1, UpdatedAt: t} // a new firm's invitations carry the link only
		res, err := tx.NewInsert().Model(settings).On("CONFLICT (id) DO NOTHING").Exec(ctx)
		if err != nil {
			return fmt.Errorf("ensure settings: %w", err)
		}
		count(res)
		n, err := tx.NewSelect().Model((*model.InvoiceStatus)(nil)).Count(ctx)
		if err != nil {
			return fmt.Errorf("count invoice statuses: %w", err)
		}
		if n == 0 {
			for i, name := range DefaultStatuses {
				s := &model.InvoiceStatus{Name: name, Position: i + 1, Active: true, Version: 1}
				res, err := tx.NewInsert().Model(s).On("CONFLICT DO NOTHING").Exec(ctx)
				if err != nil {
					return fmt.Errorf("ensure invoice status %s: %w", name, err)
				}
				count(res)
			}
		}
		order, err := access.StatusOrder(ctx, tx)
		if err != nil {
			return err
		}
		for _, d := range rights.DefaultProfiles() {
			key := d.Key
			p := &model.Profile{Key: &key, Name: d.Name, Version: 1, CreatedAt: t, UpdatedAt: t}
			if err := access.SetProfileRights(p, d.Rights, order); err != nil {
				return err
			}
			res, err := tx.NewInsert().Model(p).On("CONFLICT DO NOTHING").Exec(ctx)
			if err != nil {
				return fmt.Errorf("ensure profile %s: %w", d.Key, err)
			}
			count(res)
		}
		if !inserted {
			return nil
		}
		return access.Bump(ctx, tx)
	})
}
