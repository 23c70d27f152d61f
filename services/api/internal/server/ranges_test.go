package server_test

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/model"
)

// source returns the pointer and the parameter of the first error object.
func source(r response) (pointer, parameter string) {
	errs, _ := r.Doc["errors"].([]any)
	if len(errs) == 0 {
		return "", ""
	}
	src, _ := errs[0].(map[string]any)["source"].(map[string]any)
	pointer, _ = src["pointer"].(string)
	parameter, _ = src["parameter"].(string)
	return pointer, parameter
}

// offSpec reports whether the OpenAPI document alone already refuses the request c: that
// is how a test sees that a range is documented, not only enforced.
func (e *env) offSpec(c call) bool {
	e.t.Helper()
	var raw []byte
	if c.body != nil {
		var err error
		if raw, err = json.Marshal(c.body); err != nil {
			e.t.Fatal(err)
		}
	}
	req := httptest.NewRequest(c.method, c.path, nil)
	if raw != nil {
		req.Header.Set("Content-Type", mediaType)
	}
	req.Header.Set("Accept", mediaType)
	req.Header.Set("Authorization", "Bearer "+c.token)
	return e.spec.ValidateRequest(req, raw) != nil
}

// refused sends c and fails t unless it is a 400 whose source is want (a JSON pointer, or a
// query parameter when want starts with "filter[") and, when documented, unless the OpenAPI
// document already refuses it.
func (e *env) refused(t *testing.T, c call, want string, documented bool) {
	t.Helper()
	c.lax = true
	r := e.do(c)
	if r.Status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
	}
	pointer, parameter := source(r)
	if got := pointer + parameter; got != want {
		t.Fatalf("source %q, want %q: %s", got, want, r.Body)
	}
	if documented && !e.offSpec(c) {
		t.Errorf("the OpenAPI document allows a request the server refuses")
	}
}

// pagesStillWork fails t unless the case list, a case, the reports that sum money and the
// lists of dated rows answer 200 to a project manager, to Cases all and to an administrator.
func (e *env) pagesStillWork(t *testing.T, caseID string) {
	t.Helper()
	for _, user := range []string{"carl", "bea", "ada"} {
		token := e.login(user)
		for _, path := range []string{"/api/v1/cases", "/api/v1/cases/" + caseID, "/api/v1/reports/cases",
			"/api/v1/reports/accounts", "/api/v1/reports/work-hours", "/api/v1/work-hours", "/api/v1/activities"} {
			if r := e.do(call{method: "GET", path: path, token: token}); r.Status != http.StatusOK {
				t.Errorf("%s GET %s: status %d: %s", user, path, r.Status, r.Body)
			}
		}
	}
}

func travelDoc(caseID string, attrs map[string]any) map[string]any {
	return map[string]any{"data": map[string]any{"type": "travel-reimbursements", "attributes": attrs,
		"relationships": map[string]any{"case": rel("cases", caseID)}}}
}

func hourDoc(caseID string, attrs map[string]any) map[string]any {
	return map[string]any{"data": map[string]any{"type": "work-hours", "attributes": attrs,
		"relationships": map[string]any{"case": rel("cases", caseID)}}}
}

func activityDoc(startsAt, endsAt string) map[string]any {
	return map[string]any{"data": map[string]any{"type": "activities",
		"attributes": map[string]any{"category": "todo", "name": "Far away", "startsAt": startsAt, "endsAt": endsAt}}}
}

// mustCreate posts body to path and returns the new resource's id.
func (e *env) mustCreate(t *testing.T, path, token string, body any) string {
	t.Helper()
	r := e.do(call{method: "POST", path: path, token: token, body: body})
	if r.Status != http.StatusCreated {
		t.Fatalf("POST %s: status %d: %s", path, r.Status, r.Body)
	}
	return r.Doc["data"].(map[string]any)["id"].(string)
}

