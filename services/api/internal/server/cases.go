package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
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
		Links: &jsonapi.Links{Self: "/api/v1/cases/" + id},
	}
	res.Hide(d.Hidden.Fields()...)
	return res
}

// caseView renders a case as its own view decision masks it.
func caseView(c *cases.Case) *jsonapi.Resource { return caseResource(c, c.Decision) }

// listCases answers GET /api/v1/cases (cases.Service.CaseList).
func (s *Server) listCases(c *fiber.Ctx) error {
	return list(s, c, s.cases.CaseList(actorOf(c)), caseView)
}

// getCase answers GET /api/v1/cases/:id; a case the caller may not view is 404.
func (s *Server) getCase(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	cs, err := s.cases.Case(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return s.writeIncluding(c, caller(c), caseView(cs), "account", "owner", "unit")
}

// caseKind is the cases type of the registry (pkg/cases).
func (s *Server) caseKind() kind {
	return kind{name: "cases", list: s.listCases, create: s.createCase, get: s.getCase, update: s.updateCase, remove: s.deleteCase,
		batch: batchOf(s.cases.CasesByID, caseView), explain: s.cases.ExplainCase}
}

// Transitional: the handlers of phases, files, comments, invoices, activities, travel and
// explain still load cases here until their own services do; delete these with their last
// caller.

func caseAttrs(c *model.Case) rights.CaseAttrs { return domain.CaseAttrs(c) }

// loadCase loads one case and decides action a on it. A case the caller may not view is
// NotFound (STYLE rule 3); one they see but may not act on is Forbidden.
func (s *Server) loadCase(ctx context.Context, p *principal, rawID string, a rights.CaseAction) (*caseRow, rights.Decision, error) {
	return s.loadCaseTx(ctx, s.db, p, rawID, a)
}

// loadCaseTx is loadCase inside a transaction (domain.CaseFor); the row has no figures.
func (s *Server) loadCaseTx(ctx context.Context, db bun.IDB, p *principal, rawID string, a rights.CaseAction) (*caseRow, rights.Decision, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, rights.Decision{}, apperr.E(apperr.NotFound, "No case %q.", rawID)
	}
	c, view, err := domain.CaseFor(ctx, db, p.actor(), id, a)
	if err != nil {
		return nil, view, err
	}
	return &caseRow{Case: *c, Decision: view}, view, nil
}

// caseForWork loads the case someone enters hours or travel on (domain.CaseForWork).
func (s *Server) caseForWork(ctx context.Context, db bun.IDB, p *principal, rawID string) (*caseRow, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, apperr.E(apperr.NotFound, "No case %q.", rawID)
	}
	c, err := domain.CaseForWork(ctx, db, p.actor(), id)
	if err != nil {
		return nil, err
	}
	return &caseRow{Case: *c}, nil
}
