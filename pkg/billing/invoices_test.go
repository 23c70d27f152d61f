package billing_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

func ptr[T any](v T) *T { return &v }

// rules INV-1, CASE-4, CASE-9 and STYLE rule 2: the list holds exactly the invoices that the
// single-object read lets each employee view.
func TestInvoiceListIsTheSingleObjectRule(t *testing.T) {
	f := setup(t)
	var all []int64
	if err := f.db.NewSelect().Table("invoices").Column("id").Scan(f.ctx, &all); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"ada", "bea", "carl", "dina", "erik", "hana", "lea"} {
		t.Run(key, func(t *testing.T) {
			a := f.employee(key)
			var listed []int64
			for _, inv := range page(t, f.billing.InvoiceList(a)) {
				listed = append(listed, inv.ID)
			}
			var viewable []int64
			for _, id := range all {
				if _, err := f.billing.Invoice(f.ctx, a, id); err == nil {
					viewable = append(viewable, id)
				} else {
					wantErr(t, err, apperr.ErrNotFound)
				}
			}
			slices.Sort(listed)
			if !slices.Equal(listed, viewable) {
				t.Fatalf("listed %v, viewable %v", listed, viewable)
			}
			batch := must(f.billing.InvoicesByID(f.ctx, a, all))(t)
			if len(batch) != len(viewable) {
				t.Fatalf("InvoicesByID gives %d invoices, want %d", len(batch), len(viewable))
			}
		})
	}
	t.Run("rule CASE-9: carl's own case and his subordinate's", func(t *testing.T) {
		want := []int64{f.invoiceOf("Acme strategy review"), f.invoiceOf("Globex pricing study")}
		var got []int64
		for _, inv := range page(t, f.billing.InvoiceList(f.employee("carl"))) {
			got = append(got, inv.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("carl lists %v, want %v", got, want)
		}
	})
}

// rules INV-1, CASE-5, CASE-7: a plain member does not see the case's invoices; without
// financials the owner sees them without amounts; manager_no_financials does not see them.
func TestInvoiceVisibility(t *testing.T) {
	f := setup(t)
	globex := f.invoiceOf("Globex pricing study")
	erik := f.employee("erik")
	withCases := func(a domain.Actor, level rights.CasesLevel) domain.Actor {
		s := *a.Subject
		s.Rights.Cases = level
		a.Subject = &s
		return a
	}
	t.Run("rule CASE-4: the owner sees the amounts", func(t *testing.T) {
		inv := must(f.billing.Invoice(f.ctx, erik, globex))(t)
		if inv.Decision.Hidden.Hides("total") || inv.StatusName != "Draft" || inv.StatusPos != 0 {
			t.Fatalf("invoice %+v", inv)
		}
	})
	t.Run("rule INV-1: a plain member meets a missing invoice", func(t *testing.T) {
		_, err := f.billing.Invoice(f.ctx, f.employee("lea"), globex)
		wantErr(t, err, apperr.ErrNotFound)
	})
	t.Run("rule CASE-5: member_no_financials sees no total", func(t *testing.T) {
		inv := must(f.billing.Invoice(f.ctx, withCases(erik, rights.CasesMemberNoFinancials), globex))(t)
		if !inv.Decision.Hidden.Hides("total") {
			t.Fatalf("total shown: %+v", inv.Decision)
		}
	})
	t.Run("rule CASE-7: manager_no_financials meets a missing invoice", func(t *testing.T) {
		_, err := f.billing.Invoice(f.ctx, withCases(erik, rights.CasesManagerNoFinancials), globex)
		wantErr(t, err, apperr.ErrNotFound)
	})
	t.Run("a missing invoice", func(t *testing.T) {
		_, err := f.billing.Invoice(f.ctx, erik, 999999)
		wantErr(t, err, apperr.ErrNotFound)
	})
}

