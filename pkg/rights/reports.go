package rights

// Report is a kind of report. DecideReport says whether the subject may run it at all; each row
// is then decided like the object it shows (CaseView, HourView, TravelView, ActivityVisibility),
// with that decision's mask (CASE-6, CASE-8).
type Report uint8

// Reports named by sections 1, 2, 4 and 7.
const (
	ReportAccounts Report = iota
	ReportContacts
	ReportCaseAnalysis
	ReportCases
	ReportFiles
	ReportFinancialSummary
	ReportFinancialTimeline
	ReportInvoiceRows
	ReportInvoices
	ReportItemAnalysis
	ReportItems
	ReportPhases
	ReportProposals
	ReportPurchaseOrders
	ReportActivities
	ReportUserAnalysis
	ReportWorkHourSummary
	ReportTimeEntries
	ReportResourcing
	ReportWorkHoursByCase
	ReportWorkHourAnalysis
	ReportWorkHourList
	ReportWorkHourMatrix
	ReportTravel
)

var reportNames = []string{
	"accounts", "contacts", "case_analysis", "cases", "files", "financial_summary",
	"financial_timeline", "invoice_rows", "invoices", "item_analysis", "items", "phases",
	"proposals", "purchase_orders", "activities", "user_analysis", "work_hour_summary",
	"time_entries", "resourcing", "work_hours_by_case", "work_hour_analysis", "work_hour_list",
	"work_hour_matrix", "travel",
}

// String returns the report's snake_case name.
func (r Report) String() string { return levelName(reportNames, r) }

// DecideReport decides running a report (ACC-1, ACC-4, ACC-6, CASE-1, CASE-4, CASE-5, CASE-7,
// USR-1, USR-2, TRV-1, TRV-2). Hidden is what no row of the report may show.
func DecideReport(s *Subject, r Report) Decision {
	level := s.Rights.Cases
	// What CASE-5 and CASE-7 hide everywhere, whatever the row.
	var mask FieldMask
	var by Reason
	switch level {
	case CasesMemberNoFinancials:
		mask, by = HideFinancials|HideAccountReportFinancials, ReasonHideMemberNoFinancials
	case CasesManagerNoFinancials:
		mask, by = HideFinancials|HideAccountReportFinancials, ReasonHideManagerNoFinancials
	}
	var d Decision
	switch {
	case r <= ReportContacts:
		d = DecideAccount(s, AccountView, AccountAttrs{})
		if r == ReportAccounts && s.Rights.Accounts < AccountsAll && mask == 0 {
			mask, by = HideAccountReportFinancials, ReasonHideAccountReportColumns
		}
	case r <= ReportPurchaseOrders:
		d = decideCaseReport(s, r)
	case r <= ReportWorkHourSummary:
		d = allow(ReasonUserReportsBasic)
	case r <= ReportWorkHourMatrix:
		d = deny(ReasonUserReportsDenied)
		if s.Rights.Users >= UsersEditSubordinates {
			d = allow(ReasonUserReports)
		}
	default:
		d = DecideTravel(s, TravelView, TravelAttrs{UserID: s.UserID})
	}
	return d.masked(mask, by)
}

func decideCaseReport(s *Subject, r Report) Decision {
	switch {
	case s.Rights.Accounts == AccountsNone:
		return deny(ReasonAccountsNoneCases)
	case s.Rights.Cases == CasesNone:
		return deny(ReasonCasesNone)
	case s.Rights.Cases == CasesManagerNoFinancials && financialReport(r):
		return deny(ReasonFinancialReportHidden)
	}
	return allow(ReasonCaseReports)
}

// financialReport lists the reports CASE-7 hides from manager_no_financials.
func financialReport(r Report) bool {
	switch r {
	case ReportFinancialSummary, ReportFinancialTimeline, ReportInvoiceRows, ReportInvoices, ReportPurchaseOrders:
		return true
	}
	return false
}
