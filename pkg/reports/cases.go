package reports

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// CaseRow is one row of the case report: a case with its figures and the minutes of all its
// hours. Its Decision is the actor's view decision with what the whole report hides added.
type CaseRow struct {
	cases.Case `bun:",extend"`
	Minutes    int64 `bun:"minutes"`
}

// Cases is the case report, by name: one row per case the actor may view (scope.CaseView,
// the rule of rights.DecideCase), with its figures and hours, financial columns masked per
// row (CASE-6, CASE-8) and per report (CASE-5, CASE-7). Errors: apperr.Forbidden when
// rights.DecideReport refuses the report, then q.Err.
func (s *Service) Cases(_ context.Context, a domain.Actor, q Query) (*Batches[CaseRow], error) {
	rep, err := decide(a, rights.ReportCases, q)
	if err != nil {
		return nil, err
	}
	k := keyset[CaseRow]{what: "case report", table: "cases AS c", order: []listing.Key{{Expr: "c.name"}, {Expr: "c.id"}},
		query: func(sel *bun.SelectQuery) *bun.SelectQuery {
			return sel.Apply(cases.WithFigures).
				ColumnExpr("COALESCE((SELECT SUM(h.minutes) FROM work_hours h WHERE h.case_id = c.id), 0) AS minutes").
				Apply(scope.CaseView(a.Subject, "c"))
		},
		cursor: func(row *CaseRow) []any { return []any{row.Name, row.ID} },
		keep: func(row *CaseRow) bool {
			row.Decision = rights.DecideCase(a.Subject, rights.CaseView, domain.CaseAttrs(&row.Case.Case))
			row.Decision.Hidden |= rep.Hidden
			return row.Decision.Allow
		}}
	return &Batches[CaseRow]{Hidden: rep.Hidden, next: k.batches(s)}, nil
}
