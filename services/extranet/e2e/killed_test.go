package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/model"
)

// TestKilledMidInvoiceAllOrNothing: a replica killed with SIGKILL while it invoices 500 hours
// leaves all of the invoice or none of it: either one new invoice whose rows are exactly the
// hours it marked, or no new invoice and every hour still uninvoiced. Several kills at
// different moments; each outcome is consistent.
func TestKilledMidInvoiceAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinaries(t, dir)
	dbURL := database(t, dir)
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "CASEROOM_API_JWT_SECRET="+randomHex(24),
		"CASEROOM_EXTRANET_JWT_SECRET="+randomHex(24), "CASEROOM_ENV=production", "CASEROOM_PORTAL_URL=https://portal.test")
	demo := exec.Command(filepath.Join(bin, "caseroom-api"), "demo")
	demo.Env = env
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("caseroom-api demo: %v\n%s", err, out)
	}
	d, err := db.OpenMaintenance(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx := context.Background()
	var cs model.Case
	if err := d.NewSelect().Model(&cs).Where("name = ?", caseName).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	outcomes := map[string]int{}
	for round, wait := range []time.Duration{0, 10 * time.Millisecond, 50 * time.Millisecond, 150 * time.Millisecond, 400 * time.Millisecond, 3 * time.Second} {
		addHours(t, d, cs, 500, round)
		addr := freeAddr(t)
		api := startProcess(t, dir, filepath.Join(bin, "caseroom-api"), append(env[:len(env):len(env)], "CASEROOM_API_ADDR="+addr))
		if err := waitReady("http://"+addr+"/readyz", api); err != nil {
			t.Fatal(err)
		}
		token := internalLogin(t, &stack{apiURL: "http://" + addr}, "carl@northwind.example")
		invoicesBefore := count(t, d, "invoices", "case_id = ?", cs.ID)
		body := fmt.Sprintf(`{"data":{"type":"invoices","relationships":{"case":{"data":{"type":"cases","id":"%d"}}}}}`, cs.ID)
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/invoices", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/vnd.api+json")
		req.Header.Set("Authorization", "Bearer "+token)
		go func() {
			if resp, err := http.DefaultClient.Do(req); err == nil { // the kill usually cuts it off
				resp.Body.Close()
			}
		}()
		time.Sleep(wait)
		if err := api.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-api.done
		invoices := count(t, d, "invoices", "case_id = ?", cs.ID) - invoicesBefore
		uninvoiced := count(t, d, "work_hours", "case_id = ? AND billable AND invoice_id IS NULL", cs.ID)
		switch {
		case invoices == 0 && uninvoiced >= 500:
			outcomes["none"]++
		case invoices == 1 && uninvoiced == 0:
			var newest model.Invoice
			if err := d.NewSelect().Model(&newest).Where("case_id = ?", cs.ID).OrderExpr("id DESC").Limit(1).Scan(ctx); err != nil {
				t.Fatal(err)
			}
			rows := count(t, d, "invoice_rows", "invoice_id = ?", newest.ID)
			marked := count(t, d, "work_hours", "invoice_id = ?", newest.ID)
			if rows != marked || rows < 500 {
				t.Fatalf("round %d: the invoice has %d rows for %d hours marked", round, rows, marked)
			}
			outcomes["all"]++
		default:
			t.Fatalf("round %d: half an invoice: %d new invoices, %d billable hours uninvoiced", round, invoices, uninvoiced)
		}
	}
	t.Logf("after SIGKILL mid-invoice: %v", outcomes)
}

// addHours adds n uninvoiced billable hours to the case, entered by its owner.
func addHours(t *testing.T, d *bun.DB, cs model.Case, n, round int) {
	t.Helper()
	now := time.Now().UTC()
	hours := make([]model.WorkHour, n)
	for i := range hours {
		hours[i] = model.WorkHour{CaseID: cs.ID, UserID: cs.OwnerID, WorkDate: model.DateOf(now.AddDate(0, 0, -i%300)),
			Minutes: 30, Description: fmt.Sprintf("Round %d, entry %d", round, i), Billable: true, UnitPrice: 10000,
			ApprovalStatus: "pending", Version: 1, CreatedAt: now, UpdatedAt: now}
	}
	if _, err := d.NewInsert().Model(&hours).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// count counts the rows of table that match where.
func count(t *testing.T, d *bun.DB, table, where string, args ...any) int {
	t.Helper()
	n, err := d.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
