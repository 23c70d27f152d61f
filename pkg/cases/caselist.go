package cases

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
	"github.com/caseroom/caseroom/pkg/sharing"
)

var caseSorts = map[string]string{
	"name": "c.name", "status": "c.status", "createdAt": "c.created_at", "updatedAt": "c.updated_at",
	"billingForecast": "c.billing_forecast", "expectedValue": "c.expected_value", "probability": "c.probability",
	"revenue": FigureExpr("revenue"), "billed": FigureExpr("billed"), "uninvoiced": FigureExpr("uninvoiced"),
}

// caseCursorSorts may be paged by cursor: never NULL, and alike on both databases.
var caseCursorSorts = map[string]bool{"name": true, "status": true}

var caseFilters = map[string]string{
	"status": "c.status", "account": "c.account_id", "owner": "c.owner_id", "unit": "c.unit_id",
	"probability": "c.probability",
}

// caseFinancial reports whether a sort or filter is on a financial field (CASE-5..8).
func caseFinancial(name string) bool { return slices.Contains(rights.CaseFinancialFields(), name) }

// caseOpen keeps the entries of all that a filter or sort may use: financial ones only where
// no visible case hides them (CASE-6), so that an order cannot reveal a hidden figure.
func caseOpen(all map[string]string, financialOK bool) map[string]string {
	out := make(map[string]string, len(all))
	for name, expr := range all {
		if financialOK || !caseFinancial(name) {
			out[name] = expr
		}
	}
	return out
}

// CaseList is the collection of the cases an employee may view (scope.CaseView, the same rule
// as DecideCase: CASE-1, CASE-2, ACC-1..3), each with its figures and masked as DecideCase
// decides (CASE-5..8). Financial fields sort and filter only where no visible case hides them
// (CASE-6).
func (s *Service) CaseList(a domain.Actor) listing.Spec[Case] {
	financialOK := scope.CaseFinancialsSortable(a.Subject)
	return listing.Spec[Case]{DB: s.env.DB, Table: "cases AS c", Extend: FigureColumns, Scope: scope.CaseView(a.Subject, "c"),
		Sorts: caseOpen(caseSorts, financialOK), Filters: caseOpen(caseFilters, financialOK),
		Include: []string{"account", "owner", "unit"}, Cursor: caseCursorSorts,
		Keep: func(c *Case) bool {
			c.Decision = rights.DecideCase(a.Subject, rights.CaseView, domain.CaseAttrs(&c.Case))
			if !c.Decision.Allow { // the scope and the decision disagree: never leak the row
				s.env.Log.Error("case scope leak", "case", c.ID, "user", a.User.ID, "reason", c.Decision.Reason.String())
			}
			return c.Decision.Allow
		}}
}

// Case returns one case with its figures as an employee sees it, masked (CASE-5..8).
// Errors: apperr.NotFound when they may not view it (CASE-1, STYLE rule 3).
func (s *Service) Case(ctx context.Context, a domain.Actor, id int64) (*Case, error) {
	return caseFor(ctx, s.env.DB, a, id, rights.CaseView)
}

// CasesByID returns the cases of ids that a may view, with their figures and masked, in one
// query (include and related routes).
func (s *Service) CasesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Case, error) {
	return domain.ByID(ctx, func(rows any) *bun.SelectQuery {
		return s.env.DB.NewSelect().Model(rows).ModelTableExpr("cases AS c").Apply(WithFigures)
	}, "c.id", ids, "cases", func(c *Case) bool {
		c.Decision = rights.DecideCase(a.Subject, rights.CaseView, domain.CaseAttrs(&c.Case))
		return c.Decision.Allow
	})
}

// caseFor loads case id for an employee with its figures and decides action on it
// (domain.CaseFor): NotFound when they may not view it, Forbidden when they may view it but
// not act. Its Decision is the view decision, which masks it.
func caseFor(ctx context.Context, db bun.IDB, a domain.Actor, id int64, action rights.CaseAction) (*Case, error) {
	c, err := caseDecided(ctx, db, a, id, action)
	if err != nil {
		return nil, err
	}
	return c, caseFigures(ctx, db, c)
}

// caseDecided is caseFor without the figures, for actions that do not show them.
func caseDecided(ctx context.Context, db bun.IDB, a domain.Actor, id int64, action rights.CaseAction) (*Case, error) {
	mc, view, err := domain.CaseFor(ctx, db, a, id, action)
	if err != nil {
		return nil, err
	}
	return &Case{Case: *mc, Decision: view}, nil
}

// caseFigures loads the figures of c (zero where none are kept yet).
func caseFigures(ctx context.Context, db bun.IDB, c *Case) error {
	if err := db.NewSelect().Model(c).ModelTableExpr("cases AS c").Apply(FigureColumns).Where("c.id = ?", c.ID).Scan(ctx); err != nil {
		return domain.Loaded(err, "case", c.ID)
	}
	return nil
}

