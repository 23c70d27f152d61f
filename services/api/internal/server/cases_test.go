package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func caseNames(r response) []string {
	var names []string
	for _, res := range r.dataList() {
		names = append(names, attrs(res)["name"].(string))
	}
	slices.Sort(names)
	return names
}

func findCase(t *testing.T, r response, name string) map[string]any {
	t.Helper()
	for _, res := range r.dataList() {
		if attrs(res)["name"] == name {
			return res
		}
	}
	t.Fatalf("case %q not in list %v", name, caseNames(r))
	return nil
}

// TestCaseListFollowsRights checks the demo organisation's case lists per caller, and that
// hidden financial fields are absent rather than null.
func TestCaseListFollowsRights(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		user    string
		want    []string
		masked  []string // cases whose financial fields must be absent
		visible []string // cases whose financial fields must be present
	}{
		// rule CASE-11: Administrator has Cases all.
		{"ada", []string{"Acme platform migration", "Acme strategy review", "Globex pricing study", "Initech integration"}, nil,
			[]string{"Acme platform migration", "Initech integration"}},
		// rule CASE-4, CASE-6: an Employee (member level) owns one case and is a plain member of another.
		{"erik", []string{"Acme strategy review", "Globex pricing study"}, []string{"Acme strategy review"}, []string{"Globex pricing study"}},
		// rule CASE-8, CASE-9: a Project manager sees own cases and cases owned by subordinates.
		{"carl", []string{"Acme strategy review", "Globex pricing study"}, nil, []string{"Acme strategy review", "Globex pricing study"}},
		{"dina", []string{"Acme platform migration", "Initech integration"}, nil, []string{"Acme platform migration", "Initech integration"}},
		// rule CASE-2, CASE-6: a plain member sees the case without financials.
		{"kim", []string{"Acme platform migration"}, []string{"Acme platform migration"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.user, func(t *testing.T) {
			r := e.do(call{method: "GET", path: "/api/v1/cases", token: e.login(tc.user)})
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			if got := caseNames(r); !slices.Equal(got, tc.want) {
				t.Fatalf("cases %v, want %v", got, tc.want)
			}
			for _, name := range tc.masked {
				a := attrs(findCase(t, r, name))
				for _, f := range []string{"revenue", "billed", "uninvoiced", "billingForecast", "expectedValue", "margin"} {
					if _, present := a[f]; present {
						t.Errorf("%s: financial field %s is present", name, f)
					}
				}
				if a["name"] == nil {
					t.Errorf("%s: name missing", name)
				}
			}
			for _, name := range tc.visible {
				a := attrs(findCase(t, r, name))
				if _, present := a["revenue"]; !present {
					t.Errorf("%s: revenue missing for an owner-like caller", name)
				}
			}
		})
	}
}

func TestCaseListQuery(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	t.Run("sort, page and links", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases?sort=-name&page[size]=1&page[number]=2", token: ada})
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if got := caseNames(r); !slices.Equal(got, []string{"Globex pricing study"}) {
			t.Fatalf("page 2 of -name: %v", got)
		}
		links := r.Doc["links"].(map[string]any)
		for _, k := range []string{"first", "prev", "next", "last"} {
			if links[k] == nil {
				t.Errorf("link %s missing: %v", k, links)
			}
		}
		if r.Doc["meta"].(map[string]any)["total"].(float64) != 4 {
			t.Errorf("total %v", r.Doc["meta"])
		}
	})
	t.Run("include and sparse fields", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases?include=owner&fields[cases]=name,owner", token: ada})
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		for _, res := range r.dataList() {
			if len(attrs(res)) != 1 {
				t.Errorf("sparse fields not applied: %v", attrs(res))
			}
		}
		inc, _ := r.Doc["included"].([]any)
		if len(inc) != 4 { // four distinct owners
			t.Errorf("included %d owners, want 4", len(inc))
		}
	})
	t.Run("filter", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases?filter[status]=closed", token: ada})
		if r.Status != http.StatusOK || len(r.dataList()) != 0 {
			t.Fatalf("status %d, %d rows", r.Status, len(r.dataList()))
		}
	})
	for _, bad := range []string{"sort=secret", "include=nothing", "filter[nope]=1", "page[size]=0", "foo=1"} {
		t.Run("400 for "+bad, func(t *testing.T) {
			r := e.do(call{method: "GET", path: "/api/v1/cases?" + bad, token: ada, lax: true})
			if r.Status != http.StatusBadRequest {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
		})
	}
	t.Run("rule CASE-6: a member-level caller cannot sort on a hidden field", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases?sort=revenue", token: e.login("erik"), lax: true})
		if r.Status != http.StatusBadRequest {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}

func TestGetCase(t *testing.T) {
	e := newEnv(t)
	list := e.do(call{method: "GET", path: "/api/v1/cases", token: e.login("ada")})
	initech := findCase(t, list, "Initech integration")["id"].(string)
	t.Run("visible", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases/" + initech + "?include=account", token: e.login("dina")})
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if !strings.Contains(string(r.Body), "Initech GmbH") {
			t.Fatalf("account not included: %s", r.Body)
		}
	})
	t.Run("rule CASE-1: invisible is 404, not 403", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases/" + initech, token: e.login("kim")})
		if r.Status != http.StatusNotFound {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("missing is 404", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases/99999", token: e.login("ada")})
		if r.Status != http.StatusNotFound {
			t.Fatalf("status %d", r.Status)
		}
	})
}
