package cases

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Case is a case with the financial figures derived from its hours, invoices and travel, as
// case_figures keeps them (pkg/casefigures).
type Case struct {
	model.Case `bun:",extend"`

	Revenue       int64 `bun:"revenue"`
	Billed        int64 `bun:"billed"`
	Uninvoiced    int64 `bun:"uninvoiced"`
	LaborExpenses int64 `bun:"labor_expenses"`
	OtherExpenses int64 `bun:"other_expenses"`

	// Decision is the actor's view decision: its Hidden fields are left out when rendered.
	Decision rights.Decision `bun:"-"`
	// ShareDecision is the CaseShare decision with its mask, where the share was loaded.
	ShareDecision rights.Decision `bun:"-"`
}

// Versioned implements domain.Versioned.
func (c *Case) Versioned() (int64, *int64) { return c.ID, &c.Version }

// FigureExpr is a figure of a case aliased "c", looked up by key, for sorts over the
// visible cases.
func FigureExpr(column string) string {
	return "COALESCE((SELECT cf_sort." + column + " FROM case_figures cf_sort WHERE cf_sort.case_id = c.id), 0)"
}

// WithFigures selects a case aliased "c" with its figures.
func WithFigures(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("c.*").Apply(FigureColumns)
}

// FigureColumns adds a case's figures alone to a query over cases aliased "c", joined from
// case_figures by the case's key (the bench's bare handler uses it as its yardstick).
func FigureColumns(q *bun.SelectQuery) *bun.SelectQuery {
	q = q.Join("LEFT JOIN case_figures AS cf ON cf.case_id = c.id")
	for _, col := range casefigures.Columns {
		q = q.ColumnExpr("COALESCE(cf." + col + ", 0) AS " + col)
	}
	return q
}
