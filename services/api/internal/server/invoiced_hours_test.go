package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
)

// TestInvoicedHourApprovalFrozen: approval never gates billing (WHA-8), so the approval of an
// invoiced hour is frozen for everyone (work.Service.DecideHour, which the portal calls too)
// until a credit note frees it: then the firm may decide it again.
func TestInvoicedHourApprovalFrozen(t *testing.T) {
	e := newEnv(t)
	carl := e.login("carl")
	ctx := context.Background()
	var h model.WorkHour
	if err := e.db.NewSelect().Model(&h).Where("case_id = ? AND user_id = ? AND invoice_id IS NOT NULL", e.caseID("Acme strategy review"), e.userID("erik")).
		OrderExpr("id").Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/work-hours/" + strconv.FormatInt(h.ID, 10)
	reject := call{method: "POST", path: path + "/reject", token: carl,
		body: map[string]any{"data": map[string]any{"type": "approval-decisions", "attributes": map[string]any{"comment": "Not billable after all"}}}}

	if r := e.do(reject); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "credit note") {
		t.Fatalf("reject an invoiced hour: %d %s", r.Status, r.Body)
	}
	if v := e.version("work_hours", strconv.FormatInt(h.ID, 10)); v != h.Version {
		t.Fatalf("the refused rejection moved the version %d → %d", h.Version, v)
	}
	invoice := strconv.FormatInt(*h.InvoiceID, 10)
	if r := e.do(call{method: "POST", path: "/api/v1/invoices/" + invoice + "/credit", token: carl}); r.Status != http.StatusCreated {
		t.Fatalf("credit: %d %s", r.Status, r.Body)
	}
	r := e.do(reject)
	if r.Status != http.StatusOK {
		t.Fatalf("reject after the credit note: %d %s", r.Status, r.Body)
	}
	if got := r.Doc["data"].(map[string]any)["attributes"].(map[string]any)["approvalStatus"]; got != "rejected" {
		t.Fatalf("approvalStatus %v", got)
	}
}
