package server_test

import (
	"net/http"
	"strings"
	"testing"
)

func historyChanges(r response) []map[string]any {
	var out []map[string]any
	for _, res := range r.dataList() {
		out = append(out, attrs(res)["changes"].(map[string]any))
	}
	return out
}

// TestChangeHistory: rule CASE-16 (case history for those who view the case), CASE-6 (a
// plain member sees no financial values in it), USR-1 and USR-2 (user data only for managers).
func TestChangeHistory(t *testing.T) {
	e := newEnv(t)
	carl := e.login("carl")
	acme := e.caseID("Acme strategy review")
	r := e.do(call{method: "PATCH", path: "/api/v1/cases/" + acme, token: carl,
		body: patchDoc("cases", acme, map[string]any{"version": e.version("cases", acme), "status": "in_progress", "billingForecast": 5000000}, nil)})
	if r.Status != http.StatusOK {
		t.Fatalf("patch case: %d %s", r.Status, r.Body)
	}
	path := "/api/v1/change-history?filter[case]=" + acme
	t.Run("rule CASE-16: the owner sees the change with its financial values", func(t *testing.T) {
		ch := historyChanges(e.do(call{method: "GET", path: path, token: carl}))
		if len(ch) != 1 || ch[0]["status"] == nil || ch[0]["billingForecast"] == nil {
			t.Fatalf("changes %v", ch)
		}
	})
	t.Run("rule CASE-6: a plain member sees the change without financial values", func(t *testing.T) {
		ch := historyChanges(e.do(call{method: "GET", path: path, token: e.login("erik")}))
		if len(ch) != 1 || ch[0]["status"] == nil {
			t.Fatalf("changes %v", ch)
		}
		if _, leaked := ch[0]["billingForecast"]; leaked {
			t.Fatalf("billingForecast leaked through the history: %v", ch[0])
		}
	})
	t.Run("rule CASE-1: an outsider sees none of it", func(t *testing.T) {
		if r := e.do(call{method: "GET", path: path, token: e.login("kim")}); r.Status != http.StatusOK || len(r.dataList()) != 0 {
			t.Fatalf("status %d, %d entries", r.Status, len(r.dataList()))
		}
	})

	erik := e.userID("erik")
	r = e.do(call{method: "PATCH", path: "/api/v1/users/" + erik, token: e.login("ada"),
		body: patchDoc("users", erik, map[string]any{"version": e.version("users", erik), "name": "Erik S."}, nil)})
	if r.Status != http.StatusOK {
		t.Fatalf("patch user: %d %s", r.Status, r.Body)
	}
	userPath := "/api/v1/change-history?filter[user]=" + erik + "&filter[resourceType]=users"
	t.Run("rule USR-2: the manager sees user data changes", func(t *testing.T) {
		if n := len(e.do(call{method: "GET", path: userPath, token: carl}).dataList()); n != 1 {
			t.Fatalf("%d entries", n)
		}
	})
	t.Run("rule USR-1: Users none sees no user data, not even their own", func(t *testing.T) {
		if n := len(e.do(call{method: "GET", path: userPath, token: e.login("erik")}).dataList()); n != 0 {
			t.Fatalf("%d entries", n)
		}
	})
	t.Run("an unnarrowed history is the 400 the document predicts, naming the parameter", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/change-history", token: carl})
		errs, _ := r.Doc["errors"].([]any)
		if r.Status != http.StatusBadRequest || len(errs) != 1 || !strings.Contains(string(r.Body), `"parameter":"filter"`) {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}

// TestInvoicingIsInTheHoursHistory: billing an hour changes it, so its history says so.
func TestInvoicingIsInTheHoursHistory(t *testing.T) {
	e := newEnv(t)
	carl := e.login("carl")
	hour := e.resolve("{hour:erik/Acme strategy review}")
	r := e.do(call{method: "POST", path: "/api/v1/invoices", token: carl,
		body: map[string]any{"data": map[string]any{"type": "invoices", "relationships": map[string]any{"case": rel("cases", e.caseID("Acme strategy review"))}}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("invoice: %d %s", r.Status, r.Body)
	}
	h := e.do(call{method: "GET", path: "/api/v1/change-history?filter[resourceType]=work-hours&filter[resourceId]=" + hour, token: carl})
	ch := historyChanges(h)
	if len(ch) != 1 || ch[0]["invoice"] == nil {
		t.Fatalf("hour history %v", ch)
	}
}
