package rights

import (
	"errors"
	"testing"
)

func TestEffective(t *testing.T) {
	employee := DefaultProfiles()[3].Rights
	tests := []struct {
		name      string
		overrides map[string]string
		check     func(Rights) bool
		err       error
	}{
		{"ORG-5 no overrides is the profile", nil, func(r Rights) bool { return r == employee }, nil},
		{"ORG-5 a level override replaces that right only", map[string]string{ColCases: "manager"},
			func(r Rights) bool {
				return r.Cases == CasesManager && with(r, func(x *Rights) { x.Cases = employee.Cases }) == employee
			}, nil},
		{"ORG-5 PRF-5 an override may lower a right", map[string]string{ColAccounts: "none"},
			func(r Rights) bool { return r.Accounts == AccountsNone }, nil},
		{"ORG-5 flag override", map[string]string{ColDeleteCases: "yes", ColSharing: "yes"},
			func(r Rights) bool { return r.DeleteCases && r.Sharing }, nil},
		{"ORG-5 invoice status override resolves the status id", map[string]string{ColInvoiceStatus: "up_to:13"},
			func(r Rights) bool { return r.Invoice == InvoiceLimit{UpTo: posPaid} }, nil},
		{"ORG-5 invoice status any", map[string]string{ColInvoiceStatus: "any"},
			func(r Rights) bool { return r.Invoice.Any }, nil},
		{"ORG-5 unknown right is an error", map[string]string{"superpowers": "all"}, nil, ErrUnknownRight},
		{"ORG-5 bad level is an error", map[string]string{ColCases: "boss"}, nil, ErrInvalidValue},
		{"ORG-5 unknown status is an error", map[string]string{ColInvoiceStatus: "up_to:99"}, nil, ErrUnknownStatus},
		{"ORG-5 malformed status is an error", map[string]string{ColInvoiceStatus: "up_to:Sent"}, nil, ErrInvalidValue},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Effective(employee, tc.overrides, defaultStatuses)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || !tc.check(got) {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
	}
}

func TestParseProfile(t *testing.T) {
	values, err := AdministratorRights().Values(defaultStatuses)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("stored text of the Administrator", func(t *testing.T) {
		want := map[string]string{
			"accounts": "all", "delete_accounts": "yes", "cases": "all", "delete_cases": "yes",
			"own_resource_allocations": "yes", "join_cases": "any", "users": "all", "invoice_status": "any",
			"scheduled_invoicing": "yes", "approval": "all", "approve_own_cases": "yes",
			"travel": "approve_all", "sharing": "yes", "admin": "all",
		}
		for k, v := range want {
			if values[k] != v {
				t.Errorf("%s = %q, want %q", k, values[k], v)
			}
		}
		if len(values) != len(want) || len(Columns()) != len(want) {
			t.Errorf("got %d values and %d columns, want %d", len(values), len(Columns()), len(want))
		}
	})
	t.Run("a missing column is an error", func(t *testing.T) {
		partial := map[string]string{}
		for k, v := range values {
			if k != ColTravel {
				partial[k] = v
			}
		}
		if _, err := ParseProfile(partial, defaultStatuses); !errors.Is(err, ErrMissingRight) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("an extra column is an error", func(t *testing.T) {
		extra := map[string]string{"root": "yes"}
		for k, v := range values {
			extra[k] = v
		}
		if _, err := ParseProfile(extra, defaultStatuses); !errors.Is(err, ErrUnknownRight) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("limit of a removed status cannot be formatted", func(t *testing.T) {
		r := Rights{Invoice: InvoiceLimit{UpTo: 5}}
		if _, err := r.Values(defaultStatuses); !errors.Is(err, ErrUnknownStatus) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a failed Set leaves the right unchanged", func(t *testing.T) {
		r := AdministratorRights()
		if err := r.Set(ColCases, "boss", defaultStatuses); err == nil || r.Cases != CasesAll {
			t.Fatalf("got %v, %v", r.Cases, err)
		}
	})
}

func TestInvoiceLimit(t *testing.T) {
	// rule INV-3: up_to:S allows S and every status before it.
	upToSent := InvoiceLimit{UpTo: posSent}
	if !upToSent.Allows(posDraft) || !upToSent.Allows(posSent) || upToSent.Allows(posPaid) {
		t.Fatal("INV-3: up_to:Sent allows Draft and Sent only")
	}
	// rule INV-2: any allows every status.
	if !(InvoiceLimit{Any: true}).Allows(posPaid) {
		t.Fatal("INV-2: any allows Paid")
	}
	if (InvoiceLimit{}).Allows(posSent) {
		t.Fatal("the zero limit allows the first status only")
	}
}

// rule ORG-6: a higher level keeps every "can" of the lower levels. Checked over every action
// of the rights whose rules make no exception to it.
func TestHigherLevelKeepsLowerCans(t *testing.T) {
	cases := []CaseAttrs{caseOwn, caseSub, caseSubOtherUnit, caseUnitNotSub, caseElsewhere}
	t.Run("ORG-6 accounts", func(t *testing.T) {
		for l := AccountsNone; l < AccountsAll; l++ {
			lo := subjectOf(2, with(base(), func(r *Rights) { r.Accounts, r.DeleteAccounts = l, true }))
			hi := subjectOf(2, with(lo.Rights, func(r *Rights) { r.Accounts = l + 1 }))
			for a := AccountView; a <= AccountAddActivity; a++ {
				if DecideAccount(lo, a, AccountAttrs{}).Allow && !DecideAccount(hi, a, AccountAttrs{}).Allow {
					t.Errorf("%v allows account action %d, %v does not", l, a, l+1)
				}
			}
		}
	})
	t.Run("ORG-6 cases view and edit", func(t *testing.T) {
		for l := CasesNone; l < CasesAll; l++ {
			lo := subjectOf(2, with(base(), func(r *Rights) { r.Cases, r.DeleteCases = l, true }), 103)
			hi := subjectOf(2, with(lo.Rights, func(r *Rights) { r.Cases = l + 1 }), 103)
			// CASE-7 takes invoices and revenue from manager_no_financials: not checked here.
			for _, a := range []CaseAction{CaseView, CaseCreate, CaseEdit, CaseDelete, CaseManagePhases, CaseEnterWork, CaseShare} {
				for _, c := range cases {
					if DecideCase(lo, a, c).Allow && !DecideCase(hi, a, c).Allow {
						t.Errorf("%v allows case action %d on %d, %v does not", l, a, c.ID, l+1)
					}
				}
			}
		}
	})
	t.Run("ORG-6 join", func(t *testing.T) {
		for l := JoinNo; l < JoinAny; l++ {
			lo := subjectOf(2, with(base(), func(r *Rights) { r.Join = l }))
			hi := subjectOf(2, with(base(), func(r *Rights) { r.Join = l + 1 }))
			for _, c := range cases {
				if DecideCase(lo, CaseJoin, c).Allow && !DecideCase(hi, CaseJoin, c).Allow {
					t.Errorf("%v joins %d, %v does not", l, c.ID, l+1)
				}
			}
		}
	})
	t.Run("ORG-6 users", func(t *testing.T) {
		for l := UsersNone; l < UsersAll; l++ {
			lo := subjectOf(2, with(base(), func(r *Rights) { r.Users = l }))
			hi := subjectOf(2, with(base(), func(r *Rights) { r.Users = l + 1 }))
			for a := UserCreate; a <= UserSetAPIAccess; a++ {
				for id := int64(1); id <= 6; id++ {
					if DecideUser(lo, a, UserAttrs{ID: id}).Allow && !DecideUser(hi, a, UserAttrs{ID: id}).Allow {
						t.Errorf("%v allows user action %d on %d, %v does not", l, a, id, l+1)
					}
				}
			}
		}
	})
	t.Run("ORG-6 admin", func(t *testing.T) {
		for l := AdminNone; l < AdminAll; l++ {
			lo := subjectOf(2, with(base(), func(r *Rights) { r.Admin = l }))
			hi := subjectOf(2, with(base(), func(r *Rights) { r.Admin = l + 1 }))
			for a := AdminSettings; a <= AdminUserManagement; a++ {
				if DecideAdmin(lo, a).Allow && !DecideAdmin(hi, a).Allow {
					t.Errorf("%v allows admin action %d, %v does not", l, a, l+1)
				}
			}
		}
	})
}
