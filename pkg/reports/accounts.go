package reports

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// AccountRow is one row of the account report: an account with its counts and its figures
// over all its cases. What the report hides is Batches.Hidden.
type AccountRow struct {
	ID              int64  `bun:"id"`
	Name            string `bun:"name"`
	Cases           int64  `bun:"cases"`
	Contacts        int64  `bun:"contacts"`
	BillingForecast int64  `bun:"billing_forecast"`
	ExpectedValue   int64  `bun:"expected_value"`
	Revenue         int64  `bun:"revenue"`
	Billed          int64  `bun:"billed"`
	Uninvoiced      int64  `bun:"uninvoiced"`
	LaborExpenses   int64  `bun:"labor_expenses"`
	OtherExpenses   int64  `bun:"other_expenses"`
}

// Accounts is the account report, by name: every account with its case and contact counts
// (ACC-4); the financial columns, summed over all the account's cases, only for Accounts all
// (ACC-6) and never where CASE-5 or CASE-7 hide financial data everywhere (Batches.Hidden).
// The database sums, a batch of accounts at a time. Errors: apperr.Forbidden when
// rights.DecideReport refuses the report (ACC-1), then q.Err.
func (s *Service) Accounts(_ context.Context, a domain.Actor, q Query) (*Batches[AccountRow], error) {
	rep, err := decide(a, rights.ReportAccounts, q)
	if err != nil {
		return nil, err
	}
	k := keyset[AccountRow]{what: "account report", table: "accounts AS a", order: []listing.Key{{Expr: "a.name"}, {Expr: "a.id"}},
		query: func(sel *bun.SelectQuery) *bun.SelectQuery {
			return sel.ColumnExpr("a.id, a.name").Apply(accountFigures)
		},
		cursor: func(r *AccountRow) []any { return []any{r.Name, r.ID} }}
	return &Batches[AccountRow]{Hidden: rep.Hidden, next: k.batches(s)}, nil
}

// accountFigures adds an account's counts and figures, summed over all its cases, to a query
// over accounts aliased "a". The money figures add up the kept figures of its cases
// (pkg/casefigures) rather than summing their hours, invoices and travel again.
func accountFigures(q *bun.SelectQuery) *bun.SelectQuery {
	q = q.ColumnExpr("(SELECT COUNT(*) FROM cases c WHERE c.account_id = a.id) AS cases").
		ColumnExpr("(SELECT COUNT(*) FROM contacts ct WHERE ct.account_id = a.id) AS contacts").
		ColumnExpr("COALESCE((SELECT SUM(" + casefigures.Capped("c.billing_forecast", model.MoneyRange) + ") FROM cases c WHERE c.account_id = a.id), 0) AS billing_forecast").
		ColumnExpr("COALESCE((SELECT SUM(" + casefigures.Capped("c.expected_value", model.MoneyRange) + ") FROM cases c WHERE c.account_id = a.id), 0) AS expected_value")
	for _, col := range casefigures.Columns {
		q = q.ColumnExpr("COALESCE((SELECT SUM(cf." + col + ") FROM case_figures cf JOIN cases c ON c.id = cf.case_id WHERE c.account_id = a.id), 0) AS " + col)
	}
	return q
}
