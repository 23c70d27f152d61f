package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// Reports read through the same scopes and decisions as the resource endpoints, so a report
// never shows a row or a column that the resources hide; DecideReport adds what a whole report
// hides (CASE-5, CASE-7) and whether it may run at all. They stream (reports_stream.go) and
// answer CSV as well (reports_csv.go).

// caseReportRow is a case with its figures and the minutes of all its hours.
type caseReportRow struct {
	caseRow `bun:",extend"`
	Minutes int64 `bun:"minutes"`
}

var (
	caseReportOrder   = []listing.Key{{Expr: "c.name"}, {Expr: "c.id"}}
	caseReportColumns = append(attrColumns("name", "status", "startsOn", "endsOn", "billingForecast", "expenseForecast",
		"expectedValue", "probability", "expectedOrderDate", "revenue", "billed", "uninvoiced", "laborExpenses",
		"otherExpenses", "totalExpenses", "margin", "minutes", "version", "createdAt", "updatedAt"),
		relColumn("account"), relColumn("owner"), relColumn("unit"))
)

// caseReport answers GET /api/v1/reports/cases: one row per viewable case with its figures
// and hours, financial columns masked per row (CASE-6, CASE-8) and per report (CASE-5, CASE-7).
func (s *Server) caseReport(c *fiber.Ctx) error {
	p := caller(c)
	rep := rights.DecideReport(p.Subject, rights.ReportCases)
	if !rep.Allow {
		return denied(rep)
	}
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return err
	}
	read := func(ctx context.Context, after []any, limit int) ([]caseReportRow, error) {
		rows := make([]caseReportRow, 0, limit)
		err := s.readBatch(ctx, func(ctx context.Context, idb bun.IDB) error {
			sel := idb.NewSelect().Model(&rows).ModelTableExpr("cases AS c").Apply(caseFigures).
				ColumnExpr("COALESCE((SELECT SUM(h.minutes) FROM work_hours h WHERE h.case_id = c.id), 0) AS minutes").
				Apply(scope.CaseView(p.Subject, "c"))
			return listing.Keyset(sel, caseReportOrder, after, limit).Scan(ctx)
		})
		return rows, apperr.Wrap(err, "case report")
	}
	render := func(row *caseReportRow) *jsonapi.Resource {
		d := rights.DecideCase(p.Subject, rights.CaseView, caseAttrs(&row.Case))
		if !d.Allow {
			return nil
		}
		res := caseResource(&row.caseRow, d)
		res.Type, res.Links = "case-report-rows", nil
		res.Attributes["minutes"] = row.Minutes
		res.Hide(rep.Hidden.Fields()...)
		return res
	}
	cursor := func(row *caseReportRow) []any { return []any{row.Name, row.ID} }
	return s.streamReport(c, report{name: "cases", columns: caseReportColumns, hidden: rep.Hidden, meta: rowCount,
		next: keysetBatches(read, cursor, render)})
}

var invoiceReportColumns = append(attrColumns("number", "status", "issueDate", "dueDate", "total", "currency",
	"reminderCount", "scheduled", "version", "createdAt", "updatedAt"),
	relColumn("case"), reportColumn{name: "statusId", rel: "status"}, relColumn("creditOf"))

