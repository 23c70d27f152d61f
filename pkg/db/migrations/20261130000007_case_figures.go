package migrations

import (
	"context"

	"github.com/uptrace/bun"
)

func init() {
	up := sqlMigration("0007_case_figures.sql")
	Migrations.MustRegister(func(ctx context.Context, db *bun.DB) error {
		if err := up(ctx, db); err != nil {
			return err
		}
		// Fill the figures of the cases that exist, as casefigures.RefreshAll does (the
		// migrations may not import it: an old migration must not change with the package).
		_, err := db.ExecContext(ctx, `INSERT INTO case_figures (case_id, revenue, billed, uninvoiced, labor_expenses, other_expenses)
			SELECT c.id,
			  COALESCE((SELECT SUM(h.unit_price * h.minutes / 60) FROM work_hours h WHERE h.case_id = c.id AND h.billable), 0),
			  COALESCE((SELECT SUM(i.total) FROM invoices i WHERE i.case_id = c.id), 0),
			  COALESCE((SELECT SUM(h.unit_price * h.minutes / 60) FROM work_hours h WHERE h.case_id = c.id AND h.billable AND h.invoice_id IS NULL), 0),
			  COALESCE((SELECT SUM(h.unit_cost * h.minutes / 60) FROM work_hours h WHERE h.case_id = c.id), 0),
			  COALESCE((SELECT SUM(CASE WHEN t.amount > 1000000000000 THEN 1000000000000 WHEN t.amount < 0 THEN 0 ELSE t.amount END)
			    FROM travel_reimbursements t WHERE t.case_id = c.id), 0)
			FROM cases c`)
		return err
	}, func(ctx context.Context, db *bun.DB) error {
		_, err := db.ExecContext(ctx, "DROP TABLE case_figures")
		return err
	})
}
