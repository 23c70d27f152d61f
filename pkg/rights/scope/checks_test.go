package scope_test

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// checkActivities: every activity is listed (ACT-1), each with the visibility level
// rights.ActivityVisibility gives it, and ActivityViewAtLeast keeps exactly the rows at or
// above its level (ACT-2..7, ACC-8, CASE-15).
func checkActivities(ctx context.Context, db *bun.DB, ix *orgIndex, s *rights.Subject, st *stats) ([]problem, error) {
	var rows []struct {
		ID         int64             `bun:"id"`
		Visibility rights.Visibility `bun:"visibility"`
	}
	err := db.NewSelect().TableExpr("activities AS act").ColumnExpr("act.id").
		Apply(scope.ActivityView(s, "act"), scope.ActivityVisibilityColumn(s, "act", "visibility")).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list activities for user %d: %w", s.UserID, err)
	}
	want := map[int64]rights.Visibility{}
	for _, a := range ix.o.Activities {
		v, why := rights.ActivityVisibility(s, ix.activityAttrs(a))
		st.reason(v == rights.VisibleFull, why)
		want[a.ID] = v
		st.count("activities "+[]string{"label", "name", "full"}[v], true)
	}
	var out []problem
	got := map[int64]rights.Visibility{}
	for _, r := range rows {
		got[r.ID] = r.Visibility
	}
	for id, v := range want {
		g, ok := got[id]
		switch {
		case !ok:
			out = append(out, problem{s.UserID, fmt.Sprintf("activities %d", id), "not listed, but every activity is (ACT-1)"})
		case g != v:
			_, why := rights.ActivityVisibility(s, ix.activityAttrs(ix.activity(id)))
			out = append(out, problem{s.UserID, fmt.Sprintf("activities %d", id),
				fmt.Sprintf("the SQL visibility is %d, the decision's %d (%s)", g, v, why)})
		}
	}
	if len(rows) != len(want) {
		out = append(out, problem{s.UserID, "activities", fmt.Sprintf("%d rows listed for %d activities", len(rows), len(want))})
	}
	for _, least := range []rights.Visibility{rights.VisibleName, rights.VisibleFull} {
		var ids []int64
		err := db.NewSelect().TableExpr("activities AS act").ColumnExpr("act.id").
			Apply(scope.ActivityViewAtLeast(s, "act", least)).Scan(ctx, &ids)
		if err != nil {
			return nil, fmt.Errorf("activities at least %d for user %d: %w", least, s.UserID, err)
		}
		var wantIDs []int64
		for id, v := range want {
			if v >= least {
				wantIDs = append(wantIDs, id)
			}
		}
		slices.Sort(ids)
		slices.Sort(wantIDs)
		if !slices.Equal(ids, wantIDs) {
			out = append(out, problem{s.UserID, "activities", fmt.Sprintf("at least %d: SQL %v, decisions %v", least, ids, wantIDs)})
		}
	}
	return out, nil
}

// checkSortable: when a *FinancialsSortable answer lets s sort or filter on financial fields,
// no row s may view has them hidden (CASE-5..8, section 2: hidden fields cannot be sorted on).
func checkSortable(ix *orgIndex, s *rights.Subject) []problem {
	var out []problem
	leak := func(what string, d rights.Decision) {
		if d.Allow && d.Hidden != 0 {
			out = append(out, problem{s.UserID, what, "financial fields are sortable, yet this row hides them: " + d.String()})
		}
	}
	if scope.CaseFinancialsSortable(s) {
		for _, c := range ix.o.Cases {
			leak(fmt.Sprintf("cases %d", c.ID), rights.DecideCase(s, rights.CaseView, ix.caseAttrs(c.ID)))
		}
	}
	if scope.HourFinancialsSortable(s) {
		for _, h := range ix.o.Hours {
			leak(fmt.Sprintf("work hours %d", h.ID), rights.DecideHours(s, rights.HourView, ix.hourAttrs(h)))
		}
	}
	if scope.InvoiceFinancialsSortable(s) {
		for _, inv := range ix.o.Invoices {
			leak(fmt.Sprintf("invoices %d", inv.ID), rights.DecideInvoice(s, rights.InvoiceView, ix.invoiceAttrs(inv)))
		}
	}
	return out
}
