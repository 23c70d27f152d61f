package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/domain"
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

// rowReport answers GET on a report that takes no parameter of its own and counts its rows:
// fetch is the service's report, render makes each row, and every row hides what the whole
// report hides (reports.Batches.Hidden).
func rowReport[T any](s *Server, name string, columns []jsonapi.Column,
	fetch func(context.Context, domain.Actor, reports.Query) (*reports.Batches[T], error), render func(*T) *jsonapi.Resource) fiber.Handler {
	return func(c *fiber.Ctx) error {
		b, err := fetch(c.UserContext(), actorOf(c), reportQuery(c))
		if err != nil {
			return err
		}
		hidden := b.Hidden.Fields()
		return s.streamReport(c, report{name: name, columns: columns, hidden: b.Hidden, meta: rowCount,
			next: batchesOf(b, func(row *T) *jsonapi.Resource {
				res := render(row)
				res.Hide(hidden...)
				return res
			})})
	}
}

var caseReportColumns = append(jsonapi.AttrColumns("name", "status", "startsOn", "endsOn", "billingForecast", "expenseForecast",
	"expectedValue", "probability", "expectedOrderDate", "revenue", "billed", "uninvoiced", "laborExpenses",
	"otherExpenses", "totalExpenses", "margin", "minutes", "version", "createdAt", "updatedAt"),
	jsonapi.RelColumn("account"), jsonapi.RelColumn("owner"), jsonapi.RelColumn("unit"))

// caseReportRow renders a row of GET /api/v1/reports/cases (reports.Service.Cases): the case
// as its own GET renders it, with the minutes of all its hours.
func caseReportRow(row *reports.CaseRow) *jsonapi.Resource {
	res := caseResource(&row.Case, row.Decision)
	res.Type, res.Links = "case-report-rows", nil
	res.Attributes["minutes"] = row.Minutes
	return res
}

var invoiceReportColumns = append(jsonapi.AttrColumns("number", "status", "issueDate", "dueDate", "total", "currency",
	"reminderCount", "scheduled", "version", "createdAt", "updatedAt"),
	jsonapi.RelColumn("case"), jsonapi.Column{Name: "statusId", Rel: "status"}, jsonapi.RelColumn("creditOf"))

// invoiceReportRow renders a row of GET /api/v1/reports/invoices (reports.Service.Invoices):
// the invoice as its own GET renders it.
func invoiceReportRow(row *reports.InvoiceRow) *jsonapi.Resource {
	res := invoiceResource(row)
	res.Type, res.Links = "invoice-report-rows", nil
	return res
}

var accountReportColumns = jsonapi.AttrColumns("name", "cases", "contacts", "billingForecast", "expectedValue", "revenue", "billed",
	"uninvoiced", "laborExpenses", "otherExpenses", "totalExpenses", "margin")

// accountReportRow renders a row of GET /api/v1/reports/accounts (reports.Service.Accounts).
func accountReportRow(r *reports.AccountRow) *jsonapi.Resource {
	id := strconv.FormatInt(r.ID, 10)
	return &jsonapi.Resource{Type: "account-report-rows", ID: id,
		Attributes: map[string]any{"name": r.Name, "cases": r.Cases, "contacts": r.Contacts,
			"billingForecast": r.BillingForecast, "expectedValue": r.ExpectedValue, "revenue": r.Revenue, "billed": r.Billed,
			"uninvoiced": r.Uninvoiced, "laborExpenses": r.LaborExpenses, "otherExpenses": r.OtherExpenses,
			"totalExpenses": r.LaborExpenses + r.OtherExpenses, "margin": r.Revenue - r.LaborExpenses - r.OtherExpenses},
		Relationships: map[string]jsonapi.Relationship{"account": {Data: jsonapi.ToOne("accounts", id)}}}
}
