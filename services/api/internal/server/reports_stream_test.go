package server_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/services/api/internal/server"
)

// reportPaths are the reports with the parameters they take.
var reportPaths = []string{
	"/api/v1/reports/cases",
	"/api/v1/reports/invoices",
	"/api/v1/reports/accounts",
	"/api/v1/reports/work-hours",
	"/api/v1/reports/work-hours?group=case",
	"/api/v1/reports/work-hours?group=case&filter[from]=2026-10-01&filter[to]=2026-11-30",
	"/api/v1/reports/work-hours?group=user&filter[case]=1",
	"/api/v1/reports/work-hours?group=case&filter[user]=2",
}

// csvOf fetches a report as CSV and parses it; a refusal is returned with no lines.
func (e *env) csvOf(token, path string) (response, [][]string) {
	e.t.Helper()
	r := e.do(call{method: "GET", path: path, token: token, header: map[string]string{"Accept": "text/csv"}})
	if r.Status != http.StatusOK {
		return r, nil
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		e.t.Fatalf("%s: Content-Type %q", path, ct)
	}
	lines, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil || len(lines) == 0 {
		e.t.Fatalf("%s: not CSV with a header: %v\n%s", path, err, r.Body)
	}
	return r, lines
}

// mustCloneCases adds n cases copied from the case named like, under names from name(i).
func (e *env) mustCloneCases(like string, n int, name func(i int) string) {
	e.t.Helper()
	ctx := context.Background()
	var tmpl model.Case
	if err := e.db.NewSelect().Model(&tmpl).Where("name = ?", like).Scan(ctx); err != nil {
		e.t.Fatal(err)
	}
	var hour model.WorkHour
	if err := e.db.NewSelect().Model(&hour).Where("case_id = ?", tmpl.ID).OrderExpr("id").Limit(1).Scan(ctx); err != nil {
		e.t.Fatal(err)
	}
	for start := 0; start < n; start += 500 {
		cases := make([]model.Case, min(500, n-start))
		for i := range cases {
			cases[i] = tmpl
			cases[i].ID, cases[i].Name = 0, name(start+i)
		}
		if _, err := e.db.NewInsert().Model(&cases).Exec(ctx); err != nil {
			e.t.Fatal(err)
		}
		hours := make([]model.WorkHour, len(cases))
		for i := range hours {
			hours[i] = hour
			hours[i].ID, hours[i].CaseID, hours[i].InvoiceID, hours[i].PhaseID = 0, cases[i].ID, nil, nil
		}
		if _, err := e.db.NewInsert().Model(&hours).Exec(ctx); err != nil {
			e.t.Fatal(err)
		}
	}
}

// mustAddInvoices adds invoices copied from the first one, with the given issue dates ("" for
// none).
func (e *env) mustAddInvoices(dates ...model.Date) {
	e.t.Helper()
	ctx := context.Background()
	var tmpl model.Invoice
	if err := e.db.NewSelect().Model(&tmpl).OrderExpr("id").Limit(1).Scan(ctx); err != nil {
		e.t.Fatal(err)
	}
	for i, d := range dates {
		inv := tmpl
		inv.ID, inv.Number, inv.IssueDate, inv.CreditOfID = 0, fmt.Sprintf("T-%d", i), d, nil
		if _, err := e.db.NewInsert().Model(&inv).Exec(ctx); err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestReportBatchesAreInvisible: a report read one row at a time is byte for byte the report
// read in one batch, for every demo user and report, with ties in the order (cases of one
// name, invoices of one date) and invoices without an issue date.
func TestReportBatchesAreInvisible(t *testing.T) {
	e := newEnv(t)
	e.mustCloneCases("Acme platform migration", 3, func(int) string { return "Acme platform migration" })
	e.mustAddInvoices("", "2026-01-05", "")
	for _, u := range demoUsers {
		t.Run(u, func(t *testing.T) {
			tok := e.login(u)
			for _, path := range reportPaths {
				whole := e.do(call{method: "GET", path: path, token: tok})
				restore := server.SetReportBatch(1)
				single := e.do(call{method: "GET", path: path, token: tok})
				restore()
				if whole.Status != http.StatusOK {
					t.Fatalf("%s: status %d: %s", path, whole.Status, whole.Body)
				}
				if string(single.Body) != string(whole.Body) {
					t.Fatalf("%s: one row at a time\n%s\nall at once\n%s", path, single.Body, whole.Body)
				}
			}
		})
	}
}

// TestInvoiceReportKeepsTheDatabaseOrder: invoices by issue date then id, those without a date
// where the database sorts NULL, as the report always ordered them.
func TestInvoiceReportKeepsTheDatabaseOrder(t *testing.T) {
	e := newEnv(t)
	e.mustAddInvoices("", "2026-01-05", "", "2030-01-01")
	var want []string
	if err := e.db.NewSelect().Table("invoices").Column("id").OrderExpr("issue_date, id").Scan(context.Background(), &want); err != nil {
		t.Fatal(err)
	}
	r := e.do(call{method: "GET", path: "/api/v1/reports/invoices", token: e.login("ada")})
	var got []string
	for _, row := range r.dataList() {
		got = append(got, row["id"].(string))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("report order %v, database order %v", got, want)
	}
}

// csvText is what a CSV cell holds for a value of a decoded JSON:API document.
func csvText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case string:
		if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
			return "'" + v
		}
		return v
	}
	panic(fmt.Sprintf("unexpected %T", v))
}

