// Package casefigures keeps each case's financial figures (revenue, billed, uninvoiced,
// labour and other expenses) in the table case_figures, up to date in the same transaction as
// every write to the rows they are summed from: work hours, invoices and travel. Lists and
// reports then read a case's figures by its key instead of summing its rows for every case
// they scan. Refresh recomputes the figures of the cases a write touched from their rows, so a
// figure can never drift from what a full recomputation (Recompute) says.
package casefigures

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
)

// Columns are the figures, in the order of the table.
var Columns = []string{"revenue", "billed", "uninvoiced", "labor_expenses", "other_expenses"}

// sums are the figures of a case aliased "c", each summed from its rows. Travel amounts are
// held to model.MoneyRange inside the sum: rows stored before the range existed could hold up
// to 2^63-1, and one such row must not make the sum overflow.
var sums = []string{
	"COALESCE((SELECT SUM(h.unit_price * h.minutes / 60) FROM work_hours h WHERE h.case_id = c.id AND h.billable), 0)",
	"COALESCE((SELECT SUM(i.total) FROM invoices i WHERE i.case_id = c.id), 0)",
	"COALESCE((SELECT SUM(h.unit_price * h.minutes / 60) FROM work_hours h WHERE h.case_id = c.id AND h.billable AND h.invoice_id IS NULL), 0)",
	"COALESCE((SELECT SUM(h.unit_cost * h.minutes / 60) FROM work_hours h WHERE h.case_id = c.id), 0)",
	"COALESCE((SELECT SUM(" + Capped("t.amount", model.MoneyRange) + ") FROM travel_reimbursements t WHERE t.case_id = c.id), 0)",
}

// Capped is column held to r, for use inside a SUM.
func Capped(column string, r model.Range) string {
	return fmt.Sprintf("(CASE WHEN %[1]s > %[3]d THEN %[3]d WHEN %[1]s < %[2]d THEN %[2]d ELSE %[1]s END)", column, r.Min, r.Max)
}

// Refresh recomputes the figures of the given cases from their rows. Call it inside the
// transaction of any write to work hours, invoices or travel, with the cases the write
// touched (before and after, where a row moves between cases). Ids of missing cases are
// ignored.
func Refresh(ctx context.Context, db bun.IDB, caseIDs ...int64) error {
	ids := make([]int64, 0, len(caseIDs))
	for _, id := range caseIDs {
		if id != 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return upsert(ctx, db, bun.SafeQuery("WHERE c.id IN (?)", bun.In(ids)))
}

// RefreshAll recomputes the figures of every case: after bulk loads (the demo, the data
// generator) that write rows without Refresh.
func RefreshAll(ctx context.Context, db bun.IDB) error {
	// SQLite needs a WHERE before ON CONFLICT to tell it from a join's ON.
	return upsert(ctx, db, bun.SafeQuery("WHERE 1 = 1"))
}

func upsert(ctx context.Context, db bun.IDB, where any) error {
	set := ""
	for i, col := range Columns {
		if i > 0 {
			set += ", "
		}
		set += col + " = EXCLUDED." + col
	}
	q := "INSERT INTO case_figures (case_id, revenue, billed, uninvoiced, labor_expenses, other_expenses) SELECT c.id"
	for _, s := range sums {
		q += ", " + s
	}
	q += " FROM cases c ? ON CONFLICT (case_id) DO UPDATE SET " + set
	if _, err := db.ExecContext(ctx, q, where); err != nil {
		return fmt.Errorf("refresh case figures: %w", err)
	}
	return nil
}

// Figures are one case's figures.
type Figures struct {
	CaseID        int64 `bun:"case_id"`
	Revenue       int64 `bun:"revenue"`
	Billed        int64 `bun:"billed"`
	Uninvoiced    int64 `bun:"uninvoiced"`
	LaborExpenses int64 `bun:"labor_expenses"`
	OtherExpenses int64 `bun:"other_expenses"`
}

// Recompute returns every case's figures summed from its rows now, ignoring case_figures:
// what the kept figures must equal (tests compare the two).
func Recompute(ctx context.Context, db bun.IDB) ([]Figures, error) {
	q := "SELECT c.id AS case_id"
	for i, s := range sums {
		q += ", " + s + " AS " + Columns[i]
	}
	var out []Figures
	if err := db.NewRaw(q+" FROM cases c ORDER BY c.id").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("recompute case figures: %w", err)
	}
	return out, nil
}

// Kept returns every case's figures as case_figures holds them (zero for a case without a
// row).
func Kept(ctx context.Context, db bun.IDB) ([]Figures, error) {
	q := "SELECT c.id AS case_id"
	for _, col := range Columns {
		q += ", COALESCE(f." + col + ", 0) AS " + col
	}
	var out []Figures
	if err := db.NewRaw(q+" FROM cases c LEFT JOIN case_figures f ON f.case_id = c.id ORDER BY c.id").Scan(ctx, &out); err != nil {
		return nil, fmt.Errorf("read case figures: %w", err)
	}
	return out, nil
}
