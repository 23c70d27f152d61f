package scope

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// HourView limits a query over work hours (aliased alias) to the entries s may view, as
// rights.DecideHours(s, rights.HourView, …) decides: one's own (USR-1), subordinates' with
// Users edit_subordinates (USR-2), everyone's with Users all (USR-4), and, when approval is on
// (WHA-1), those the approval right covers, which override the Users right (WHA-3..6), and
// others' hours on cases s owns with approve_own_cases (WHA-7). The entry's user unit and
// case owner are read through subqueries on users and cases.
func HourView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	sc := rights.ViewableHours(s)
	h := bun.Ident(alias)
	d := anyOf{all: sc.All}
	if len(sc.UserIDs) > 0 {
		d.add("?.user_id IN (?)", h, in(sc.UserIDs))
	}
	if len(sc.UserUnitIDs) > 0 {
		d.add("?", userInUnits(alias, sc.UserUnitIDs))
	}
	if sc.CaseOwnerID != 0 {
		c := bun.Ident(alias + "_case")
		d.add("EXISTS (SELECT 1 FROM cases AS ? WHERE ?.id = ?.case_id AND ?.owner_id = ?)",
			c, c, h, c, sc.CaseOwnerID)
	}
	return d.apply
}

// HourFinancialsSortable reports whether s may sort or filter work hours on price and cost.
// It holds only when no entry s can see could have them hidden: never with Cases none,
// member_no_financials or manager_no_financials (CASE-1, CASE-5, CASE-7); always with Cases
// all, which is owner-like on every case (CASE-11); otherwise only when s sees nobody's hours
// but their own (USR-1) and others' on cases they own (WHA-7, CASE-8), since others' hours on
// a case where s is a plain member or a stranger hide them (CASE-6, CASE-8).
func HourFinancialsSortable(s *rights.Subject) bool {
	level, accounts := s.Rights.Cases, s.Rights.Accounts
	switch {
	case level < rights.CasesMember || level == rights.CasesManagerNoFinancials:
		return false
	case level == rights.CasesAll && accounts != rights.AccountsNone:
		return true
	}
	sc := rights.ViewableHours(s)
	onlyOwn := !sc.All && len(sc.UserUnitIDs) == 0 && len(sc.UserIDs) == 1 && sc.UserIDs[0] == s.UserID
	// Owned cases are owner-like unless Accounts none closes them (ACC-2).
	return onlyOwn && (sc.CaseOwnerID == 0 || accounts != rights.AccountsNone)
}

// HourFieldSortable reports whether s may sort or filter a list of work hours on the
// attribute named field: every attribute but price and cost (rights.HourFinancialFields),
// and those only when HourFinancialsSortable (CASE-5..8, section 2).
func HourFieldSortable(s *rights.Subject, field string) bool {
	return !rights.HideHourFinancials.Hides(field) || HourFinancialsSortable(s)
}

// userInUnits is the condition "the user of the row aliased alias belongs to one of units".
func userInUnits(alias string, units []int64) any {
	u := bun.Ident(alias + "_user")
	return bun.SafeQuery("EXISTS (SELECT 1 FROM users AS ? WHERE ?.id = ?.user_id AND ?.unit_id IN (?))",
		u, u, bun.Ident(alias), u, in(units))
}
