package rights

import "testing"

// Default status list: Draft (0), Sent (1), Paid (2).
const (
	posDraft = 0
	posSent  = 1
	posPaid  = 2
)

func TestDecideInvoice(t *testing.T) {
	upToSent := with(base(), func(r *Rights) { r.Cases, r.Invoice = CasesManager, InvoiceLimit{UpTo: posSent} })
	anyStatus := with(upToSent, func(r *Rights) { r.Invoice = InvoiceLimit{Any: true} })
	managerNoFin := with(anyStatus, func(r *Rights) { r.Cases = CasesManagerNoFinancials })
	memberNoFin := with(anyStatus, func(r *Rights) { r.Cases = CasesMemberNoFinancials })
	scheduled := with(anyStatus, func(r *Rights) { r.ScheduledInvoicing = true })
	inv := func(c CaseAttrs, pos int) InvoiceAttrs { return InvoiceAttrs{Case: c, StatusPos: pos} }

	tests := []struct {
		name   string
		rights Rights
		member []int64
		action InvoiceAction
		inv    InvoiceAttrs
		allow  bool
		reason Reason
		hidden FieldMask
	}{
		{"INV-1 owner views", upToSent, nil, InvoiceView, inv(caseOwn, posDraft), true, ReasonCaseOwner, 0},
		{"INV-1 subordinate's case counts as owned (CASE-9)", upToSent, nil, InvoiceView, inv(caseSubOtherUnit, posDraft), true, ReasonCaseSubordinateOwner, 0},
		{"INV-1 plain member cannot view", upToSent, []int64{103}, InvoiceView, inv(caseUnitNotSub, posDraft), false, ReasonInvoiceOwnerOnly, 0},
		{"INV-1 outsider cannot view", upToSent, nil, InvoiceView, inv(caseElsewhere, posDraft), false, ReasonCaseNotVisible, 0},
		{"INV-1 ACC-2 accounts none cannot view", with(anyStatus, func(r *Rights) { r.Accounts = AccountsNone }), nil, InvoiceView, inv(caseOwn, posDraft), false, ReasonAccountsNoneCases, 0},
		{"INV-1 CASE-7 manager_no_financials cannot view", managerNoFin, nil, InvoiceView, inv(caseOwn, posDraft), false, ReasonInvoiceManagerNoFinancials, 0},
		{"INV-1 CASE-7 manager_no_financials cannot create", managerNoFin, nil, InvoiceCreate, inv(caseOwn, posDraft), false, ReasonInvoiceManagerNoFinancials, 0},
		{"INV-1 CASE-4 member_no_financials owner creates without amounts (CASE-5)", memberNoFin, nil, InvoiceCreate, inv(caseOwn, posDraft), true, ReasonInvoiceAnyStatus, HideFinancials},
		{"INV-2 any creates at any status", anyStatus, nil, InvoiceCreate, inv(caseOwn, posPaid), true, ReasonInvoiceAnyStatus, 0},
		{"INV-2 any edits a paid invoice", anyStatus, nil, InvoiceEdit, inv(caseOwn, posPaid), true, ReasonInvoiceAnyStatus, 0},
		{"INV-3 up_to Sent creates a draft", upToSent, nil, InvoiceCreate, inv(caseOwn, posDraft), true, ReasonInvoiceWithinLimit, 0},
		{"INV-3 up_to Sent cannot create paid", upToSent, nil, InvoiceCreate, inv(caseOwn, posPaid), false, ReasonInvoiceTargetBeyondLimit, 0},
		{"INV-3 up_to Sent edits a sent invoice", upToSent, nil, InvoiceEdit, inv(caseOwn, posSent), true, ReasonInvoiceWithinLimit, 0},
		{"INV-4 beyond limit still viewable", upToSent, nil, InvoiceView, inv(caseOwn, posPaid), true, ReasonCaseOwner, 0},
		{"INV-4 beyond limit cannot edit", upToSent, nil, InvoiceEdit, inv(caseOwn, posPaid), false, ReasonInvoiceBeyondLimit, 0},
		{"INV-4 beyond limit cannot credit", upToSent, nil, InvoiceCredit, inv(caseOwn, posPaid), false, ReasonInvoiceBeyondLimit, 0},
		{"INV-4 beyond limit cannot remind", upToSent, nil, InvoiceRemind, inv(caseOwn, posPaid), false, ReasonInvoiceBeyondLimit, 0},
		{"INV-4 beyond limit cannot delete", upToSent, nil, InvoiceDelete, inv(caseOwn, posPaid), false, ReasonInvoiceBeyondLimit, 0},
		{"INV-5 scheduled invoicing with flag", scheduled, nil, InvoiceSchedule, inv(caseOwn, posDraft), true, ReasonScheduledInvoicing, 0},
		{"INV-5 scheduled invoicing without flag", anyStatus, nil, InvoiceSchedule, inv(caseOwn, posDraft), false, ReasonScheduledInvoicingDenied, 0},
		{"INV-5 flag needs invoice access", scheduled, []int64{103}, InvoiceSchedule, inv(caseUnitNotSub, posDraft), false, ReasonInvoiceOwnerOnly, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := subjectOf(2, tc.rights, tc.member...)
			mustDecision(t, DecideInvoice(s, tc.action, tc.inv), tc.allow, tc.reason, tc.hidden)
		})
	}
}

func TestDecideInvoiceStatus(t *testing.T) {
	upToSent := with(base(), func(r *Rights) { r.Cases, r.Invoice = CasesManager, InvoiceLimit{UpTo: posSent} })
	anyStatus := with(upToSent, func(r *Rights) { r.Invoice = InvoiceLimit{Any: true} })
	tests := []struct {
		name     string
		rights   Rights
		from, to int
		allow    bool
		reason   Reason
	}{
		// rule INV-3: the example of RIGHTS.md: Draft, Sent, Paid with up_to:Sent.
		{"INV-3 draft to sent", upToSent, posDraft, posSent, true, ReasonInvoiceWithinLimit},
		{"INV-3 sent back to draft", upToSent, posSent, posDraft, true, ReasonInvoiceWithinLimit},
		{"INV-3 sent to paid refused", upToSent, posSent, posPaid, false, ReasonInvoiceTargetBeyondLimit},
		{"INV-4 paid back to sent refused", upToSent, posPaid, posSent, false, ReasonInvoiceBeyondLimit},
		{"INV-2 any moves to paid", anyStatus, posSent, posPaid, true, ReasonInvoiceAnyStatus},
		{"INV-2 any moves paid back to draft", anyStatus, posPaid, posDraft, true, ReasonInvoiceAnyStatus},
		{"INV-1 CASE-7 manager_no_financials changes no status", with(anyStatus, func(r *Rights) { r.Cases = CasesManagerNoFinancials }), posDraft, posSent, false, ReasonInvoiceManagerNoFinancials},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := DecideInvoiceStatus(subjectOf(2, tc.rights), InvoiceAttrs{Case: caseOwn, StatusPos: tc.from}, tc.to)
			mustDecision(t, d, tc.allow, tc.reason, 0)
		})
	}
}
