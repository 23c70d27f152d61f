package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestEveryCollectionQueries walks every collection of the demo data through JSON:API's
// query features: paging with links, sparse fieldsets, sorting, filtering and include.
func TestEveryCollectionQueries(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	cases := []struct {
		path, typ, field, sort, filter, include string
	}{
		{"/api/v1/cases", "cases", "name", "-name", "filter[status]=open", "owner"},
		{"/api/v1/accounts", "accounts", "name", "name", "filter[name]=Acme%20Oy", ""},
		{"/api/v1/contacts", "contacts", "email", "lastName", "filter[account]=" + e.resolve("{account:Acme Oy}"), "account"},
		{"/api/v1/addresses", "addresses", "city", "city", "filter[kind]=visiting", "account"},
		{"/api/v1/users", "users", "name", "-name", "filter[active]=true", "unit"},
		{"/api/v1/profiles", "profiles", "name", "name", "filter[key]=employee", ""},
		{"/api/v1/business-units", "business-units", "name", "name", "filter[parent]=" + e.resolve("{unit:Northwind}"), "parent"},
		{"/api/v1/phases", "phases", "name", "name", "filter[status]=open", "case"},
		{"/api/v1/work-hours", "work-hours", "minutes", "-workDate", "filter[approvalStatus]=pending", "case"},
		{"/api/v1/invoices", "invoices", "number", "number", "filter[case]=" + e.caseID("Initech integration"), "case"},
		{"/api/v1/travel-reimbursements", "travel-reimbursements", "amount", "-amount", "filter[status]=pending", "user"},
		{"/api/v1/activities", "activities", "label", "startsAt", "filter[category]=work", "owner"},
		{"/api/v1/invoice-statuses", "invoice-statuses", "name", "position", "filter[active]=true", ""},
		{"/api/v1/comments", "comments", "body", "createdAt", "filter[targetType]=case", "case"},
		{"/api/v1/files", "files", "name", "name", "filter[kind]=file", "case"},
	}
	for _, tc := range cases {
		t.Run(tc.typ, func(t *testing.T) {
			all := e.do(call{method: "GET", path: tc.path, token: ada})
			if all.Status != http.StatusOK {
				t.Fatalf("list: %d %s", all.Status, all.Body)
			}
			paged := e.do(call{method: "GET", path: tc.path + "?page[size]=1&sort=" + tc.sort, token: ada})
			if paged.Status != http.StatusOK || len(paged.dataList()) > 1 {
				t.Fatalf("page: %d, %d rows", paged.Status, len(paged.dataList()))
			}
			if len(all.dataList()) > 1 && paged.Doc["links"].(map[string]any)["next"] == nil {
				t.Errorf("no next link on page 1 of %d", len(all.dataList()))
			}
			sparse := e.do(call{method: "GET", path: tc.path + "?fields[" + tc.typ + "]=" + tc.field, token: ada})
			for _, r := range sparse.dataList() {
				if a := attrs(r); len(a) > 1 || (len(a) == 1 && a[tc.field] == nil) {
					t.Errorf("fields[%s]=%s left %v", tc.typ, tc.field, a)
				}
			}
			filtered := e.do(call{method: "GET", path: tc.path + "?" + tc.filter, token: ada})
			if filtered.Status != http.StatusOK || len(filtered.dataList()) > len(all.dataList()) {
				t.Errorf("filter %s: %d, %d rows", tc.filter, filtered.Status, len(filtered.dataList()))
			}
			if tc.include != "" {
				inc := e.do(call{method: "GET", path: tc.path + "?include=" + tc.include, token: ada})
				if inc.Status != http.StatusOK {
					t.Fatalf("include=%s: %d %s", tc.include, inc.Status, inc.Body)
				}
				if len(inc.dataList()) > 0 && !strings.Contains(string(inc.Body), `"included"`) && tc.typ != "business-units" {
					t.Errorf("include=%s included nothing", tc.include)
				}
			}
		})
	}
}