var caseActions = map[string]rights.CaseAction{
	"view": rights.CaseView, "edit": rights.CaseEdit, "delete": rights.CaseDelete,
	"manage-members": rights.CaseManageMembers, "manage-phases": rights.CaseManagePhases,
	"manage-files": rights.CaseManageFiles, "manage-proposals": rights.CaseManageProposals,
	"manage-resourcing": rights.CaseManageResourcing, "recognize-revenue": rights.CaseRecognizeRevenue,
	"enter-work": rights.CaseEnterWork, "join": rights.CaseJoin, "share": rights.CaseShare,
}

// ExplainCase decides action ("view", "edit", "delete", "manage-members", "manage-phases",
// "manage-files", "manage-proposals", "manage-resourcing", "recognize-revenue", "enter-work",
// "join", "share") on case id for another employee's subject, for GET /access/explain.
// Errors: apperr.Invalid (action), apperr.NotFound.
func (s *Service) ExplainCase(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	return domain.Explain(subject, caseActions, action, "cases", rights.DecideCase, func() (rights.CaseAttrs, error) {
		var c model.Case
		err := s.env.DB.NewSelect().Model(&c).Where("id = ?", id).Scan(ctx)
		return domain.CaseAttrs(&c), domain.Loaded(err, "case", id)
	})
}

// SharedCase is a case shared with a portal contact, with the contact's grant on it. What
// the contact may see of it is decided by Grant (EXT-3); the portal's converters drop the
// rest.
type SharedCase struct {
	Case        model.Case
	Grant       sharing.Grant
	AccountName string
	// InvoicedTotal sums the case's invoices past draft in minor units; it is loaded only
	// with the Financials section, and zero without it.
	InvoicedTotal int64
	Currency      string
}

// SharedCases lists the cases shared with contact a, by name (EXT-5): only live shares on
// cases of the contact's own account (EXT-8, EXT-9).
func (s *Service) SharedCases(ctx context.Context, a domain.Actor) ([]SharedCase, error) {
	grants, err := sharing.All(ctx, s.env.DB, s.env.Now(), *a.Contact)
	if err != nil {
		return nil, err
	}
	if len(grants) == 0 {
		return []SharedCase{}, nil
	}
	byCase := map[int64]sharing.Grant{}
	ids := make([]int64, 0, len(grants))
	for _, g := range grants {
		byCase[g.CaseID] = g
		ids = append(ids, g.CaseID)
	}
	var rows []model.Case
	if err := s.env.DB.NewSelect().Model(&rows).Where("id IN (?)", bun.In(ids)).OrderExpr("name, id").Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "list shared cases")
	}
	out := make([]SharedCase, 0, len(rows))
	for _, c := range rows {
		v, err := s.sharedCase(ctx, s.env.DB, c, byCase[c.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// SharedCase returns case id as shared with contact a. Errors: apperr.NotFound when it is
// not shared with them, or the share expired (EXT-5, EXT-8).
func (s *Service) SharedCase(ctx context.Context, a domain.Actor, id int64) (SharedCase, error) {
	g, err := sharing.Of(ctx, s.env.DB, s.env.Now(), *a.Contact, id)
	if err != nil {
		return SharedCase{}, err
	}
	var c model.Case
	if err := s.env.DB.NewSelect().Model(&c).Where("id = ?", id).Scan(ctx); err != nil {
		return SharedCase{}, domain.Loaded(err, "case", id)
	}
	return s.sharedCase(ctx, s.env.DB, c, g)
}

// caseInvoicedPastDraft selects invoices (status aliased st) that have left the first status
// of the ordered list, the draft by default: the firm's work in progress is not the
// customer's.
const caseInvoicedPastDraft = "st.position > (SELECT MIN(position) FROM invoice_statuses)"

// sharedCase adds the account name and, with the Financials section only (EXT-3), the
// invoiced total (with billing) and the currency (with billing or hour prices).
func (s *Service) sharedCase(ctx context.Context, db bun.IDB, c model.Case, g sharing.Grant) (SharedCase, error) {
	v := SharedCase{Case: c, Grant: g}
	if err := db.NewSelect().Table("accounts").Column("name").Where("id = ?", c.AccountID).Scan(ctx, &v.AccountName); err != nil {
		return v, apperr.Wrap(err, "load account name of case")
	}
	if !g.Can(sharing.ViewFinancials) && !g.Can(sharing.ViewHourPrices) {
		return v, nil
	}
	if g.Can(sharing.ViewFinancials) {
		if err := s.sharedInvoicedTotal(ctx, db, &v); err != nil {
			return v, err
		}
	}
	if err := db.NewSelect().Table("settings").Column("currency").Where("id = 1").Scan(ctx, &v.Currency); err != nil && !domain.IsNoRows(err) {
		return v, apperr.Wrap(err, "load currency")
	}
	return v, nil
}

// sharedInvoicedTotal sums the invoices of v's case past the draft status.
func (s *Service) sharedInvoicedTotal(ctx context.Context, db bun.IDB, v *SharedCase) error {
	c := v.Case
	if err := db.NewSelect().TableExpr("invoices AS i").ColumnExpr("COALESCE(SUM(i.total), 0)").
		Join("JOIN invoice_statuses AS st ON st.id = i.status_id").
		Where("i.case_id = ?", c.ID).Where(caseInvoicedPastDraft).Scan(ctx, &v.InvoicedTotal); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("sum invoices of case %d", c.ID))
	}
	return nil
}
