package rights

import "testing"

func TestDecideReport(t *testing.T) {
	accounts := func(l AccountsLevel) Rights { return with(base(), func(r *Rights) { r.Accounts = l }) }
	cases := func(l CasesLevel) Rights { return with(base(), func(r *Rights) { r.Cases = l }) }
	accountsAll := func(l CasesLevel) Rights { return with(cases(l), func(r *Rights) { r.Accounts = AccountsAll }) }
	users := func(l UsersLevel) Rights { return with(base(), func(r *Rights) { r.Users = l }) }
	everywhere := HideFinancials | HideAccountReportFinancials

	tests := []struct {
		name   string
		rights Rights
		report Report
		allow  bool
		reason Reason
		hidden FieldMask
	}{
		{"ACC-1 none: no accounts report", accounts(AccountsNone), ReportAccounts, false, ReasonAccountsNone, 0},
		{"ACC-1 none: no contacts report", accounts(AccountsNone), ReportContacts, false, ReasonAccountsNone, 0},
		{"ACC-4 read_only: accounts report without financial columns", accounts(AccountsReadOnly), ReportAccounts, true, ReasonAccountsView, HideAccountReportFinancials},
		{"ACC-4 read_only: contacts report", accounts(AccountsReadOnly), ReportContacts, true, ReasonAccountsView, 0},
		{"ACC-6 view_and_edit: still no financial columns", accounts(AccountsViewAndEdit), ReportAccounts, true, ReasonAccountsView, HideAccountReportFinancials},
		{"ACC-6 all: financial columns", accountsAll(CasesManager), ReportAccounts, true, ReasonAccountsView, 0},
		{"ACC-6 CASE-7 all but manager_no_financials: no financial columns", accountsAll(CasesManagerNoFinancials), ReportAccounts, true, ReasonAccountsView, everywhere},
		{"ACC-6 CASE-5 all but member_no_financials: no financial columns", accountsAll(CasesMemberNoFinancials), ReportAccounts, true, ReasonAccountsView, everywhere},
		{"CASE-1 none: no cases report", cases(CasesNone), ReportCases, false, ReasonCasesNone, 0},
		{"CASE-1 none: no items report", cases(CasesNone), ReportItems, false, ReasonCasesNone, 0},
		{"CASE-1 ACC-2 accounts none: no case reports", accounts(AccountsNone), ReportPhases, false, ReasonAccountsNoneCases, 0},
		{"CASE-4 member runs case reports (rows decide)", cases(CasesMember), ReportCases, true, ReasonCaseReports, 0},
		{"CASE-5 member_no_financials: no financial data in any report", cases(CasesMemberNoFinancials), ReportFinancialSummary, true, ReasonCaseReports, everywhere},
		{"CASE-7 financial summary hidden", cases(CasesManagerNoFinancials), ReportFinancialSummary, false, ReasonFinancialReportHidden, 0},
		{"CASE-7 financial timeline hidden", cases(CasesManagerNoFinancials), ReportFinancialTimeline, false, ReasonFinancialReportHidden, 0},
		{"CASE-7 invoice rows hidden", cases(CasesManagerNoFinancials), ReportInvoiceRows, false, ReasonFinancialReportHidden, 0},
		{"CASE-7 invoices hidden", cases(CasesManagerNoFinancials), ReportInvoices, false, ReasonFinancialReportHidden, 0},
		{"CASE-7 purchase orders hidden", cases(CasesManagerNoFinancials), ReportPurchaseOrders, false, ReasonFinancialReportHidden, 0},
		{"CASE-7 other reports without financial columns", cases(CasesManagerNoFinancials), ReportItems, true, ReasonCaseReports, everywhere},
		{"CASE-7 no financial columns on user reports", cases(CasesManagerNoFinancials), ReportWorkHourSummary, true, ReasonUserReportsBasic, everywhere},
		{"CASE-8 manager: financial reports", cases(CasesManager), ReportInvoices, true, ReasonCaseReports, 0},
		{"USR-1 none: activities report", users(UsersNone), ReportActivities, true, ReasonUserReportsBasic, 0},
		{"USR-1 none: user analysis", users(UsersNone), ReportUserAnalysis, true, ReasonUserReportsBasic, 0},
		{"USR-1 none: work-hour summary", users(UsersNone), ReportWorkHourSummary, true, ReasonUserReportsBasic, 0},
		{"USR-1 none: no work-hour list", users(UsersNone), ReportWorkHourList, false, ReasonUserReportsDenied, 0},
		{"USR-1 none: no time entries", users(UsersNone), ReportTimeEntries, false, ReasonUserReportsDenied, 0},
		{"USR-2 edit_subordinates: time entries", users(UsersEditSubordinates), ReportTimeEntries, true, ReasonUserReports, 0},
		{"USR-2 edit_subordinates: resourcing reports", users(UsersEditSubordinates), ReportResourcing, true, ReasonUserReports, 0},
		{"USR-2 edit_subordinates: work-hour matrix", users(UsersEditSubordinates), ReportWorkHourMatrix, true, ReasonUserReports, 0},
		{"USR-4 all: work hours by case", users(UsersAll), ReportWorkHoursByCase, true, ReasonUserReports, 0},
		{"TRV-1 none: no travel report", base(), ReportTravel, false, ReasonTravelNone, 0},
		{"TRV-2 create: travel report of own", with(base(), func(r *Rights) { r.Travel = TravelCreate }), ReportTravel, true, ReasonTravelOwn, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecision(t, DecideReport(subjectOf(2, tc.rights), tc.report), tc.allow, tc.reason, tc.hidden)
		})
	}
	t.Run("report names", func(t *testing.T) {
		if ReportWorkHoursByCase.String() != "work_hours_by_case" || ReportTravel.String() != "travel" || len(reportNames) != int(ReportTravel)+1 {
			t.Fatal("every report has its name")
		}
	})
}
