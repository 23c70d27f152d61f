package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

var demoUsers = []string{"ada", "bea", "carl", "dina", "erik", "fay", "gus", "hana", "ivan", "jon", "kim", "lea"}

// shape is what a listing shows: each id with the sorted names of its attributes.
func shape(r response, attrsOnly ...string) map[string]string {
	out := map[string]string{}
	for _, res := range r.dataList() {
		var names []string
		for k := range attrs(res) {
			if len(attrsOnly) == 0 || slices.Contains(attrsOnly, k) {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		out[res["id"].(string)] = strings.Join(names, ",")
	}
	return out
}

// TestReportsShowNothingTheResourcesHide: for every demo user, each report has exactly the
// rows of its resource endpoint, and no financial column that the endpoint leaves out
// (CASE-5..8, INV-1, USR-1, USR-2: other products leak exactly here).
func TestReportsShowNothingTheResourcesHide(t *testing.T) {
	e := newEnv(t)
	financial := []string{"revenue", "billed", "uninvoiced", "billingForecast", "expectedValue", "margin", "total", "price"}
	for _, u := range demoUsers {
		t.Run(u, func(t *testing.T) {
			tok := e.login(u)
			cases := e.do(call{method: "GET", path: "/api/v1/cases?page[size]=100", token: tok})
			report := e.do(call{method: "GET", path: "/api/v1/reports/cases", token: tok})
			if report.Status != http.StatusOK {
				t.Fatalf("case report: %d %s", report.Status, report.Body)
			}
			if got, want := shape(report, financial...), shape(cases, financial...); !mapsEqual(got, want) {
				t.Fatalf("case report %v, cases endpoint %v", got, want)
			}

			invoices := e.do(call{method: "GET", path: "/api/v1/invoices?page[size]=100", token: tok})
			irep := e.do(call{method: "GET", path: "/api/v1/reports/invoices", token: tok})
			if irep.Status != http.StatusOK {
				t.Fatalf("invoice report: %d %s", irep.Status, irep.Body)
			}
			if got, want := shape(irep, financial...), shape(invoices, financial...); !mapsEqual(got, want) {
				t.Fatalf("invoice report %v, invoices endpoint %v", got, want)
			}

			hours := e.do(call{method: "GET", path: "/api/v1/work-hours?page[size]=100", token: tok})
			hrep := e.do(call{method: "GET", path: "/api/v1/reports/work-hours?group=case", token: tok})
			if hrep.Status != http.StatusOK {
				t.Fatalf("hour report: %d %s", hrep.Status, hrep.Body)
			}
			minutes, priced := map[string]float64{}, map[string]bool{}
			for _, h := range hours.dataList() {
				cid := h["relationships"].(map[string]any)["case"].(map[string]any)["data"].(map[string]any)["id"].(string)
				minutes[cid] += attrs(h)["minutes"].(float64)
				if _, ok := priced[cid]; !ok {
					priced[cid] = true
				}
				_, has := attrs(h)["price"]
				priced[cid] = priced[cid] && has
			}
			if len(hrep.dataList()) != len(minutes) {
				t.Fatalf("hour report has %d cases, the endpoint %d", len(hrep.dataList()), len(minutes))
			}
			for _, row := range hrep.dataList() {
				cid := strings.TrimPrefix(row["id"].(string), "case:")
				if attrs(row)["minutes"].(float64) != minutes[cid] {
					t.Errorf("case %s: report %v minutes, endpoint %v", cid, attrs(row)["minutes"], minutes[cid])
				}
				if _, has := attrs(row)["price"]; has && !priced[cid] {
					t.Errorf("case %s: the report shows a price the endpoint hides", cid)
				}
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestAccountReport: rule ACC-1 (Accounts none runs no accounts report), ACC-4 (read_only
// runs it without financial columns), ACC-6 (all adds them).
func TestAccountReport(t *testing.T) {
	e := newEnv(t)
	full := e.do(call{method: "GET", path: "/api/v1/reports/accounts", token: e.login("bea")})
	if full.Status != http.StatusOK || len(full.dataList()) != 3 {
		t.Fatalf("status %d, %d rows", full.Status, len(full.dataList()))
	}
	for _, row := range full.dataList() {
		if _, ok := attrs(row)["revenue"]; !ok {
			t.Fatalf("Accounts all lacks revenue: %v", attrs(row))
		}
	}
	plain := e.do(call{method: "GET", path: "/api/v1/reports/accounts", token: e.login("kim")})
	for _, row := range plain.dataList() {
		if _, ok := attrs(row)["revenue"]; ok {
			t.Fatalf("Accounts read_only sees revenue: %v", attrs(row))
		}
	}
	e.override("kim", "accounts", "none")
	if r := e.do(call{method: "GET", path: "/api/v1/reports/accounts", token: e.login("kim")}); r.Status != http.StatusForbidden {
		t.Fatalf("Accounts none: status %d", r.Status)
	}
}
