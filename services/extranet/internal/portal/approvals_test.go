package portal_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
)

// lastChange returns the newest change-history entry of a resource.
func (e *env) lastChange(resource string, id int64) model.ChangeRecord {
	e.t.Helper()
	var rec model.ChangeRecord
	err := e.db.NewSelect().Model(&rec).Where("resource_type = ?", resource).Where("resource_id = ?", id).
		OrderExpr("id DESC").Limit(1).Scan(context.Background())
	if err != nil {
		e.t.Fatalf("history of %s %d: %v", resource, id, err)
	}
	return rec
}

// rules EXT-2, EXT-6, EXT-7: a contact with the Approve right approves and rejects work
// hours; the change is saved at once in the columns the internal API reads, bumps the
// version, and is recorded in the change history as done by the contact.
func TestApproveWorkHours(t *testing.T) {
	e := newEnv(t)
	token := e.sharedWith(t)
	caseID, contact := e.caseID(strategy), e.contactID(aino)
	hourID := e.firstID("work_hours", caseID)
	path := "/portal/v1/work-hours/" + id(hourID)
	load := func() model.WorkHour {
		var h model.WorkHour
		if err := e.db.NewSelect().Model(&h).Where("id = ?", hourID).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		return h
	}
	before := load()

	t.Run("approve", func(t *testing.T) {
		r := e.do(call{method: "POST", path: path + "/approve", token: token}).must(t, http.StatusOK)
		if attrs(r.data())["approvalStatus"] != "approved" {
			t.Fatalf("answer %s", r.Body)
		}
		h := load()
		if h.ApprovalStatus != "approved" || h.ApprovedByContactID == nil || *h.ApprovedByContactID != contact ||
			h.ApprovedAt == nil || !h.ApprovedAt.Equal(e.clock.Now()) || h.Version != before.Version+1 {
			t.Fatalf("row %+v", h)
		}
		rec := e.lastChange("work-hours", hourID)
		if rec.ActorContactID == nil || *rec.ActorContactID != contact || rec.ActorUserID != nil || rec.CaseID == nil || *rec.CaseID != caseID {
			t.Fatalf("history %+v", rec)
		}
		var changes map[string]map[string]any
		if err := json.Unmarshal([]byte(rec.Changes), &changes); err != nil || changes["approvalStatus"]["after"] != "approved" {
			t.Fatalf("changes %s", rec.Changes)
		}
	})
	t.Run("approving again changes nothing", func(t *testing.T) {
		v := load().Version
		n := e.rowCount("change_history", "resource_type = 'work-hours'")
		e.do(call{method: "POST", path: path + "/approve", token: token}).must(t, http.StatusOK)
		if load().Version != v || e.rowCount("change_history", "resource_type = 'work-hours'") != n {
			t.Fatal("a repeated approval wrote something")
		}
	})
	t.Run("a rejection needs a comment", func(t *testing.T) {
		r := e.do(call{method: "POST", path: path + "/reject", token: token, lax: true}).must(t, http.StatusBadRequest)
		_ = r
		r = e.do(call{method: "POST", path: path + "/reject", token: token, body: decisionBody("   ")}).must(t, http.StatusBadRequest)
		src := r.Doc["errors"].([]any)[0].(map[string]any)["source"].(map[string]any)
		if src["pointer"] != "/data/attributes/comment" {
			t.Fatalf("pointer %v", src["pointer"])
		}
	})
	t.Run("an hour's approval takes no comment", func(t *testing.T) {
		r := e.do(call{method: "POST", path: path + "/approve", token: token, body: decisionBody("fine"), lax: true})
		if r.Status != http.StatusBadRequest || r.errorCode() != "unknown_attribute" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("reject with a reason", func(t *testing.T) {
		e.do(call{method: "POST", path: path + "/reject", token: token, body: decisionBody("Not ours")}).must(t, http.StatusOK)
		h := load()
		// Like an employee's decision in the internal API, a rejection records who decided.
		if h.ApprovalStatus != "rejected" || h.RejectComment != "Not ours" || h.ApprovedByContactID == nil || *h.ApprovedByContactID != contact {
			t.Fatalf("row %+v", h)
		}
		if rec := e.lastChange("work-hours", hourID); rec.ActorContactID == nil || *rec.ActorContactID != contact {
			t.Fatalf("history %+v", rec)
		}
	})
	t.Run("an old version in If-Match is a 412 and changes nothing", func(t *testing.T) {
		h := load()
		r := e.do(call{method: "POST", path: path + "/approve", token: token, header: map[string]string{"If-Match": `"1"`}})
		r.must(t, http.StatusPreconditionFailed)
		if load().ApprovalStatus != h.ApprovalStatus {
			t.Fatal("the stale approval was applied")
		}
		e.do(call{method: "POST", path: path + "/approve", token: token, header: map[string]string{"If-Match": id(h.Version)}}).
			must(t, http.StatusOK)
	})
}

// rules EXT-2, EXT-6, EXT-7: the same for phases, whose approval may carry a comment.
func TestApprovePhases(t *testing.T) {
	e := newEnv(t)
	token := e.sharedWith(t)
	caseID, contact := e.caseID(strategy), e.contactID(aino)
	phaseID := e.firstID("phases", caseID)
	path := "/portal/v1/phases/" + id(phaseID)
	load := func() model.Phase {
		var p model.Phase
		if err := e.db.NewSelect().Model(&p).Where("id = ?", phaseID).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		return p
	}
	v0 := load().Version
	e.do(call{method: "POST", path: path + "/reject", token: token, body: decisionBody("Scope is unclear")}).must(t, http.StatusOK)
	if p := load(); p.ApprovalStatus != "rejected" || p.ApprovalComment != "Scope is unclear" || p.Version != v0+1 {
		t.Fatalf("after reject %+v", p)
	}
	r := e.do(call{method: "POST", path: path + "/approve", token: token, body: decisionBody("Clear now")}).must(t, http.StatusOK)
	if a := attrs(r.data()); a["approvalStatus"] != "approved" || a["approvalComment"] != "Clear now" {
		t.Fatalf("answer %s", r.Body)
	}
	p := load()
	if p.ApprovedByContactID == nil || *p.ApprovedByContactID != contact || p.Version != v0+2 {
		t.Fatalf("after approve %+v", p)
	}
	if rec := e.lastChange("phases", phaseID); rec.ActorContactID == nil || *rec.ActorContactID != contact {
		t.Fatalf("history %+v", rec)
	}
	t.Run("GET shows the decision", func(t *testing.T) {
		r := e.do(call{method: "GET", path: path, token: token}).must(t, http.StatusOK)
		if attrs(r.data())["approvedAt"] == nil {
			t.Fatalf("approvedAt missing: %s", r.Body)
		}
	})
}

// rules EXT-6, EXT-7: a contact with the change-status right sets the case status, with
// optimistic concurrency like the internal API's.
func TestChangeCaseStatus(t *testing.T) {
	e := newEnv(t)
	token := e.sharedWith(t)
	caseID := e.caseID(strategy)
	path := "/portal/v1/cases/" + id(caseID)
	t.Run("without a version it is a 412", func(t *testing.T) {
		e.do(call{method: "PATCH", path: path, token: token, body: map[string]any{"data": map[string]any{
			"type": "cases", "id": id(caseID), "attributes": map[string]any{"status": "closed"}}}}).must(t, http.StatusPreconditionFailed)
	})
	t.Run("a bad status is a 400", func(t *testing.T) {
		e.do(call{method: "PATCH", path: path, token: token, body: statusBody(caseID, "done", 1), lax: true}).must(t, http.StatusBadRequest)
	})
	t.Run("it changes and is recorded", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: path, token: token, body: statusBody(caseID, "on_hold", 1)}).must(t, http.StatusOK)
		if a := attrs(r.data()); a["status"] != "on_hold" || a["version"] != float64(2) || r.Header.Get("ETag") != `"2"` {
			t.Fatalf("answer %s, ETag %s", r.Body, r.Header.Get("ETag"))
		}
		if rec := e.lastChange("cases", caseID); rec.ActorContactID == nil || *rec.ActorContactID != e.contactID(aino) {
			t.Fatalf("history %+v", rec)
		}
	})
	t.Run("the old version is now a 412", func(t *testing.T) {
		e.do(call{method: "PATCH", path: path, token: token, body: statusBody(caseID, "closed", 1)}).must(t, http.StatusPreconditionFailed)
	})
	t.Run("If-Match works as well", func(t *testing.T) {
		e.do(call{method: "PATCH", path: path, token: token, header: map[string]string{"If-Match": `W/"2"`}, body: map[string]any{
			"data": map[string]any{"type": "cases", "id": id(caseID), "attributes": map[string]any{"status": "closed"}}}}).must(t, http.StatusOK)
	})
}
