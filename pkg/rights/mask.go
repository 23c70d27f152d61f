package rights

import "slices"

// FieldMask says which groups of attributes a decision hides. A hidden attribute must be absent
// from the response (not null) and must not be usable to filter or sort (section 2). Only the
// financial groups exist: they are what CASE-5, CASE-6, CASE-7, CASE-8 and ACC-6 hide.
type FieldMask uint8

// Field groups. HideFinancials is what "no financial data" hides on cases, items and hours.
const (
	HideCaseFinancials          FieldMask = 1 << iota // case attributes (section 2)
	HideHourFinancials                                // work-hour price and cost (CASE-5)
	HideItemFinancials                                // item and invoice-row amounts (CASE-6)
	HideAccountReportFinancials                       // accounts-report columns (ACC-6)

	HideFinancials = HideCaseFinancials | HideHourFinancials | HideItemFinancials
)

// JSON attribute names (camelCase) of each group. Splits named in section 2 and ACC-6 ("revenue
// and its splits", "margin and its splits", "margin %") are listed too, so that a response that
// carries them cannot leak them.
var (
	caseFinancialFields = []string{
		"revenue", "revenueInHouse", "revenueOutsourced", "billed", "uninvoiced", "billingForecast",
		"remainingBilling", "salesMargin", "salesMarginPercent", "margin", "marginPercent",
		"marginInHouse", "marginOutsourced", "billingPerHour", "billableHoursPercent", "laborExpenses",
		"otherExpenses", "totalExpenses", "expenseForecast", "estimatedMargin", "estimatedMarginPercent",
		"totalPriceBilled", "priceOfHoursNotApproved", "priceOfHoursApproved", "expectedValue",
		"probability", "expectedOrderDate",
	}
	hourFinancialFields = []string{"price", "cost", "unitPrice", "unitCost"}
	itemFinancialFields = []string{"total", "unitPrice", "priceBilled", "margin"}
	accountReportFields = []string{
		"billingForecast", "revenue", "revenueInHouse", "revenueOutsourced", "billed", "uninvoiced",
		"laborExpenses", "otherExpenses", "totalExpenses", "expectedValue", "salesMargin", "margin",
		"marginPercent", "billingPerHour", "billableHoursPercent",
	}
	maskGroups = [...]struct {
		bit   FieldMask
		names []string
	}{
		{HideCaseFinancials, caseFinancialFields},
		{HideHourFinancials, hourFinancialFields},
		{HideItemFinancials, itemFinancialFields},
		{HideAccountReportFinancials, accountReportFields},
	}
)

// CaseFinancialFields returns the case attributes hidden with the case's financial data (CASE-5..8).
func CaseFinancialFields() []string { return slices.Clone(caseFinancialFields) }

// HourFinancialFields returns the work-hour attributes hidden with financial data (CASE-5).
func HourFinancialFields() []string { return slices.Clone(hourFinancialFields) }

// ItemFinancialFields returns the item and invoice-row attributes hidden with financial data (CASE-6).
func ItemFinancialFields() []string { return slices.Clone(itemFinancialFields) }

// AccountReportFinancialFields returns the accounts-report columns that need Accounts all (ACC-6).
func AccountReportFinancialFields() []string { return slices.Clone(accountReportFields) }

// Hides reports whether the attribute name must be dropped. It allocates nothing.
func (m FieldMask) Hides(name string) bool {
	for _, g := range maskGroups {
		if m&g.bit != 0 && slices.Contains(g.names, name) {
			return true
		}
	}
	return false
}

// Fields returns every hidden attribute name, sorted and without duplicates.
func (m FieldMask) Fields() []string {
	var out []string
	for _, g := range maskGroups {
		if m&g.bit != 0 {
			out = append(out, g.names...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