func TestCreateInvoice(t *testing.T) {
	f := setup(t)
	carl := f.employee("carl")
	acme, globex := f.caseID("Acme strategy review"), f.caseID("Globex pricing study")
	for _, tc := range []struct {
		name string
		who  string
		in   billing.InvoiceInput
		want error
	}{
		{"no case", "carl", billing.InvoiceInput{}, apperr.ErrInvalid},
		{"rule INV-1: a case the employee cannot see", "lea", billing.InvoiceInput{CaseID: &acme}, apperr.ErrNotFound},
		{"rule INV-1: a member who is not owner-like", "erik", billing.InvoiceInput{CaseID: &acme}, apperr.ErrForbidden},
		{"rule INV-3: a status beyond the limit", "carl", billing.InvoiceInput{CaseID: &globex, StatusID: ptr(f.statusID("Paid"))}, apperr.ErrForbidden},
		{"an unknown status", "carl", billing.InvoiceInput{CaseID: &globex, StatusID: ptr(int64(999))}, apperr.ErrInvalid},
		{"a malformed date", "carl", billing.InvoiceInput{CaseID: &globex, IssueDate: ptr("2026-13-45")}, apperr.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.billing.CreateInvoice(f.ctx, f.employee(tc.who), tc.in)
			wantErr(t, err, tc.want)
		})
	}
	if n := f.count("invoices", "1 = 1"); n != 4 {
		t.Fatalf("%d invoices after refused creations, want the demo's 4", n)
	}

	t.Run("rule WHA-8: bills every billable hour not invoiced, approved or not", func(t *testing.T) {
		var want int64
		var hours []model.WorkHour
		if err := f.db.NewSelect().Model(&hours).Where("case_id = ? AND billable AND invoice_id IS NULL", acme).Scan(f.ctx); err != nil {
			t.Fatal(err)
		}
		for _, h := range hours {
			want += h.Price()
		}
		inv := must(f.billing.CreateInvoice(f.ctx, carl, billing.InvoiceInput{CaseID: &acme, DueDate: ptr("2026-12-31")}))(t)
		if inv.Total != want || inv.StatusName != "Draft" || inv.DueDate != "2026-12-31" || inv.Number != fmt.Sprintf("2026-%05d", inv.ID) {
			t.Fatalf("invoice %+v, want total %d in Draft due 2026-12-31", inv.Invoice, want)
		}
		if n := f.count("work_hours", "invoice_id = ? AND version = 2", inv.ID); n != len(hours) {
			t.Fatalf("%d hours billed, want %d", n, len(hours))
		}
		if n := f.count("change_history", "resource_type = 'work-hours' AND case_id = ?", acme); n != len(hours) {
			t.Fatalf("%d hour history entries, want %d", n, len(hours))
		}
	})
	t.Run("nothing left to bill", func(t *testing.T) {
		_, err := f.billing.CreateInvoice(f.ctx, carl, billing.InvoiceInput{CaseID: &acme})
		wantErr(t, err, errUnprocessable)
	})
	t.Run("rule INV-3: a status within the limit", func(t *testing.T) {
		inv := must(f.billing.CreateInvoice(f.ctx, carl, billing.InvoiceInput{CaseID: &globex, StatusID: ptr(f.statusID("Sent"))}))(t)
		if inv.StatusName != "Sent" || inv.StatusPos != 1 {
			t.Fatalf("invoice in %q at %d, want Sent at 1", inv.StatusName, inv.StatusPos)
		}
	})
}

func TestUpdateInvoice(t *testing.T) {
	f := setup(t)
	carl, ada := f.employee("carl"), f.employee("ada")
	id := f.invoiceOf("Acme strategy review")
	sent, paid := f.statusID("Sent"), f.statusID("Paid")

	t.Run("rule INV-3: moves within the limit", func(t *testing.T) {
		inv := must(f.billing.UpdateInvoice(f.ctx, carl, id, billing.InvoiceInput{StatusID: &sent}, domain.Version(1)))(t)
		if inv.StatusName != "Sent" || inv.StatusID != sent || inv.Version != 2 {
			t.Fatalf("invoice %+v", inv.Invoice)
		}
	})
	t.Run("rule INV-3: never beyond it", func(t *testing.T) {
		_, err := f.billing.UpdateInvoice(f.ctx, carl, id, billing.InvoiceInput{StatusID: &paid}, domain.Version(2))
		wantErr(t, err, apperr.ErrForbidden)
	})
	t.Run("a malformed date changes nothing", func(t *testing.T) {
		_, err := f.billing.UpdateInvoice(f.ctx, carl, id, billing.InvoiceInput{DueDate: ptr("soon")}, domain.Version(2))
		wantErr(t, err, apperr.ErrInvalid)
	})
	t.Run("a stale version", func(t *testing.T) {
		_, err := f.billing.UpdateInvoice(f.ctx, ada, id, billing.InvoiceInput{StatusID: &paid}, domain.Version(1))
		wantErr(t, err, apperr.ErrStale)
	})
	t.Run("rule INV-2: any status", func(t *testing.T) {
		must(f.billing.UpdateInvoice(f.ctx, ada, id, billing.InvoiceInput{StatusID: &paid}, domain.Version(2)))(t)
	})
	t.Run("rule INV-4: beyond the limit, viewed but not edited", func(t *testing.T) {
		must(f.billing.Invoice(f.ctx, carl, id))(t)
		_, err := f.billing.UpdateInvoice(f.ctx, carl, id, billing.InvoiceInput{DueDate: ptr("2027-01-31")}, domain.Version(3))
		wantErr(t, err, apperr.ErrForbidden)
	})
	t.Run("STYLE rule 3: an invisible invoice is missing whatever the body", func(t *testing.T) {
		_, err := f.billing.UpdateInvoice(f.ctx, f.employee("lea"), id, billing.InvoiceInput{},
			domain.Expect{Err: apperr.E(apperr.Invalid, "bad body")})
		wantErr(t, err, apperr.ErrNotFound)
	})
	if n := f.count("invoices", "id = ? AND version = 3 AND status_id = ?", id, paid); n != 1 {
		t.Fatal("the invoice is not at version 3 in Paid")
	}
}

