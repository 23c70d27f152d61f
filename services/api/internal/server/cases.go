package server

import (
	"strconv"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/rights"
)

// caseRow is a case with its figures (pkg/cases).
type caseRow = cases.Case

// caseFigures selects a case aliased "c" with its figures (reports.go).
var caseFigures = cases.WithFigures

// caseResource renders a case, masked as d decides (CASE-5..8).
func caseResource(r *caseRow, d rights.Decision) *jsonapi.Resource {
	id := strconv.FormatInt(r.ID, 10)
	res := &jsonapi.Resource{
		Type: "cases",
		ID:   id,
		Attributes: map[string]any{
			"name":              r.Name,
			"status":            r.Status,
			"startsOn":          nullableDate(r.StartsOn),
			"endsOn":            nullableDate(r.EndsOn),
			"billingForecast":   r.BillingForecast,
			"expenseForecast":   r.ExpenseForecast,
			"expectedValue":     r.ExpectedValue,
			"probability":       r.Probability,
			"expectedOrderDate": nullableDate(r.ExpectedOrderDate),
			"revenue":           r.Revenue,
			"billed":            r.Billed,
			"uninvoiced":        r.Uninvoiced,
			"laborExpenses":     r.LaborExpenses,
			"otherExpenses":     r.OtherExpenses,
			"totalExpenses":     r.LaborExpenses + r.OtherExpenses,
			"margin":            r.Revenue - r.LaborExpenses - r.OtherExpenses,
			"version":           r.Version,
			"createdAt":         r.CreatedAt.UTC(),
			"updatedAt":         r.UpdatedAt.UTC(),
		},
		Relationships: map[string]jsonapi.Relationship{
			"account": toOne("cases", id, "account", "accounts", r.AccountID),
			"owner":   toOne("cases", id, "owner", "users", r.OwnerID),
			"unit":    toOne("cases", id, "unit", "business-units", r.UnitID),
		},
		Links: selfLink("cases", id),
	}
	res.Hide(d.Hidden.Fields()...)
	return res
}

// caseView renders a case as its own view decision masks it.
func caseView(c *cases.Case) *jsonapi.Resource { return caseResource(c, c.Decision) }

// caseKind is the cases type of the registry (pkg/cases).
func (s *Server) caseKind() kind {
	return kind{
		name:    "cases",
		list:    lister(s, s.cases.CaseList, caseView),
		create:  s.createCase,
		get:     getter(s, "case", s.cases.Case, caseView, "account", "owner", "unit"),
		update:  s.updateCase,
		remove:  remover("case", s.cases.DeleteCase),
		batch:   batchOf(s.cases.CasesByID, caseView),
		explain: s.cases.ExplainCase,
	}
}

// Transitional: the handlers of phases, files, comments, invoices, activities, travel and
// explain still load cases here until their own services do; delete these with their last
// caller.
