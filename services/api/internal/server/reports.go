package server

import (
	"sort"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// Reports read through the same scopes and decisions as the resource endpoints, so a report
// never shows a row or a column that the resources hide; DecideReport adds what a whole report
// hides (CASE-5, CASE-7) and whether it may run at all.

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
	ctx := c.UserContext()
	var rows []struct {
		caseRow `bun:",extend"`
		Minutes int64 `bun:"minutes"`
	}
	err := s.db.NewSelect().Model(&rows).ModelTableExpr("cases AS c").Apply(caseFigures).
		ColumnExpr("COALESCE((SELECT SUM(h.minutes) FROM work_hours h WHERE h.case_id = c.id), 0) AS minutes").
		Apply(scope.CaseView(p.Subject, "c")).OrderExpr("c.name, c.id").Scan(ctx)
	if err != nil {
		return apperr.Wrap(err, "case report")
	}
	out := make([]*jsonapi.Resource, 0, len(rows))
	for i := range rows {
		d := rights.DecideCase(p.Subject, rights.CaseView, caseAttrs(&rows[i].Case))
		if !d.Allow {
			continue
		}
		res := caseResource(&rows[i].caseRow, d)
		res.Type, res.Links = "case-report-rows", nil
		res.Attributes["minutes"] = rows[i].Minutes
		res.Hide(rep.Hidden.Fields()...)
		out = append(out, res)
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Many(out), Meta: jsonapi.Meta{"rows": len(out)}})
}

// hourReport answers GET /api/v1/reports/work-hours?group=user|case&filter[from]=&filter[to]=:
// totals over exactly the entries the caller may view (USR-1, USR-2, USR-4, WHA-3, WHA-7).
// A group's price total is shown only when every entry in it shows its price.
func (s *Server) hourReport(c *fiber.Ctx) error {
	p := caller(c)
	rep := rights.DecideReport(p.Subject, rights.ReportWorkHourSummary)
	if !rep.Allow {
		return denied(rep)
	}
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Filters: []string{"from", "to", "case", "user"}, Custom: []string{"group"}})
	if err != nil {
		return err
	}
	group := q.Custom.Get("group")
	if group == "" {
		group = "user"
	}
	if group != "user" && group != "case" {
		return &apperr.Error{Code: apperr.Invalid, Detail: "group is user or case", Param: "group"}
	}
	sel := s.db.NewSelect().Model((*hourRow)(nil)).ModelTableExpr("work_hours AS h").Apply(hourColumns).Apply(scope.HourView(p.Subject, "h"))
	for name, col := range map[string]string{"from": "h.work_date >= ?", "to": "h.work_date <= ?"} {
		if v, ok := q.FilterValue(name); ok {
			if !model.Date(v).Valid() {
				return &apperr.Error{Code: apperr.Invalid, Detail: "filter[" + name + "] must be " + dateRule, Param: "filter[" + name + "]"}
			}
			sel = sel.Where(col, v)
		}
	}
	for name, col := range map[string]string{"case": "h.case_id", "user": "h.user_id"} {
		if raw, ok := q.FilterValue(name); ok {
			v, err := filterValue(name, col, raw)
			if err != nil {
				return err
			}
			sel = sel.Where("? = ?", bun.Safe(col), v)
		}
	}
	var hours []hourRow
	if err := sel.Scan(c.UserContext(), &hours); err != nil {
		return apperr.Wrap(err, "hour report")
	}
	type total struct {
		minutes, entries, price int64
		priceHidden             bool
	}
	totals := map[int64]*total{}
	for i := range hours {
		h := &hours[i]
		d := rights.DecideHours(p.Subject, rights.HourView, h.attrs())
		if !d.Allow {
			continue
		}
		key := h.UserID
		if group == "case" {
			key = h.CaseID
		}
		t := totals[key]
		if t == nil {
			t = &total{}
			totals[key] = t
		}
		t.minutes += int64(h.Minutes)
		t.entries++
		t.price += h.Price()
		t.priceHidden = t.priceHidden || d.Hidden.Hides("price") || rep.Hidden.Hides("price")
	}
	keys := make([]int64, 0, len(totals))
	for k := range totals {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	target := map[string]string{"user": "users", "case": "cases"}[group]
	out := make([]*jsonapi.Resource, 0, len(keys))
	for _, k := range keys {
		t := totals[k]
		id := strconv.FormatInt(k, 10)
		attrs := map[string]any{"minutes": t.minutes, "entries": t.entries}
		if !t.priceHidden {
			attrs["price"] = t.price
		}
		out = append(out, &jsonapi.Resource{Type: "work-hour-report-rows", ID: group + ":" + id, Attributes: attrs,
			Relationships: map[string]jsonapi.Relationship{group: {Data: jsonapi.ToOne(target, id)}}})
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Many(out), Meta: jsonapi.Meta{"group": group}})
}