// invoiceReport answers GET /api/v1/reports/invoices: the invoices the caller may view, with
// amounts masked as the invoice endpoints mask them; hidden entirely from
// manager_no_financials (CASE-7).
//
// The order is by issue date, then id, with the invoices that have no issue date where each
// database sorts NULL (PostgreSQL after the others, SQLite before), as the report always did.
// A keyset cannot step over NULLs, so those invoices are read as a segment of their own.
func (s *Server) invoiceReport(c *fiber.Ctx) error {
	p := caller(c)
	rep := rights.DecideReport(p.Subject, rights.ReportInvoices)
	if !rep.Allow {
		return denied(rep)
	}
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return err
	}
	render := func(row *billing.Invoice) *jsonapi.Resource {
		row.Decision = rights.DecideInvoice(p.Subject, rights.InvoiceView, row.Attrs())
		if !row.Decision.Allow {
			return nil
		}
		res := invoiceResource(row)
		res.Type, res.Links = "invoice-report-rows", nil
		res.Hide(rep.Hidden.Fields()...)
		return res
	}
	segment := func(dated bool) reportSource {
		keys, where := []listing.Key{{Expr: "i.id"}}, "i.issue_date IS NULL"
		cursor := func(row *billing.Invoice) []any { return []any{row.ID} }
		if dated {
			keys, where = []listing.Key{{Expr: "i.issue_date"}, {Expr: "i.id"}}, "i.issue_date IS NOT NULL"
			cursor = func(row *billing.Invoice) []any { return []any{row.IssueDate, row.ID} }
		}
		read := func(ctx context.Context, after []any, limit int) ([]billing.Invoice, error) {
			rows := make([]billing.Invoice, 0, limit)
			err := s.readBatch(ctx, func(ctx context.Context, idb bun.IDB) error {
				sel := idb.NewSelect().Model(&rows).ModelTableExpr("invoices AS i").Apply(billing.InvoiceColumns).
					Apply(scope.InvoiceView(p.Subject, "i")).Where(where)
				return listing.Keyset(sel, keys, after, limit).Scan(ctx)
			})
			return rows, apperr.Wrap(err, "invoice report")
		}
		return keysetBatches(read, cursor, render)
	}
	next := concatSources(segment(true), segment(false))
	if !db.IsPostgres(s.db) {
		next = concatSources(segment(false), segment(true))
	}
	return s.streamReport(c, report{name: "invoices", columns: invoiceReportColumns, hidden: rep.Hidden, meta: rowCount, next: next})
}

// accountReportRow is an account with its counts and its figures over all its cases.
type accountReportRow struct {
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

var (
	accountReportOrder   = []listing.Key{{Expr: "a.name"}, {Expr: "a.id"}}
	accountReportColumns = attrColumns("name", "cases", "contacts", "billingForecast", "expectedValue", "revenue", "billed",
		"uninvoiced", "laborExpenses", "otherExpenses", "totalExpenses", "margin")
)

// accountReport answers GET /api/v1/reports/accounts: every account with its case and
// contact counts (ACC-4); the financial columns, summed over all the account's cases, only for
// Accounts all (ACC-6) and never where CASE-5 or CASE-7 hide financial data everywhere. The
// database sums, a batch of accounts at a time.
func (s *Server) accountReport(c *fiber.Ctx) error {
	p := caller(c)
	rep := rights.DecideReport(p.Subject, rights.ReportAccounts)
	if !rep.Allow {
		return denied(rep)
	}
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return err
	}
	read := func(ctx context.Context, after []any, limit int) ([]accountReportRow, error) {
		rows := make([]accountReportRow, 0, limit)
		err := s.readBatch(ctx, func(ctx context.Context, idb bun.IDB) error {
			sel := idb.NewSelect().TableExpr("accounts AS a").ColumnExpr("a.id, a.name").Apply(accountFigures)
			return listing.Keyset(sel, accountReportOrder, after, limit).Scan(ctx, &rows)
		})
		return rows, apperr.Wrap(err, "account report")
	}
	render := func(r *accountReportRow) *jsonapi.Resource {
		id := strconv.FormatInt(r.ID, 10)
		res := &jsonapi.Resource{Type: "account-report-rows", ID: id,
			Attributes: map[string]any{"name": r.Name, "cases": r.Cases, "contacts": r.Contacts,
				"billingForecast": r.BillingForecast, "expectedValue": r.ExpectedValue, "revenue": r.Revenue, "billed": r.Billed,
				"uninvoiced": r.Uninvoiced, "laborExpenses": r.LaborExpenses, "otherExpenses": r.OtherExpenses,
				"totalExpenses": r.LaborExpenses + r.OtherExpenses, "margin": r.Revenue - r.LaborExpenses - r.OtherExpenses},
			Relationships: map[string]jsonapi.Relationship{"account": {Data: jsonapi.ToOne("accounts", id)}}}
		res.Hide(rep.Hidden.Fields()...)
		return res
	}
	cursor := func(r *accountReportRow) []any { return []any{r.Name, r.ID} }
	return s.streamReport(c, report{name: "accounts", columns: accountReportColumns, hidden: rep.Hidden, meta: rowCount,
		next: keysetBatches(read, cursor, render)})
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
