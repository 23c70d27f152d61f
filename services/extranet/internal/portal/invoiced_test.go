package portal_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
)

// TestInvoicedHourApprovalFrozen: approval never gates billing (WHA-8), so the approval of an
// invoiced hour is frozen for everyone, a contact in the portal as much as an employee in the
// API (work.Service.DecideHour decides for both), until a credit note frees it. The refusal
// is a 409 with a JSON:API error, and the hour stays as it was.
func TestInvoicedHourApprovalFrozen(t *testing.T) {
	e := newEnv(t)
	token := e.sharedWith(t)
	ctx := context.Background()
	var h model.WorkHour
	if err := e.db.NewSelect().Model(&h).Where("case_id = ? AND invoice_id IS NOT NULL", e.caseID(strategy)).
		OrderExpr("id").Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	path := "/portal/v1/work-hours/" + id(h.ID)
	reject := call{method: "POST", path: path + "/reject", token: token,
		body: map[string]any{"data": map[string]any{"type": "decisions", "attributes": map[string]any{"comment": "Not ours"}}}}

	r := e.do(reject).must(t, http.StatusConflict)
	if !strings.Contains(string(r.Body), "credit note") {
		t.Fatalf("the refusal does not say what frees the hour: %s", r.Body)
	}
	var after model.WorkHour
	if err := e.db.NewSelect().Model(&after).Where("id = ?", h.ID).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if after.ApprovalStatus != h.ApprovalStatus || after.Version != h.Version {
		t.Fatalf("the refused rejection changed the hour: %+v", after)
	}

	// A credit note frees the hours of the invoice (the API's POST /invoices/{id}/credit).
	if _, err := e.db.NewUpdate().Model((*model.WorkHour)(nil)).Set("invoice_id = NULL").Where("id = ?", h.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if got := attrs(e.do(reject).must(t, http.StatusOK).data())["approvalStatus"]; got != "rejected" {
		t.Fatalf("approvalStatus %v after the credit note", got)
	}
}