// TestMoneyAndQuantityRanges: one travel claim of 2^63-1 used to make the case list, every
// case and the cases and accounts reports answer 500 to everyone, because their sums
// overflowed (SQLite "integer overflow", PostgreSQL "out of range"). Every money and quantity
// attribute a client writes is bounded (pkg/model), a value outside is a 400 naming the
// attribute, the OpenAPI document states the bounds, and the pages keep working.
func TestMoneyAndQuantityRanges(t *testing.T) {
	e := newEnv(t)
	erik, carl := e.login("erik"), e.login("carl")
	acme := e.caseID("Acme strategy review")
	claim := e.mustCreate(t, "/api/v1/travel-reimbursements", erik,
		travelDoc(acme, map[string]any{"travelDate": "2026-11-20", "amount": 4200, "description": "Taxi"}))
	hour := e.resolve("{hour:erik/Acme strategy review}")
	travelWith := func(amount any) map[string]any {
		return travelDoc(acme, map[string]any{"travelDate": "2026-11-20", "amount": amount, "description": "Flight"})
	}
	tooMuch := model.MaxMoney + 1
	for _, tc := range []struct {
		name       string
		c          call
		pointer    string
		documented bool
	}{
		{"travel amount 2^63-1", call{method: "POST", path: "/api/v1/travel-reimbursements", token: erik, body: travelWith(int64(math.MaxInt64))},
			"/data/attributes/amount", true},
		{"travel amount just above the maximum", call{method: "POST", path: "/api/v1/travel-reimbursements", token: erik, body: travelWith(tooMuch)},
			"/data/attributes/amount", true},
		{"travel amount negative", call{method: "POST", path: "/api/v1/travel-reimbursements", token: erik, body: travelWith(-1)},
			"/data/attributes/amount", true},
		{"travel amount beyond int64", call{method: "POST", path: "/api/v1/travel-reimbursements", token: erik, body: travelWith(json.RawMessage("9223372036854775808"))},
			"/data/attributes/amount", true},
		{"travel amount 1e30", call{method: "POST", path: "/api/v1/travel-reimbursements", token: erik, body: travelWith(json.RawMessage("1e30"))},
			"/data/attributes/amount", true},
		{"travel amount with a fraction", call{method: "POST", path: "/api/v1/travel-reimbursements", token: erik, body: travelWith(12.5)},
			"/data/attributes/amount", true},
		{"travel amount raised to 2^63-1", call{method: "PATCH", path: "/api/v1/travel-reimbursements/" + claim, token: erik,
			body: patchDoc("travel-reimbursements", claim, map[string]any{"version": 1, "amount": int64(math.MaxInt64)}, nil)},
			"/data/attributes/amount", true},
		{"minutes 0", call{method: "POST", path: "/api/v1/work-hours", token: erik, body: hourDoc(acme, map[string]any{"workDate": "2026-11-20", "minutes": 0})},
			"/data/attributes/minutes", true},
		{"minutes above a day", call{method: "POST", path: "/api/v1/work-hours", token: erik, body: hourDoc(acme, map[string]any{"workDate": "2026-11-20", "minutes": model.MaxMinutes + 1})},
			"/data/attributes/minutes", true},
		{"minutes beyond int64", call{method: "PATCH", path: "/api/v1/work-hours/" + hour, token: erik,
			body: patchDoc("work-hours", hour, map[string]any{"version": e.version("work_hours", hour), "minutes": json.RawMessage("99999999999999999999")}, nil)},
			"/data/attributes/minutes", true},
	} {
		t.Run(tc.name, func(t *testing.T) { e.refused(t, tc.c, tc.pointer, tc.documented) })
	}
	for _, name := range []string{"billingForecast", "expenseForecast", "expectedValue"} {
		t.Run("case "+name+" above the maximum", func(t *testing.T) {
			body := patchDoc("cases", acme, map[string]any{"version": e.version("cases", acme), name: tooMuch}, nil)
			e.refused(t, call{method: "PATCH", path: "/api/v1/cases/" + acme, token: carl, body: body}, "/data/attributes/"+name, true)
		})
	}
	t.Run("the ends of the ranges are accepted", func(t *testing.T) {
		for range 2 {
			e.mustCreate(t, "/api/v1/travel-reimbursements", erik, travelWith(model.MaxMoney))
		}
		e.mustCreate(t, "/api/v1/travel-reimbursements", erik, travelWith(0))
		for _, m := range []int64{model.MinMinutes, model.MaxMinutes} {
			e.mustCreate(t, "/api/v1/work-hours", erik, hourDoc(acme, map[string]any{"workDate": "2026-11-20", "minutes": m}))
		}
		body := patchDoc("cases", acme, map[string]any{"version": e.version("cases", acme), "billingForecast": model.MaxMoney,
			"expenseForecast": model.MaxMoney, "expectedValue": model.MaxMoney}, nil)
		if r := e.do(call{method: "PATCH", path: "/api/v1/cases/" + acme, token: carl, body: body}); r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("the case list and the reports still answer", func(t *testing.T) { e.pagesStillWork(t, acme) })
}

// TestSumsSurviveRowsStoredBeforeTheBounds: rows written before the bounds existed may hold
// anything; the sums over them still answer (each row counts at most its bound).
func TestSumsSurviveRowsStoredBeforeTheBounds(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	acme := e.caseID("Acme strategy review")
	if _, err := e.db.NewUpdate().Model((*model.TravelReimbursement)(nil)).Set("amount = ?", int64(math.MaxInt64)).
		Set("case_id = ?", mustInt(acme)).Where("id > 0").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	e.pagesStillWork(t, acme)
	// A forecast shows as it is stored, outside the documented range, so only the account
	// report, which sums the forecasts, is asked for here.
	if _, err := e.db.NewUpdate().Model((*model.Case)(nil)).Set("billing_forecast = ?", int64(math.MaxInt64)).
		Set("expected_value = ?", int64(math.MaxInt64)).Where("id > 0").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if r := e.do(call{method: "GET", path: "/api/v1/reports/accounts", token: e.login("bea")}); r.Status != http.StatusOK {
		t.Fatalf("account report: status %d: %s", r.Status, r.Body)
	}
}

// TestDateRanges: PostgreSQL refuses year 0, which Go parses, so a date such as 0000-01-01
// in an hour, a claim or an activity, or in filter[workDate], used to be a 500 there (and
// was stored on SQLite). Dates and timestamps lie in model.MinDate..MaxDate
// (MinTime..MaxTime) on both databases; outside is a 400 naming the attribute or parameter.
func TestDateRanges(t *testing.T) {
	e := newEnv(t)
	erik, carl := e.login("erik"), e.login("carl")
	acme := e.caseID("Acme strategy review")
	hour := e.resolve("{hour:erik/Acme strategy review}")
	claim := e.resolve("{travel:erik}")
	for _, tc := range []struct {
		name       string
		c          call
		source     string
		documented bool
	}{
		{"hour in year 0", call{method: "POST", path: "/api/v1/work-hours", token: erik, body: hourDoc(acme, map[string]any{"workDate": "0000-01-01", "minutes": 60})},
			"/data/attributes/workDate", true},
		{"hour before 1900", call{method: "POST", path: "/api/v1/work-hours", token: erik, body: hourDoc(acme, map[string]any{"workDate": "1899-12-31", "minutes": 60})},
			"/data/attributes/workDate", true},
		{"hour moved to year 0", call{method: "PATCH", path: "/api/v1/work-hours/" + hour, token: erik,
			body: patchDoc("work-hours", hour, map[string]any{"version": e.version("work_hours", hour), "workDate": "0000-12-31"}, nil)},
			"/data/attributes/workDate", true},
		{"claim in year 0", call{method: "POST", path: "/api/v1/travel-reimbursements", token: erik,
			body: travelDoc(acme, map[string]any{"travelDate": "0000-01-01", "amount": 100})}, "/data/attributes/travelDate", true},
		{"claim moved to year 0", call{method: "PATCH", path: "/api/v1/travel-reimbursements/" + claim, token: erik,
			body: patchDoc("travel-reimbursements", claim, map[string]any{"version": e.version("travel_reimbursements", claim), "travelDate": "0000-01-01"}, nil)},
			"/data/attributes/travelDate", true},
		{"activity starting in year 0", call{method: "POST", path: "/api/v1/activities", token: erik,
			body: activityDoc("0000-01-01T09:00:00Z", "2026-11-25T10:00:00Z")}, "/data/attributes/startsAt", true},
		{"activity starting in 1900 locally but 1899 in UTC", call{method: "POST", path: "/api/v1/activities", token: erik,
			body: activityDoc("1900-01-01T00:30:00+01:00", "2026-11-25T10:00:00Z")}, "/data/attributes/startsAt", false},
		{"activity ending in year 0", call{method: "POST", path: "/api/v1/activities", token: erik,
			body: activityDoc("2026-11-25T09:00:00Z", "0000-01-01T10:00:00Z")}, "/data/attributes/endsAt", true},
		{"case starting in year 0", call{method: "PATCH", path: "/api/v1/cases/" + acme, token: carl,
			body: patchDoc("cases", acme, map[string]any{"version": e.version("cases", acme), "startsOn": "0000-01-01"}, nil)},
			"/data/attributes/startsOn", true},
		{"invoice due in year 0", call{method: "POST", path: "/api/v1/invoices", token: carl,
			body: map[string]any{"data": map[string]any{"type": "invoices", "attributes": map[string]any{"dueDate": "0000-01-01"},
				"relationships": map[string]any{"case": rel("cases", acme)}}}}, "/data/attributes/dueDate", true},
		{"filter[workDate] in year 0", call{method: "GET", path: "/api/v1/work-hours?filter[workDate]=0000-01-01", token: erik},
			"filter[workDate]", true},
		{"report from year 0", call{method: "GET", path: "/api/v1/reports/work-hours?filter[from]=0000-01-01", token: carl},
			"filter[from]", true},
		{"report to year 10000", call{method: "GET", path: "/api/v1/reports/work-hours?filter[to]=10000-01-01", token: carl},
			"filter[to]", true},
	} {
		t.Run(tc.name, func(t *testing.T) { e.refused(t, tc.c, tc.source, tc.documented) })
	}
	t.Run("the ends of the range are accepted and read back", func(t *testing.T) {
		for _, d := range []model.Date{model.MinDate, model.MaxDate} {
			e.mustCreate(t, "/api/v1/work-hours", erik, hourDoc(acme, map[string]any{"workDate": string(d), "minutes": 30}))
			e.mustCreate(t, "/api/v1/travel-reimbursements", erik, travelDoc(acme, map[string]any{"travelDate": string(d), "amount": 100}))
			r := e.do(call{method: "GET", path: "/api/v1/work-hours?filter[workDate]=" + string(d), token: erik})
			if r.Status != http.StatusOK || len(r.dataList()) != 1 {
				t.Fatalf("filter[workDate]=%s: status %d, %d rows: %s", d, r.Status, len(r.dataList()), r.Body)
			}
		}
		e.mustCreate(t, "/api/v1/activities", erik, activityDoc(model.MinTime.Format(time.RFC3339), "1900-01-01T01:00:00Z"))
		e.mustCreate(t, "/api/v1/activities", erik, activityDoc("9999-12-31T22:00:00Z", model.MaxTime.Format(time.RFC3339)))
		r := e.do(call{method: "GET", path: "/api/v1/reports/work-hours?filter[from]=" + string(model.MinDate) + "&filter[to]=" + string(model.MaxDate), token: carl})
		if r.Status != http.StatusOK {
			t.Fatalf("report: status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("the lists and reports still answer", func(t *testing.T) { e.pagesStillWork(t, acme) })
}
