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
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// caseRow is a case with its figures (pkg/cases).
type caseRow = cases.Case

// The figures of a case aliased "c", as case_figures keeps them (pkg/casefigures): a lookup
// by key, for sorts over the visible cases.
var (
	revenueExpr    = cases.FigureExpr("revenue")
	billedExpr     = cases.FigureExpr("billed")
	uninvoicedExpr = cases.FigureExpr("uninvoiced")
)

var (
	caseFigures       = cases.WithFigures
	caseFigureColumns = cases.FigureColumns
)

var caseSorts = map[string]string{
	"name": "c.name", "status": "c.status", "createdAt": "c.created_at", "updatedAt": "c.updated_at",
	"billingForecast": "c.billing_forecast", "expectedValue": "c.expected_value", "probability": "c.probability",
	"revenue": revenueExpr, "billed": billedExpr, "uninvoiced": uninvoicedExpr,
}

// caseCursorSorts may be paged by cursor: never NULL, and alike on both databases.
var caseCursorSorts = map[string]bool{"name": true, "status": true}

var caseFilters = map[string]string{
	"status": "c.status", "account": "c.account_id", "owner": "c.owner_id", "unit": "c.unit_id",
	"probability": "c.probability",
}

func caseAttrs(c *model.Case) rights.CaseAttrs {
	return rights.CaseAttrs{ID: c.ID, OwnerID: c.OwnerID, UnitID: c.UnitID, AccountID: c.AccountID}
}

// listCases answers GET /api/v1/cases with exactly the cases the caller may view
// (scope.CaseView), each masked as rights.DecideCase decides (CASE-5..8). Financial fields can
// be sorted and filtered on only where no visible case hides them (section 2). The figures are
// summed for the page's rows only.
func (s *Server) listCases(c *fiber.Ctx) error {
	p := caller(c)
	financialOK := scope.CaseFinancialsSortable(p.Subject)
	sorts, filters := map[string]string{}, map[string]string{}
	for name, expr := range caseSorts {
		if financialOK || !isCaseFinancial(name) {
			sorts[name] = expr
		}
	}
	for name, column := range caseFilters {
		if financialOK || !isCaseFinancial(name) {
			filters[name] = column
		}
	}
	return collection[caseRow]{table: "cases AS c", extend: caseFigureColumns, scope: scope.CaseView(p.Subject, "c"),
		sorts: sorts, filters: filters, include: []string{"account", "owner", "unit"}, cursor: caseCursorSorts,
		resource: func(row *caseRow) *jsonapi.Resource {
			d := rights.DecideCase(p.Subject, rights.CaseView, caseAttrs(&row.Case))
			if !d.Allow { // the scope and the decision disagree: never leak the row
				s.log.Error("case scope leak", "case", row.ID, "user", p.User.ID, "reason", d.Reason.String())
				return nil
			}
			return caseResource(row, d)
		}}.run(s, c)
}

// getCase answers GET /api/v1/cases/:id; a case the caller may not view is 404.
func (s *Server) getCase(c *fiber.Ctx) error {
	p := caller(c)
	row, d, err := s.loadCase(c.UserContext(), p, c.Params("id"), rights.CaseView)
	if err != nil {
		return err
	}
	return s.writeIncluding(c, p, caseResource(row, d), "account", "owner", "unit")
}

// loadCase loads one case and decides action a on it. A case the caller may not view is
// NotFound (STYLE rule 3); one they see but may not act on is Forbidden.
func (s *Server) loadCase(ctx context.Context, p *principal, rawID string, a rights.CaseAction) (*caseRow, rights.Decision, error) {
	return s.loadCaseTx(ctx, s.db, p, rawID, a)
}

// loadCaseTx is loadCase inside a transaction.
func (s *Server) loadCaseTx(ctx context.Context, db bun.IDB, p *principal, rawID string, a rights.CaseAction) (*caseRow, rights.Decision, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, rights.Decision{}, apperr.E(apperr.NotFound, "No case %q.", rawID)
	}
	var row caseRow
	err = db.NewSelect().Model(&row).ModelTableExpr("cases AS c").Apply(caseFigures).Where("c.id = ?", id).Scan(ctx)
	if isNoRows(err) {
		return nil, rights.Decision{}, apperr.E(apperr.NotFound, "No case %d.", id)
	}
	if err != nil {
		return nil, rights.Decision{}, apperr.Wrap(err, "load case")
	}
	view := rights.DecideCase(p.Subject, rights.CaseView, caseAttrs(&row.Case))
	if a == rights.CaseView || a == rights.CaseEnterWork || a == rights.CaseJoin {
		// Entering work and joining do not need the case to be viewable (ACC-3, CASE-1,
		// JOIN-2/3); the caller decides those with the returned row.
		if !view.Allow && a == rights.CaseView {
			return nil, view, apperr.E(apperr.NotFound, "No case %d.", id)
		}
		return &row, view, nil
	}
	if !view.Allow {
		return nil, view, apperr.E(apperr.NotFound, "No case %d.", id)
	}
	d := rights.DecideCase(p.Subject, a, caseAttrs(&row.Case))
	if !d.Allow {
		return nil, d, denied(d)
	}
	return &row, d, nil
}

func isCaseFinancial(name string) bool {
	for _, f := range rights.CaseFinancialFields() {
		if f == name {
			return true
		}
	}
	return false
}

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

// caseForWork loads the case someone enters hours or travel on. Entering work needs no view
// right (ACC-3, CASE-1), but a case that is neither viewable nor one the caller is a member
// of is missing to them (STYLE rule 3), so that its existence does not leak.
func (s *Server) caseForWork(ctx context.Context, db bun.IDB, p *principal, rawID string) (*caseRow, error) {
	row, view, err := s.loadCaseTx(ctx, db, p, rawID, rights.CaseEnterWork)
	if err != nil {
		return nil, err
	}
	if !view.Allow && !p.Subject.MemberOf.Has(row.ID) {
		return nil, apperr.E(apperr.NotFound, "No case %d.", row.ID)
	}
	return row, nil
}

// caseKind is the cases type of the registry.
func (s *Server) caseKind() kind {
	return kind{name: "cases", list: s.listCases, create: s.createCase, get: s.getCase, update: s.updateCase, remove: s.deleteCase,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			row, d, err := s.loadCase(ctx, p, idString(id), rights.CaseView)
			if err != nil {
				return nil, err
			}
			return caseResource(row, d), nil
		}), explain: s.explainCase}
}

var caseActions = map[string]rights.CaseAction{
	"view": rights.CaseView, "edit": rights.CaseEdit, "delete": rights.CaseDelete,
	"manage-members": rights.CaseManageMembers, "manage-phases": rights.CaseManagePhases,
	"manage-files": rights.CaseManageFiles, "manage-proposals": rights.CaseManageProposals,
	"manage-resourcing": rights.CaseManageResourcing, "recognize-revenue": rights.CaseRecognizeRevenue,
	"enter-work": rights.CaseEnterWork, "join": rights.CaseJoin, "share": rights.CaseShare,
}

// explainCase decides action on case id for subject (GET /access/explain).
func (s *Server) explainCase(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	a, ok := caseActions[action]
	if !ok {
		return rights.Decision{}, domain.UnknownAction(action, "cases")
	}
	var cs model.Case
	if err := s.db.NewSelect().Model(&cs).Where("id = ?", id).Scan(ctx); err != nil {
		return rights.Decision{}, domain.Loaded(err, "case", id)
	}
	return rights.DecideCase(subject, a, caseAttrs(&cs)), nil
}
