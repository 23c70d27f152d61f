package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
)

// override sets one right of a demo user directly in the database (ORG-5), moving the
// rights epoch as every writer of rights does (PRF-6).
func (e *env) override(user, right, value string) {
	e.t.Helper()
	id := e.userID(user)
	if _, err := e.db.NewInsert().Model(&model.RightOverride{UserID: mustInt(id), RightName: right, Value: value}).
		On("CONFLICT (user_id, right_name) DO UPDATE").Set("value = EXCLUDED.value").Exec(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	e.rightsChanged()
}

func mustInt(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}

func detail(r response) string {
	errs, _ := r.Doc["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	d, _ := errs[0].(map[string]any)["detail"].(string)
	return d
}

// TestActivityCannotReachHiddenCases: rule CASE-1, ACT-6. An activity cannot be put on a case
// its author may not view, and a hidden case answers exactly like a missing one.
func TestActivityCannotReachHiddenCases(t *testing.T) {
	e := newEnv(t)
	gus := e.login("gus")
	hidden := e.caseID("Acme platform migration")
	doc := func(caseID string) map[string]any {
		return map[string]any{"data": map[string]any{"type": "activities",
			"attributes":    map[string]any{"category": "work", "name": "Sneak", "startsAt": "2026-11-25T09:00:00Z", "endsAt": "2026-11-25T10:00:00Z"},
			"relationships": map[string]any{"case": rel("cases", caseID)}}}
	}
	a := e.do(call{method: "POST", path: "/api/v1/activities", token: gus, body: doc(hidden), lax: true})
	b := e.do(call{method: "POST", path: "/api/v1/activities", token: gus, body: doc("999999"), lax: true})
	if a.Status != b.Status || strings.ReplaceAll(detail(a), hidden, "N") != strings.ReplaceAll(detail(b), "999999", "N") {
		t.Fatalf("hidden %d %q vs missing %d %q", a.Status, detail(a), b.Status, detail(b))
	}
	own := e.do(call{method: "POST", path: "/api/v1/activities", token: gus, body: map[string]any{"data": map[string]any{"type": "activities",
		"attributes": map[string]any{"category": "todo", "name": "Mine", "startsAt": "2026-11-25T09:00:00Z", "endsAt": "2026-11-25T10:00:00Z"}}}})
	if own.Status != http.StatusCreated {
		t.Fatalf("own activity: %d %s", own.Status, own.Body)
	}
	id := own.Doc["data"].(map[string]any)["id"].(string)
	r := e.do(call{method: "PATCH", path: "/api/v1/activities/" + id, token: gus, lax: true,
		body: patchDoc("activities", id, map[string]any{"version": 1}, map[string]any{"case": rel("cases", hidden)})})
	if r.Status == http.StatusOK {
		t.Fatal("an activity was moved onto a case its owner cannot see")
	}
}

// TestShareCannotPublishHiddenFinancials: rule CASE-5, EXT-3. Whoever may not see a case's
// figures cannot show them to the customer.
func TestShareCannotPublishHiddenFinancials(t *testing.T) {
	e := newEnv(t)
	e.override("erik", "cases", "member_no_financials")
	globex := e.caseID("Globex pricing study")
	doc := shareDoc(globex)
	doc["data"].(map[string]any)["attributes"].(map[string]any)["showFinancials"] = true
	r := e.do(call{method: "POST", path: "/api/v1/extranet-shares", token: e.login("erik"), body: doc})
	if r.Status != http.StatusForbidden {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
}

// TestHiddenAndMissingAnswerAlike: STYLE rule 3 for parts of cases.
func TestHiddenAndMissingAnswerAlike(t *testing.T) {
	e := newEnv(t)
	kim := e.login("kim")
	hidden := e.resolve("{phase:Acme strategy review/Discovery}")
	a := e.do(call{method: "GET", path: "/api/v1/phases/" + hidden, token: kim})
	b := e.do(call{method: "GET", path: "/api/v1/phases/999999", token: kim})
	if a.Status != http.StatusNotFound || b.Status != http.StatusNotFound ||
		strings.ReplaceAll(detail(a), hidden, "N") != strings.ReplaceAll(detail(b), "999999", "N") {
		t.Fatalf("hidden %d %q vs missing %d %q", a.Status, detail(a), b.Status, detail(b))
	}
}

// TestAddAndEditSubordinatesCreatesUsers: rule USR-3, below oneself only.
func TestAddAndEditSubordinatesCreatesUsers(t *testing.T) {
	e := newEnv(t)
	e.override("carl", "users", "add_and_edit_subordinates")
	carl := e.login("carl")
	newUser := func(email, supervisor string) map[string]any {
		return map[string]any{"data": map[string]any{"type": "users",
			"attributes": map[string]any{"name": "New", "email": email, "password": "a-long-password-1"},
			"relationships": map[string]any{"unit": rel("business-units", e.unitID("Strategy")),
				"supervisor": rel("users", e.userID(supervisor)), "profile": rel("profiles", e.profileID("employee"))}}}
	}
	if r := e.do(call{method: "POST", path: "/api/v1/users", token: carl, body: newUser("n1@northwind.example", "erik")}); r.Status != http.StatusCreated {
		t.Fatalf("below a subordinate: %d %s", r.Status, r.Body)
	}
	if r := e.do(call{method: "POST", path: "/api/v1/users", token: carl, body: newUser("n2@northwind.example", "ivan")}); r.Status != http.StatusForbidden {
		t.Fatalf("outside his part of the tree: %d %s", r.Status, r.Body)
	}
}

// TestInvoiceEdgeCases: rule INV-4 (nothing changes beyond the limit, not even an empty
// PATCH) and a credited draft stays.
func TestInvoiceEdgeCases(t *testing.T) {
	e := newEnv(t)
	initech := e.resolve("{invoice:Initech integration}")
	if _, err := e.db.NewUpdate().Model((*model.Invoice)(nil)).Set("status_id = ?", mustInt(e.resolve("{status:Paid}"))).
		Where("id = ?", initech).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := e.do(call{method: "PATCH", path: "/api/v1/invoices/" + initech, token: e.login("dina"),
		body: patchDoc("invoices", initech, map[string]any{"version": e.version("invoices", initech)}, nil)})
	if r.Status != http.StatusForbidden || e.version("invoices", initech) != 1 {
		t.Fatalf("empty PATCH beyond the limit: %d, version %d", r.Status, e.version("invoices", initech))
	}
	carl := e.login("carl")
	acme := e.resolve("{invoice:Acme strategy review}")
	if r := e.do(call{method: "POST", path: "/api/v1/invoices/" + acme + "/credit", token: carl}); r.Status != http.StatusCreated {
		t.Fatalf("credit: %d %s", r.Status, r.Body)
	}
	if r := e.do(call{method: "DELETE", path: "/api/v1/invoices/" + acme, token: carl}); r.Status != http.StatusConflict {
		t.Fatalf("delete a credited draft: %d %s", r.Status, r.Body)
	}
}

// TestReactivationKeepsOneTree: rule ORG-1.
func TestReactivationKeepsOneTree(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	set := func(user string, active bool) response {
		id := e.userID(user)
		return e.do(call{method: "PATCH", path: "/api/v1/users/" + id, token: ada,
			body: patchDoc("users", id, map[string]any{"version": e.version("users", id), "active": active}, nil)})
	}
	for _, u := range []string{"lea", "erik"} {
		if r := set(u, false); r.Status != http.StatusOK {
			t.Fatalf("deactivate %s: %d %s", u, r.Status, r.Body)
		}
	}
	if r := set("lea", true); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("reactivating under an inactive supervisor: %d %s", r.Status, r.Body)
	}
}

// TestInvoiceStatusConcurrency: a stale status edit is refused; an empty name is a 400.
func TestInvoiceStatusConcurrency(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	paid := e.resolve("{status:Paid}")
	if r := e.do(call{method: "PATCH", path: "/api/v1/invoice-statuses/" + paid, token: ada,
		body: patchDoc("invoice-statuses", paid, map[string]any{"version": 7, "active": false}, nil)}); r.Status != http.StatusPreconditionFailed {
		t.Fatalf("stale: %d", r.Status)
	}
	if r := e.do(call{method: "PATCH", path: "/api/v1/invoice-statuses/" + paid, token: ada, lax: true,
		body: patchDoc("invoice-statuses", paid, map[string]any{"version": 1, "name": " "}, nil)}); r.Status != http.StatusBadRequest {
		t.Fatalf("empty name: %d %s", r.Status, r.Body)
	}
}

// TestMalformedFiltersAre400: a filter value of the wrong type names the parameter, on
// PostgreSQL as well as SQLite (no database error, no 500).
func TestMalformedFiltersAre400(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	for _, path := range []string{"/api/v1/work-hours?filter[case]=abc", "/api/v1/cases?filter[account]=x",
		"/api/v1/invoice-statuses?filter[active]=maybe", "/api/v1/work-hours?filter[workDate]=soon",
		"/api/v1/change-history?filter[case]=x", "/api/v1/users?filter[unit]=x"} {
		r := e.do(call{method: "GET", path: path, token: ada, lax: true})
		if r.Status != http.StatusBadRequest {
			t.Errorf("%s: status %d: %s", path, r.Status, r.Body)
		}
	}
	if r := e.do(call{method: "GET", path: "/api/v1/invoice-statuses?filter[active]=true", token: ada}); len(r.dataList()) != 3 {
		t.Errorf("filter[active]=true found %d statuses, want 3", len(r.dataList()))
	}
}

// TestShareHistoryIsForSharers: rule EXT-1. Plain members do not read who a case is shared
// with through the history.
func TestShareHistoryIsForSharers(t *testing.T) {
	e := newEnv(t)
	acme := e.caseID("Acme strategy review")
	if r := e.do(call{method: "POST", path: "/api/v1/extranet-shares", token: e.login("carl"),
		body: shareDoc(acme, shareContact(e.resolve("{contact:aino.virtanen@acme.example}")))}); r.Status != http.StatusCreated {
		t.Fatalf("share: %d", r.Status)
	}
	path := "/api/v1/change-history?filter[case]=" + acme + "&filter[resourceType]=extranet-shares"
	if n := len(e.do(call{method: "GET", path: path, token: e.login("carl")}).dataList()); n != 1 {
		t.Fatalf("the sharer sees %d entries, want 1", n)
	}
	if n := len(e.do(call{method: "GET", path: path, token: e.login("erik")}).dataList()); n != 0 {
		t.Fatalf("a plain member sees %d share entries", n)
	}
}

// TestExplainNeedsTheAskerToSeeTheObject: STYLE rule 3 holds for the explain endpoint too.
func TestExplainNeedsTheAskerToSeeTheObject(t *testing.T) {
	e := newEnv(t)
	e.override("carl", "users", "all")
	initech := e.caseID("Initech integration")
	r := e.do(call{method: "GET", token: e.login("carl"),
		path: "/api/v1/access/explain?user=" + e.userID("jon") + "&action=view&resource=cases/" + initech})
	if r.Status != http.StatusNotFound {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
}

// TestCaseWithRecordsIsClosedNotDeleted: CASE-13 deletes only cases without hours, travel
// or invoices.
func TestCaseWithRecordsIsClosedNotDeleted(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	acme := e.caseID("Acme strategy review")
	if _, err := e.db.NewDelete().Model((*model.Invoice)(nil)).Where("case_id = ?", acme).Exec(ctx); err != nil {
		// invoice rows reference hours; clear them first
		t.Log(err)
	}
	r := e.do(call{method: "DELETE", path: "/api/v1/cases/" + acme, token: e.login("carl")})
	if r.Status != http.StatusConflict {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	if n, _ := e.db.NewSelect().Model((*model.WorkHour)(nil)).Where("case_id = ?", acme).Count(ctx); n == 0 {
		t.Fatal("hours were deleted with a refused case deletion")
	}
}
