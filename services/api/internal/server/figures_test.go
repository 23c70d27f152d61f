package server_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/caseroom/caseroom/pkg/casefigures"
)

// mustFiguresAgree fails unless every case's kept figures equal a full recomputation.
func (e *env) mustFiguresAgree(step string) {
	e.t.Helper()
	ctx := context.Background()
	kept, err := casefigures.Kept(ctx, e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	full, err := casefigures.Recompute(ctx, e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	if !slices.Equal(kept, full) {
		e.t.Fatalf("after %s the kept figures drifted:\nkept %+v\nfull %+v", step, kept, full)
	}
}

// Case figures are kept in the transaction of every write to hours, invoices and travel,
// and always equal a full recomputation from the rows: entered, changed and deleted hours,
// invoicing, crediting and deleting invoices, and travel claims on a case.
func TestCaseFiguresFollowEveryWrite(t *testing.T) {
	e := newEnv(t)
	e.mustFiguresAgree("the demo load")
	carl := e.login("carl")
	acme := e.caseID("Acme strategy review")
	must := func(step string, r response, status int) response {
		t.Helper()
		if r.Status != status {
			t.Fatalf("%s: %d %s", step, r.Status, r.Body)
		}
		e.mustFiguresAgree(step)
		return r
	}
	newID := func(r response) string { return r.Doc["data"].(map[string]any)["id"].(string) }
	hour := newID(must("an hour entered", e.do(call{method: "POST", path: "/api/v1/work-hours", token: carl,
		body: map[string]any{"data": map[string]any{"type": "work-hours", "attributes": map[string]any{"workDate": "2026-11-20", "minutes": 90},
			"relationships": map[string]any{"case": rel("cases", acme)}}}}), http.StatusCreated))
	must("an hour changed", e.do(call{method: "PATCH", path: "/api/v1/work-hours/" + hour, token: carl,
		body: e.patchBody("work-hours", "/api/v1/work-hours/"+hour, map[string]any{"minutes": 240})}), http.StatusOK)
	invoice := newID(must("an invoice", e.do(call{method: "POST", path: "/api/v1/invoices", token: carl,
		body: map[string]any{"data": map[string]any{"type": "invoices", "relationships": map[string]any{"case": rel("cases", acme)}}}}), http.StatusCreated))
	must("a credit note", e.do(call{method: "POST", path: "/api/v1/invoices/" + invoice + "/credit", token: carl}), http.StatusCreated)
	again := newID(must("the freed hours invoiced again", e.do(call{method: "POST", path: "/api/v1/invoices", token: carl,
		body: map[string]any{"data": map[string]any{"type": "invoices", "relationships": map[string]any{"case": rel("cases", acme)}}}}), http.StatusCreated))
	must("a draft deleted", e.do(call{method: "DELETE", path: "/api/v1/invoices/" + again, token: carl}), http.StatusNoContent)
	trip := newID(must("a travel claim", e.do(call{method: "POST", path: "/api/v1/travel-reimbursements", token: carl,
		body: map[string]any{"data": map[string]any{"type": "travel-reimbursements",
			"attributes":    map[string]any{"travelDate": "2026-11-20", "amount": 4200, "description": "Taxi"},
			"relationships": map[string]any{"case": rel("cases", acme)}}}}), http.StatusCreated))
	must("a claim changed", e.do(call{method: "PATCH", path: "/api/v1/travel-reimbursements/" + trip, token: carl,
		body: e.patchBody("travel-reimbursements", "/api/v1/travel-reimbursements/"+trip, map[string]any{"amount": 9900})}), http.StatusOK)
	must("a claim deleted", e.do(call{method: "DELETE", path: "/api/v1/travel-reimbursements/" + trip, token: carl}), http.StatusNoContent)
	other := newID(must("another hour", e.do(call{method: "POST", path: "/api/v1/work-hours", token: carl,
		body: map[string]any{"data": map[string]any{"type": "work-hours", "attributes": map[string]any{"workDate": "2026-11-21", "minutes": 30},
			"relationships": map[string]any{"case": rel("cases", acme)}}}}), http.StatusCreated))
	must("an hour deleted", e.do(call{method: "DELETE", path: "/api/v1/work-hours/" + other, token: carl}), http.StatusNoContent)
	r := e.do(call{method: "GET", path: "/api/v1/cases/" + acme, token: carl})
	if r.Status != http.StatusOK || r.Doc["data"].(map[string]any)["attributes"].(map[string]any)["revenue"] == nil {
		t.Fatalf("the case shows no revenue: %s", r.Body)
	}
}