// TestReportCSVIsTheDocument: for every demo user and report, the CSV has the document's rows
// in its order, each cell what the document shows (empty where a row hides it), and no
// attribute of the document without its column.
func TestReportCSVIsTheDocument(t *testing.T) {
	e := newEnv(t)
	files := map[string]string{"cases": "cases-report.csv", "invoices": "invoices-report.csv",
		"accounts": "accounts-report.csv", "work-hours": "work-hours-report.csv"}
	for _, u := range demoUsers {
		t.Run(u, func(t *testing.T) {
			tok := e.login(u)
			for _, path := range reportPaths {
				doc := e.do(call{method: "GET", path: path, token: tok})
				r, lines := e.csvOf(tok, path)
				if r.Status != doc.Status {
					t.Fatalf("%s: CSV status %d, document %d", path, r.Status, doc.Status)
				}
				if r.Status != http.StatusOK {
					continue
				}
				name, _, _ := strings.Cut(strings.TrimPrefix(path, "/api/v1/reports/"), "?")
				if got, want := r.Header.Get("Content-Disposition"), `attachment; filename="`+files[name]+`"`; got != want {
					t.Errorf("%s: Content-Disposition %q, want %q", path, got, want)
				}
				header, rows := lines[0], lines[1:]
				if header[0] != "id" || len(rows) != len(doc.dataList()) {
					t.Fatalf("%s: header %v, %d rows for %d resources", path, header, len(rows), len(doc.dataList()))
				}
				for i, res := range doc.dataList() {
					cells := map[string]string{}
					for j, h := range header {
						cells[h] = rows[i][j]
					}
					if cells["id"] != res["id"] {
						t.Fatalf("%s: row %d is %s, resource %s", path, i, cells["id"], res["id"])
					}
					a := attrs(res)
					for k, v := range a {
						if _, ok := cells[k]; !ok {
							t.Errorf("%s: attribute %s has no column in %v", path, k, header)
						}
						if cells[k] != csvText(v) {
							t.Errorf("%s %s: %s is %q in CSV, %v in the document", path, res["id"], k, cells[k], v)
						}
					}
					rels, _ := res["relationships"].(map[string]any)
					for _, h := range header[1:] {
						_, isAttr := a[h]
						rel, isRel := rels[strings.TrimSuffix(h, "Id")].(map[string]any)
						switch {
						case isAttr:
						case isRel && strings.HasSuffix(h, "Id"):
							data, _ := rel["data"].(map[string]any)
							if want := csvText(data["id"]); cells[h] != want {
								t.Errorf("%s %s: %s is %q, linkage %q", path, res["id"], h, cells[h], want)
							}
						case cells[h] != "":
							t.Errorf("%s %s: CSV shows %s = %q, which the document hides", path, res["id"], h, cells[h])
						}
					}
				}
			}
		})
	}
}

