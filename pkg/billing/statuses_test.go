package billing_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/domain"
)

func (f *fixture) epoch() int64 {
	f.t.Helper()
	return must(access.Epoch(f.ctx, f.db))(f.t)
}

func TestStatusList(t *testing.T) {
	f := setup(t)
	rows := page(t, f.billing.StatusList(f.employee("lea")))
	if len(rows) != 3 || rows[0].Name != "Draft" {
		t.Fatalf("statuses %+v, want Draft, Sent, Paid", rows)
	}
	ids := []int64{rows[0].ID, rows[2].ID, 999}
	if got := must(f.billing.StatusesByID(f.ctx, f.employee("lea"), ids))(t); len(got) != 2 {
		t.Fatalf("StatusesByID gives %d statuses, want 2", len(got))
	}
}

// rule ADM-2: the invoice statuses are settings; every change moves the rights epoch, since
// invoice limits are places in the list (PRF-6).
func TestCreateStatus(t *testing.T) {
	f := setup(t)
	ada := f.employee("ada")
	name := func(s string) billing.StatusInput { return billing.StatusInput{Name: &s} }
	for _, tc := range []struct {
		name string
		who  string
		in   billing.StatusInput
		want error
	}{
		{"rule ADM-2: without edit_settings", "bea", name("Overdue"), apperr.ErrForbidden},
		{"no name", "ada", billing.StatusInput{}, apperr.ErrInvalid},
		{"a blank name", "ada", name("  "), apperr.ErrInvalid},
		{"a name taken", "ada", name("Sent"), apperr.ErrConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.epoch()
			_, err := f.billing.CreateStatus(f.ctx, f.employee(tc.who), tc.in)
			wantErr(t, err, tc.want)
			if f.epoch() != before {
				t.Fatal("a refused creation moved the rights epoch")
			}
		})
	}
	before := f.epoch()
	st := must(f.billing.CreateStatus(f.ctx, ada, name(" Overdue ")))(t)
	if st.Name != "Overdue" || st.Position != 4 || !st.Active || st.Version != 1 {
		t.Fatalf("status %+v, want active Overdue at the end", st.InvoiceStatus)
	}
	if f.epoch() != before+1 {
		t.Fatal("the rights epoch did not move")
	}
}

func TestUpdateStatus(t *testing.T) {
	f := setup(t)
	ada := f.employee("ada")
	paid := f.statusID("Paid")
	no := false
	name := func(s string) *string { return &s }
	for _, tc := range []struct {
		name string
		who  string
		id   int64
		in   billing.StatusInput
		x    domain.Expect
		want error
	}{
		{"rule ADM-2: without edit_settings", "carl", paid, billing.StatusInput{Active: &no}, domain.Version(1), apperr.ErrForbidden},
		{"a missing status", "ada", 999, billing.StatusInput{Active: &no}, domain.Version(1), apperr.ErrNotFound},
		{"a stale version", "ada", paid, billing.StatusInput{Active: &no}, domain.Version(7), apperr.ErrStale},
		{"a blank name", "ada", paid, billing.StatusInput{Name: name(" ")}, domain.Version(1), apperr.ErrInvalid},
		{"a name taken", "ada", paid, billing.StatusInput{Name: name("Sent")}, domain.Version(1), apperr.ErrConflict},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := f.epoch()
			_, err := f.billing.UpdateStatus(f.ctx, f.employee(tc.who), tc.id, tc.in, tc.x)
			wantErr(t, err, tc.want)
			if f.epoch() != before {
				t.Fatal("a refused change moved the rights epoch")
			}
		})
	}
	before := f.epoch()
	st := must(f.billing.UpdateStatus(f.ctx, ada, paid, billing.StatusInput{Name: name("Settled"), Active: &no}, domain.Version(1)))(t)
	if st.Name != "Settled" || st.Active || st.Version != 2 {
		t.Fatalf("status %+v", st.InvoiceStatus)
	}
	if f.epoch() != before+1 || f.count("change_history", "resource_type = 'invoice-statuses' AND resource_id = ?", paid) != 1 {
		t.Fatal("the change moved no epoch or wrote no history")
	}
	t.Run("an inactive status takes no invoice", func(t *testing.T) {
		globex := f.caseID("Globex pricing study")
		_, err := f.billing.CreateInvoice(f.ctx, ada, billing.InvoiceInput{CaseID: &globex, StatusID: &paid})
		wantErr(t, err, errUnprocessable)
	})
}