// The invoiced-hour rule: an invoiced hour's approval is frozen (work.ErrInvoicedHour) until
// a credit note frees it (WHA-8).
func TestCreditInvoiceFreesItsHours(t *testing.T) {
	f := setup(t)
	carl := f.employee("carl")
	id := f.invoiceOf("Acme strategy review")
	var hourID int64
	if err := f.db.NewSelect().Table("work_hours").Column("id").Where("invoice_id = ? AND user_id = ?", id, f.employee("erik").User.ID).
		Limit(1).Scan(f.ctx, &hourID); err != nil {
		t.Fatal(err)
	}
	_, err := f.work.DecideHour(f.ctx, carl, hourID, false, "wrong day", domain.AnyVersion)
	wantErr(t, err, apperr.ErrConflict)

	credit := must(f.billing.CreditInvoice(f.ctx, carl, id))(t)
	inv := must(f.billing.Invoice(f.ctx, carl, id))(t)
	if credit.CreditOfID == nil || *credit.CreditOfID != id || credit.Total != -inv.Total || credit.Total >= 0 {
		t.Fatalf("credit note %+v of invoice total %d", credit.Invoice, inv.Total)
	}
	if n := f.count("work_hours", "invoice_id = ?", id); n != 0 {
		t.Fatalf("%d hours still on the credited invoice", n)
	}
	must(f.work.DecideHour(f.ctx, carl, hourID, false, "wrong day", domain.AnyVersion))(t)

	for _, tc := range []struct {
		name string
		who  string
		id   int64
		want error
	}{
		{"credited already", "carl", id, apperr.ErrConflict},
		{"a credit note", "carl", credit.ID, apperr.ErrConflict},
		{"rule INV-1: without invoice access", "erik", id, apperr.ErrNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.billing.CreditInvoice(f.ctx, f.employee(tc.who), tc.id)
			wantErr(t, err, tc.want)
		})
	}
	t.Run("rule INV-4: beyond the limit", func(t *testing.T) {
		sent := f.invoiceOf("Acme platform migration")
		must(f.billing.UpdateInvoice(f.ctx, f.employee("ada"), sent, billing.InvoiceInput{StatusID: ptr(f.statusID("Paid"))}, domain.AnyVersion))(t)
		_, err := f.billing.CreditInvoice(f.ctx, f.employee("hana"), sent)
		wantErr(t, err, apperr.ErrForbidden)
	})
}

func TestDeleteInvoice(t *testing.T) {
	f := setup(t)
	t.Run("a draft: its hours can be billed again", func(t *testing.T) {
		id := f.invoiceOf("Globex pricing study")
		if err := f.billing.DeleteInvoice(f.ctx, f.employee("carl"), id); err != nil {
			t.Fatal(err)
		}
		if f.count("invoices", "id = ?", id) != 0 || f.count("work_hours", "invoice_id = ?", id) != 0 {
			t.Fatal("the invoice or its hours stayed")
		}
	})
	t.Run("a sent invoice stays", func(t *testing.T) {
		err := f.billing.DeleteInvoice(f.ctx, f.employee("dina"), f.invoiceOf("Initech integration"))
		wantErr(t, err, apperr.ErrConflict)
	})
	t.Run("a credited draft stays", func(t *testing.T) {
		id := f.invoiceOf("Acme strategy review")
		must(f.billing.CreditInvoice(f.ctx, f.employee("carl"), id))(t)
		wantErr(t, f.billing.DeleteInvoice(f.ctx, f.employee("carl"), id), apperr.ErrConflict)
	})
	t.Run("rule INV-1: without invoice access", func(t *testing.T) {
		wantErr(t, f.billing.DeleteInvoice(f.ctx, f.employee("lea"), f.invoiceOf("Acme platform migration")), apperr.ErrNotFound)
	})
}

