package rights

import (
	"slices"
	"testing"
)

func TestFieldMask(t *testing.T) {
	t.Run("CASE-5 financial data hides case, item and hour amounts", func(t *testing.T) {
		for _, name := range []string{"revenue", "billingForecast", "probability", "expectedOrderDate", "price", "cost", "unitPrice", "priceBilled", "total"} {
			if !HideFinancials.Hides(name) {
				t.Errorf("%s is not hidden", name)
			}
		}
		for _, name := range []string{"name", "status", "minutes", "ownerId"} {
			if HideFinancials.Hides(name) {
				t.Errorf("%s is hidden", name)
			}
		}
	})
	t.Run("ACC-6 accounts report columns", func(t *testing.T) {
		if !HideAccountReportFinancials.Hides("billableHoursPercent") || HideAccountReportFinancials.Hides("price") {
			t.Fatal("accounts report columns are their own group")
		}
	})
	t.Run("the brief's case list is complete", func(t *testing.T) {
		for _, name := range []string{"revenue", "billed", "uninvoiced", "billingForecast", "remainingBilling", "salesMargin",
			"margin", "billingPerHour", "billableHoursPercent", "laborExpenses", "otherExpenses", "totalExpenses",
			"expenseForecast", "estimatedMargin", "totalPriceBilled", "priceOfHoursNotApproved", "expectedValue",
			"probability", "expectedOrderDate"} {
			if !slices.Contains(CaseFinancialFields(), name) {
				t.Errorf("%s missing", name)
			}
		}
	})
	t.Run("Fields is sorted, unique and only what is hidden", func(t *testing.T) {
		f := (HideCaseFinancials | HideItemFinancials).Fields()
		if !slices.IsSorted(f) || len(slices.Compact(slices.Clone(f))) != len(f) {
			t.Fatalf("got %v", f)
		}
		if !slices.Contains(f, "margin") || slices.Contains(f, "cost") {
			t.Fatalf("got %v", f)
		}
		if FieldMask(0).Fields() != nil || FieldMask(0).Hides("revenue") {
			t.Fatal("the zero mask hides nothing")
		}
	})
	t.Run("exported lists are copies", func(t *testing.T) {
		l := HourFinancialFields()
		l[0] = "name"
		if HideHourFinancials.Hides("name") || len(ItemFinancialFields()) == 0 || len(AccountReportFinancialFields()) == 0 {
			t.Fatal("callers must not change the masks")
		}
	})
}
