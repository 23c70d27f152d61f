package rights

import "testing"

func TestDecideHistory(t *testing.T) {
	users := func(l UsersLevel) Rights { return with(base(), func(r *Rights) { r.Users = l }) }
	cases := func(l CasesLevel) Rights { return with(base(), func(r *Rights) { r.Cases = l }) }
	caseEntry := func(c CaseAttrs) HistoryAttrs { return HistoryAttrs{Kind: HistoryCase, Case: &c} }
	invoiceEntry := func(c CaseAttrs) HistoryAttrs { return HistoryAttrs{Kind: HistoryInvoice, Case: &c} }
	userEntry := func(id int64) HistoryAttrs { return HistoryAttrs{Kind: HistoryUser, UserID: id} }
	hourEntry := func(h HourAttrs) HistoryAttrs { return HistoryAttrs{Kind: HistoryHours, Hour: &h} }

	tests := []struct {
		name   string
		rights Rights
		member []int64
		h      HistoryAttrs
		allow  bool
		reason Reason
		hidden FieldMask
	}{
		{"CASE-16 member_no_financials sees case history without financial values", cases(CasesMemberNoFinancials), []int64{103}, caseEntry(caseUnitNotSub), true, ReasonHistoryCase, HideFinancials},
		{"CASE-16 owner sees case history with financial values", cases(CasesManager), nil, caseEntry(caseOwn), true, ReasonHistoryCase, 0},
		{"CASE-16 CASE-8 plain member: financial values hidden", cases(CasesManager), []int64{103}, caseEntry(caseUnitNotSub), true, ReasonHistoryCase, HideFinancials},
		{"CASE-16 only cases one can view", cases(CasesManager), nil, caseEntry(caseElsewhere), false, ReasonCaseNotVisible, 0},
		{"CASE-1 none: no case history", cases(CasesNone), nil, caseEntry(caseOwn), false, ReasonCasesNone, 0},
		{"CASE-1 none: no invoice history", cases(CasesNone), nil, invoiceEntry(caseOwn), false, ReasonCasesNone, 0},
		{"INV-1 invoice history for invoice access", cases(CasesManager), nil, invoiceEntry(caseOwn), true, ReasonCaseOwner, 0},
		{"INV-1 CASE-7 no invoice history for manager_no_financials", cases(CasesManagerNoFinancials), nil, invoiceEntry(caseOwn), false, ReasonInvoiceManagerNoFinancials, 0},
		{"USR-1 none: no user data, not even one's own", users(UsersNone), nil, userEntry(2), false, ReasonHistoryUsersNone, 0},
		{"USR-2 own user data", users(UsersEditSubordinates), nil, userEntry(2), true, ReasonHistoryOwnUser, 0},
		{"USR-2 subordinate's user data", users(UsersEditSubordinates), nil, userEntry(4), true, ReasonUsersSubordinate, 0},
		{"USR-2 not others' user data", users(UsersEditSubordinates), nil, userEntry(5), false, ReasonUserNotSubordinate, 0},
		{"USR-4 everyone's user data", users(UsersAll), nil, userEntry(5), true, ReasonUsersAll, 0},
		{"ACC-4 account history with account access", base(), nil, HistoryAttrs{Kind: HistoryAccount}, true, ReasonAccountsView, 0},
		{"ACC-1 no account history with Accounts none", with(base(), func(r *Rights) { r.Accounts = AccountsNone }), nil, HistoryAttrs{Kind: HistoryAccount}, false, ReasonAccountsNone, 0},
		{"CASE-5 hour history without price for member_no_financials", cases(CasesMemberNoFinancials), nil, hourEntry(hourOwn), true, ReasonOwnData, HideFinancials},
		{"USR-1 no history of others' hours", users(UsersNone), nil, hourEntry(hourSub), false, ReasonHourNotVisible, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecision(t, DecideHistory(subjectOf(2, tc.rights, tc.member...), tc.h), tc.allow, tc.reason, tc.hidden)
		})
	}
}