func TestRemindInvoice(t *testing.T) {
	f := setup(t)
	id := f.invoiceOf("Initech integration")
	dina := f.employee("dina")
	for want := 1; want <= 2; want++ {
		inv := must(f.billing.RemindInvoice(f.ctx, dina, id))(t)
		if inv.ReminderCount != want || inv.Version != int64(want+1) {
			t.Fatalf("reminder %d: count %d at version %d", want, inv.ReminderCount, inv.Version)
		}
	}
	if n := f.count("change_history", "resource_type = 'invoices' AND resource_id = ?", id); n != 2 {
		t.Fatalf("%d history entries, want 2", n)
	}
	t.Run("rule INV-4: beyond the limit", func(t *testing.T) {
		must(f.billing.UpdateInvoice(f.ctx, f.employee("ada"), id, billing.InvoiceInput{StatusID: ptr(f.statusID("Paid"))}, domain.AnyVersion))(t)
		_, err := f.billing.RemindInvoice(f.ctx, dina, id)
		wantErr(t, err, apperr.ErrForbidden)
	})
	t.Run("rule INV-1: without invoice access", func(t *testing.T) {
		_, err := f.billing.RemindInvoice(f.ctx, f.employee("erik"), id)
		wantErr(t, err, apperr.ErrNotFound)
	})
}

// rules EXT-3, EXT-8: a contact sees the invoices past draft of a case shared with the
// Financials section, and nothing of any other.
func TestCaseInvoicesForContacts(t *testing.T) {
	f := setup(t)
	var aino model.Contact
	if err := f.db.NewSelect().Model(&aino).Where("email = ?", "aino.virtanen@acme.example").Scan(f.ctx); err != nil {
		t.Fatal(err)
	}
	contact := domain.PortalContact(domain.Contact{ID: aino.ID, AccountID: aino.AccountID, Name: aino.FirstName, Email: aino.Email})
	share := func(caseName string, financials bool) int64 {
		id := f.caseID(caseName)
		s := &model.ExtranetShare{CaseID: id, ShowFinancials: financials, ShowOther: true, CreatedByUserID: f.employee("ada").User.ID,
			Version: 1, CreatedAt: testNow, UpdatedAt: testNow}
		if _, err := f.db.NewInsert().Model(s).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.NewInsert().Model(&model.ShareContact{ShareID: s.ID, ContactID: aino.ID, InvitedAt: testNow}).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		return id
	}
	sent, draft, hidden := share("Acme platform migration", true), share("Acme strategy review", true), f.caseID("Globex pricing study")
	window := domain.Window{Limit: 10}

	t.Run("past draft", func(t *testing.T) {
		rows, n, err := f.billing.CaseInvoices(f.ctx, contact, sent, window)
		if err != nil || n != 1 || len(rows) != 1 || rows[0].StatusName != "Sent" || !rows[0].Grant.ShowFinancials {
			t.Fatalf("%d of %d invoices (%v): %+v", len(rows), n, err, rows)
		}
	})
	t.Run("a draft is the firm's", func(t *testing.T) {
		rows, n, err := f.billing.CaseInvoices(f.ctx, contact, draft, window)
		if err != nil || n != 0 || len(rows) != 0 {
			t.Fatalf("%d of %d invoices (%v)", len(rows), n, err)
		}
	})
	t.Run("rule EXT-8: a case of another account", func(t *testing.T) {
		_, _, err := f.billing.CaseInvoices(f.ctx, contact, hidden, window)
		wantErr(t, err, apperr.ErrNotFound)
	})
	t.Run("an employee has the invoice list", func(t *testing.T) {
		_, _, err := f.billing.CaseInvoices(f.ctx, f.employee("ada"), sent, window)
		wantErr(t, err, apperr.ErrNotFound)
	})
	t.Run("rule EXT-3: without the Financials section", func(t *testing.T) {
		if _, err := f.db.NewUpdate().Table("extranet_shares").Set("show_financials = ?", false).Where("case_id = ?", sent).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		_, _, err := f.billing.CaseInvoices(f.ctx, contact, sent, window)
		wantErr(t, err, apperr.ErrNotFound)
	})
}

func TestExplainInvoice(t *testing.T) {
	f := setup(t)
	id := f.invoiceOf("Acme strategy review")
	if d := must(f.billing.ExplainInvoice(f.ctx, f.employee("carl").Subject, id, "credit"))(t); !d.Allow {
		t.Fatalf("rule INV-3: carl may not credit his draft: %v", d)
	}
	if d := must(f.billing.ExplainInvoice(f.ctx, f.employee("lea").Subject, id, "view"))(t); d.Allow {
		t.Fatal("rule INV-1: lea may view carl's invoice")
	}
	_, err := f.billing.ExplainInvoice(f.ctx, f.employee("carl").Subject, id, "fly")
	wantErr(t, err, apperr.ErrInvalid)
	_, err = f.billing.ExplainInvoice(f.ctx, f.employee("carl").Subject, 999999, "view")
	wantErr(t, err, apperr.ErrNotFound)
}
