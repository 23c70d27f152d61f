package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/model"
)

// TestIncludeNeverShowsWhatGetHides: carl sees lea's hours through the Users right (USR-2,
// ORG-2: lea is below him), including an hour on a case that carl cannot view (CASE-1). The
// hour is listed; the case must not be included.
func TestIncludeNeverShowsWhatGetHides(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	initech := e.caseID("Initech integration")
	var lea model.User
	if err := e.db.NewSelect().Model(&lea).Where("email = 'lea@northwind.example'").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	var cs model.Case
	if err := e.db.NewSelect().Model(&cs).Where("id = ?", initech).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.NewInsert().Model(&model.CaseMember{CaseID: cs.ID, UserID: lea.ID, CreatedAt: time.Now()}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	e.rightsChanged()
	h := &model.WorkHour{CaseID: cs.ID, UserID: lea.ID, WorkDate: "2026-11-20", Minutes: 60, Billable: true, UnitPrice: 9000,
		ApprovalStatus: "pending", Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if _, err := e.db.NewInsert().Model(h).Returning("id").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	carl := e.login("carl")
	if r := e.do(call{method: "GET", path: "/api/v1/cases/" + initech, token: carl}); r.Status != http.StatusNotFound {
		t.Fatalf("precondition: carl must not see Initech, got %d", r.Status)
	}
	r := e.do(call{method: "GET", path: "/api/v1/work-hours?filter[user]=" + e.userID("lea") + "&include=case,user", token: carl})
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	listed := false
	for _, res := range r.dataList() {
		listed = listed || res["id"] == itoa(h.ID)
	}
	if !listed {
		t.Fatalf("lea's hour on Initech is not listed for her manager: %s", r.Body)
	}
	inc, _ := r.Doc["included"].([]any)
	for _, i := range inc {
		res := i.(map[string]any)
		if res["type"] == "cases" && res["id"] == initech {
			t.Fatalf("include leaked a case carl cannot view: %v", res)
		}
	}
	if len(inc) == 0 {
		t.Fatalf("nothing included at all: %s", r.Body)
	}
	t.Run("included cases are masked like GET masks them", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/work-hours?include=case", token: e.login("kim")})
		inc, _ := r.Doc["included"].([]any)
		if len(inc) != 1 {
			t.Fatalf("included %d resources, want kim's one case", len(inc))
		}
		if _, leaked := inc[0].(map[string]any)["attributes"].(map[string]any)["revenue"]; leaked {
			t.Fatal("an included case shows revenue to a plain member")
		}
	})
}
