package server_test

import (
	"net/http"
	"slices"
	"testing"
)

func (e *env) caseID(name string) string {
	e.t.Helper()
	r := e.do(call{method: "GET", path: "/api/v1/cases?page[size]=100", token: e.login("ada")})
	return findCase(e.t, r, name)["id"].(string)
}

func rulesOf(a map[string]any) []string {
	var out []string
	for _, r := range a["rules"].([]any) {
		out = append(out, r.(string))
	}
	return out
}

func TestExplainAccess(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	globex := e.caseID("Globex pricing study")
	initech := e.caseID("Initech integration")
	cases := []struct {
		name, user, action, resource string
		allowed                      bool
		rule                         string
	}{
		{"rule CASE-9: a subordinate's case is owner-like", "carl", "edit", "cases/" + globex, true, "CASE-9"},
		{"rule CASE-2: a member views", "lea", "view", "cases/" + globex, true, "CASE-2"},
		{"rule CASE-12: a plain member does not edit", "lea", "edit", "cases/" + globex, false, "CASE-12"},
		{"rule CASE-11: Cases all views everything", "bea", "view", "cases/" + initech, true, "CASE-11"},
		{"an unrelated employee cannot view", "kim", "view", "cases/" + globex, false, ""},
		{"rule USR-5: nobody edits their own rights", "ada", "edit-rights", "users/" + e.userID("ada"), false, "USR-5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(call{method: "GET", token: ada,
				path: "/api/v1/access/explain?user=" + e.userID(tc.user) + "&action=" + tc.action + "&resource=" + tc.resource})
			if r.Status != http.StatusOK {
				t.Fatalf("status %d: %s", r.Status, r.Body)
			}
			a := attrs(r.Doc["data"].(map[string]any))
			if a["allowed"] != tc.allowed {
				t.Fatalf("allowed = %v, want %v (%v)", a["allowed"], tc.allowed, a)
			}
			if len(rulesOf(a)) == 0 || a["message"] == "" {
				t.Fatalf("no reason given: %v", a)
			}
			if tc.rule != "" && !slices.Contains(rulesOf(a), tc.rule) {
				t.Fatalf("rules %v do not name %s", rulesOf(a), tc.rule)
			}
		})
	}
	t.Run("a plain member's view names the hidden financial fields", func(t *testing.T) {
		r := e.do(call{method: "GET", token: ada, path: "/api/v1/access/explain?user=" + e.userID("lea") + "&action=view&resource=cases/" + globex})
		a := attrs(r.Doc["data"].(map[string]any))
		hidden, _ := a["hidden"].([]any)
		if !slices.Contains(hidden, any("revenue")) {
			t.Fatalf("hidden %v lacks revenue", hidden)
		}
	})
	t.Run("only Users all or admins may ask", func(t *testing.T) {
		r := e.do(call{method: "GET", token: e.login("carl"),
			path: "/api/v1/access/explain?user=" + e.userID("erik") + "&action=view&resource=cases/" + globex})
		if r.Status != http.StatusForbidden {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("bad input is a 400 naming the parameter", func(t *testing.T) {
		r := e.do(call{method: "GET", token: ada, lax: true, path: "/api/v1/access/explain?user=1&action=fly&resource=cases/" + globex})
		if r.Status != http.StatusBadRequest {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}

func TestCaseViewers(t *testing.T) {
	e := newEnv(t)
	globex := e.caseID("Globex pricing study")
	r := e.do(call{method: "GET", path: "/api/v1/cases/" + globex + "/viewers", token: e.login("ada")})
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	byUser := map[string]map[string]any{}
	for _, v := range r.dataList() {
		uid := v["relationships"].(map[string]any)["user"].(map[string]any)["data"].(map[string]any)["id"].(string)
		byUser[uid] = attrs(v)
	}
	want := []string{"ada", "bea", "carl", "erik", "lea"}
	if len(byUser) != len(want) {
		t.Fatalf("viewers %v, want %v", byUser, want)
	}
	for _, name := range want {
		if byUser[e.userID(name)] == nil {
			t.Errorf("%s missing from viewers", name)
		}
	}
	// rule CASE-9: carl sees it because the owner (erik) is his subordinate.
	if !slices.Contains(rulesOf(byUser[e.userID("carl")]), "CASE-9") {
		t.Errorf("carl's reason: %v", byUser[e.userID("carl")])
	}
	// rule CASE-6: lea, a plain member at member level, has the financials hidden.
	if byUser[e.userID("lea")]["hidden"] == nil {
		t.Errorf("lea sees financials: %v", byUser[e.userID("lea")])
	}
	t.Run("a case the caller cannot see is 404", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases/" + globex + "/viewers", token: e.login("kim")})
		if r.Status != http.StatusNotFound {
			t.Fatalf("status %d", r.Status)
		}
	})
}
