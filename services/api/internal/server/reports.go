package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/reports"
)

// The reports (pkg/reports) read through the same scopes and decisions as the resource
// endpoints, so a report never shows a row or a column that the resources hide. They stream
// (reports_stream.go) and answer CSV as well (reports_csv.go).

// reportQuery reads a report request that takes no parameter of its own: what is wrong with
// it is reported by the service once the report is allowed.
func reportQuery(c *fiber.Ctx) reports.Query {
	_, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{})
	return reports.Query{Err: err}
}

var caseReportColumns = append(jsonapi.AttrColumns("name", "status", "startsOn", "endsOn", "billingForecast", "expenseForecast",
	"expectedValue", "probability", "expectedOrderDate", "revenue", "billed", "uninvoiced", "laborExpenses",
	"otherExpenses", "totalExpenses", "margin", "minutes", "version", "createdAt", "updatedAt"),
	jsonapi.RelColumn("account"), jsonapi.RelColumn("owner"), jsonapi.RelColumn("unit"))

// caseReport answers GET /api/v1/reports/cases (reports.Service.Cases).
func (s *Server) caseReport(c *fiber.Ctx) error {
	b, err := s.reports.Cases(c.UserContext(), actorOf(c), reportQuery(c))
	if err != nil {
		return err
	}
	return s.streamReport(c, report{name: "cases", columns: caseReportColumns, hidden: b.Hidden, meta: rowCount,
		next: batchesOf(b, func(row *reports.CaseRow) *jsonapi.Resource {
			res := caseResource(&row.Case, row.Decision)
			res.Type, res.Links = "case-report-rows", nil
			res.Attributes["minutes"] = row.Minutes
			return res
		})})
}

var invoiceReportColumns = append(jsonapi.AttrColumns("number", "status", "issueDate", "dueDate", "total", "currency",
	"reminderCount", "scheduled", "version", "createdAt", "updatedAt"),
	jsonapi.RelColumn("case"), jsonapi.Column{Name: "statusId", Rel: "status"}, jsonapi.RelColumn("creditOf"))

// invoiceReport answers GET /api/v1/reports/invoices (reports.Service.Invoices).
func (s *Server) invoiceReport(c *fiber.Ctx) error {
	b, err := s.reports.Invoices(c.UserContext(), actorOf(c), reportQuery(c))
	if err != nil {
		return err
	}
	return s.streamReport(c, report{name: "invoices", columns: invoiceReportColumns, hidden: b.Hidden, meta: rowCount,
		next: batchesOf(b, func(row *reports.InvoiceRow) *jsonapi.Resource {
			res := invoiceResource(row)
			res.Type, res.Links = "invoice-report-rows", nil
			return res
		})})
}

var accountReportColumns = jsonapi.AttrColumns("name", "cases", "contacts", "billingForecast", "expectedValue", "revenue", "billed",
	"uninvoiced", "laborExpenses", "otherExpenses", "totalExpenses", "margin")

// accountReport answers GET /api/v1/reports/accounts (reports.Service.Accounts).
func (s *Server) accountReport(c *fiber.Ctx) error {
	b, err := s.reports.Accounts(c.UserContext(), actorOf(c), reportQuery(c))
	if err != nil {
		return err
	}
	return s.streamReport(c, report{name: "accounts", columns: accountReportColumns, hidden: b.Hidden, meta: rowCount,
		next: batchesOf(b, func(r *reports.AccountRow) *jsonapi.Resource {
			id := strconv.FormatInt(r.ID, 10)
			res := &jsonapi.Resource{Type: "account-report-rows", ID: id,
				Attributes: map[string]any{"name": r.Name, "cases": r.Cases, "contacts": r.Contacts,
					"billingForecast": r.BillingForecast, "expectedValue": r.ExpectedValue, "revenue": r.Revenue, "billed": r.Billed,
					"uninvoiced": r.Uninvoiced, "laborExpenses": r.LaborExpenses, "otherExpenses": r.OtherExpenses,
					"totalExpenses": r.LaborExpenses + r.OtherExpenses, "margin": r.Revenue - r.LaborExpenses - r.OtherExpenses},
				Relationships: map[string]jsonapi.Relationship{"account": {Data: jsonapi.ToOne("accounts", id)}}}
			res.Hide(b.Hidden.Fields()...)
			return res
		})})
}