// invoiceReport answers GET /api/v1/reports/invoices: the invoices the caller may view, with
// amounts masked as the invoice endpoints mask them; hidden entirely from
// manager_no_financials (CASE-7).
func (s *Server) invoiceReport(c *fiber.Ctx) error {
	p := caller(c)
	rep := rights.DecideReport(p.Subject, rights.ReportInvoices)
	if !rep.Allow {
		return denied(rep)
	}
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return err
	}
	ctx := c.UserContext()
	order, err := access.StatusOrder(ctx, s.db)
	if err != nil {
		return err
	}
	var rows []invoiceRow
	if err := s.db.NewSelect().Model(&rows).ModelTableExpr("invoices AS i").Apply(invoiceColumns).
		Apply(scope.InvoiceView(p.Subject, "i")).OrderExpr("i.issue_date, i.id").Scan(ctx); err != nil {
		return apperr.Wrap(err, "invoice report")
	}
	out := make([]*jsonapi.Resource, 0, len(rows))
	for i := range rows {
		d := rights.DecideInvoice(p.Subject, rights.InvoiceView, rows[i].attrs(order))
		if !d.Allow {
			continue
		}
		res := invoiceResource(&rows[i], d)
		res.Type, res.Links = "invoice-report-rows", nil
		res.Hide(rep.Hidden.Fields()...)
		out = append(out, res)
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Many(out), Meta: jsonapi.Meta{"rows": len(out)}})
}

// accountReport answers GET /api/v1/reports/accounts: every account with its case and
// contact counts (ACC-4); the financial columns, summed over all the account's cases, only for
// Accounts all (ACC-6) and never where CASE-5 or CASE-7 hide financial data everywhere.
func (s *Server) accountReport(c *fiber.Ctx) error {
	p := caller(c)
	rep := rights.DecideReport(p.Subject, rights.ReportAccounts)
	if !rep.Allow {
		return denied(rep)
	}
	if _, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{}); err != nil {
		return err
	}
	var rows []struct {
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
	err := s.db.NewSelect().TableExpr("accounts AS a").ColumnExpr("a.id, a.name").
		ColumnExpr("(SELECT COUNT(*) FROM cases c WHERE c.account_id = a.id) AS cases").
		ColumnExpr("(SELECT COUNT(*) FROM contacts ct WHERE ct.account_id = a.id) AS contacts").
		ColumnExpr("COALESCE((SELECT SUM("+capped("c.billing_forecast", model.MoneyRange)+") FROM cases c WHERE c.account_id = a.id), 0) AS billing_forecast").
		ColumnExpr("COALESCE((SELECT SUM("+capped("c.expected_value", model.MoneyRange)+") FROM cases c WHERE c.account_id = a.id), 0) AS expected_value").
		ColumnExpr("COALESCE((SELECT SUM(h.unit_price * h.minutes / 60) FROM work_hours h JOIN cases c ON c.id = h.case_id WHERE c.account_id = a.id AND h.billable), 0) AS revenue").
		ColumnExpr("COALESCE((SELECT SUM(i.total) FROM invoices i JOIN cases c ON c.id = i.case_id WHERE c.account_id = a.id), 0) AS billed").
		ColumnExpr("COALESCE((SELECT SUM(h.unit_price * h.minutes / 60) FROM work_hours h JOIN cases c ON c.id = h.case_id WHERE c.account_id = a.id AND h.billable AND h.invoice_id IS NULL), 0) AS uninvoiced").
		ColumnExpr("COALESCE((SELECT SUM(h.unit_cost * h.minutes / 60) FROM work_hours h JOIN cases c ON c.id = h.case_id WHERE c.account_id = a.id), 0) AS labor_expenses").
		ColumnExpr("COALESCE((SELECT SUM("+capped("t.amount", model.MoneyRange)+") FROM travel_reimbursements t JOIN cases c ON c.id = t.case_id WHERE c.account_id = a.id), 0) AS other_expenses").
		OrderExpr("a.name, a.id").Scan(c.UserContext(), &rows)
	if err != nil {
		return apperr.Wrap(err, "account report")
	}
	out := make([]*jsonapi.Resource, len(rows))
	for i, r := range rows {
		id := strconv.FormatInt(r.ID, 10)
		res := &jsonapi.Resource{Type: "account-report-rows", ID: id,
			Attributes: map[string]any{"name": r.Name, "cases": r.Cases, "contacts": r.Contacts,
				"billingForecast": r.BillingForecast, "expectedValue": r.ExpectedValue, "revenue": r.Revenue, "billed": r.Billed,
				"uninvoiced": r.Uninvoiced, "laborExpenses": r.LaborExpenses, "otherExpenses": r.OtherExpenses,
				"totalExpenses": r.LaborExpenses + r.OtherExpenses, "margin": r.Revenue - r.LaborExpenses - r.OtherExpenses},
			Relationships: map[string]jsonapi.Relationship{"account": {Data: jsonapi.ToOne("accounts", id)}}}
		res.Hide(rep.Hidden.Fields()...)
		out[i] = res
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, jsonapi.Document{Data: jsonapi.Many(out), Meta: jsonapi.Meta{"rows": len(out)}})
}