// TestReportCSVHidesFinancialColumns: CASE-5 (member_no_financials) and CASE-7
// (manager_no_financials) hide financial data on every row, so the CSV has no such column;
// a caller with financial rights has them, so the check is not vacuous.
func TestReportCSVHidesFinancialColumns(t *testing.T) {
	e := newEnv(t)
	var financial []string
	for _, f := range [][]string{rights.CaseFinancialFields(), rights.HourFinancialFields(), rights.ItemFinancialFields(), rights.AccountReportFinancialFields()} {
		financial = append(financial, f...)
	}
	columns := func(user, path string) []string {
		r, lines := e.csvOf(e.login(user), path)
		if r.Status != http.StatusOK {
			return nil
		}
		return lines[0]
	}
	paths := []string{"/api/v1/reports/cases", "/api/v1/reports/invoices", "/api/v1/reports/accounts", "/api/v1/reports/work-hours?group=case"}
	for _, path := range paths {
		if !slices.ContainsFunc(columns("ada", path), func(c string) bool { return slices.Contains(financial, c) }) {
			t.Errorf("%s: ada sees no financial column at all", path)
		}
	}
	for _, level := range []string{"member_no_financials", "manager_no_financials"} {
		e.override("erik", "cases", level)
		for _, path := range paths {
			for _, c := range columns("erik", path) {
				if slices.Contains(financial, c) {
					t.Errorf("%s with %s: column %s", path, level, c)
				}
			}
		}
	}
}

// TestReportCSVQuoting: text is quoted as RFC 4180 wants and a cell a spreadsheet would run as
// a formula gets a leading apostrophe; the document keeps the text as it is.
func TestReportCSVQuoting(t *testing.T) {
	e := newEnv(t)
	names := []string{`=HYPERLINK("http://evil.example","click")`, "+1+2", "-1+2", "@SUM(A1)", "\tTab", "\rReturn",
		`Acme, "the" client` + "\nsecond line", "Lone\rreturn"}
	e.mustCloneCases("Acme platform migration", len(names), func(i int) string { return names[i] })
	tok := e.login("ada")
	r, lines := e.csvOf(tok, "/api/v1/reports/cases")
	col := slices.Index(lines[0], "name")
	got := map[string]bool{}
	for _, l := range lines[1:] {
		got[l[col]] = true
	}
	for _, n := range names {
		want := n
		if strings.ContainsRune("=+-@\t\r", rune(n[0])) {
			want = "'" + n
		}
		if !got[want] {
			t.Errorf("no cell %q in %q", want, r.Body)
		}
	}
	if !strings.Contains(string(r.Body), `"Acme, ""the"" client`+"\nsecond line\"") || !strings.Contains(string(r.Body), "\"Lone\rreturn\"") {
		t.Errorf("quotes and the line break are not quoted: %s", r.Body)
	}
	doc := e.do(call{method: "GET", path: "/api/v1/reports/cases", token: tok})
	shown := map[string]bool{}
	for _, res := range doc.dataList() {
		shown[attrs(res)["name"].(string)] = true
	}
	for _, n := range names {
		if !shown[n] {
			t.Errorf("the document changed %q", n)
		}
	}
}

// TestReportNegotiation: text/csv is offered by the reports only; what is refused before the
// first byte is refused with its status and an error document, whatever Accept says.
func TestReportNegotiation(t *testing.T) {
	e := newEnv(t)
	tok := e.login("bea")
	tests := []struct {
		path, accept string
		status       int
		contentType  string
	}{
		{"/api/v1/reports/cases", "text/csv", 200, "text/csv; charset=utf-8"},
		{"/api/v1/reports/cases", "text/*", 200, "text/csv; charset=utf-8"},
		{"/api/v1/reports/cases", "text/csv, */*", 200, "text/csv; charset=utf-8"},
		{"/api/v1/reports/cases", "text/csv;q=0.5, application/vnd.api+json", 200, mediaType},
		{"/api/v1/reports/cases", "*/*", 200, mediaType},
		{"/api/v1/reports/cases", "text/html", 406, mediaType},
		{"/api/v1/cases", "text/csv", 406, mediaType},
		{"/api/v1/reports/work-hours?group=phase", "text/csv", 400, mediaType}, // off-spec on purpose
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.accept, func(t *testing.T) {
			r := e.do(call{method: "GET", path: tt.path, token: tok, header: map[string]string{"Accept": tt.accept}, lax: tt.status == 400})
			if r.Status != tt.status || r.Header.Get("Content-Type") != tt.contentType {
				t.Fatalf("status %d, Content-Type %q: %s", r.Status, r.Header.Get("Content-Type"), r.Body)
			}
		})
	}
	t.Run("forbidden", func(t *testing.T) {
		e.override("kim", "accounts", "none")
		r := e.do(call{method: "GET", path: "/api/v1/reports/accounts", token: e.login("kim"), header: map[string]string{"Accept": "text/csv"}})
		if r.Status != http.StatusForbidden || r.errorCode() == "" {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}
