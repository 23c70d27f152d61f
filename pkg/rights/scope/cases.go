package scope

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// CaseView limits a query over cases (aliased alias) to the cases s may view, exactly as
// rights.DecideCase(s, rights.CaseView, …) decides: owned cases and cases of subordinates
// (CASE-4, CASE-8, CASE-9), cases in the own unit with own_unit (CASE-10), every case with
// all (CASE-11), and cases where s is a member (CASE-2), all of it closed by Accounts none
// (ACC-2) and Cases none (CASE-1). Memberships are the subject's (Subject.MemberOf), named by
// id, so that every term is an index lookup: the planner then serves a caller who sees a few
// cases from the indexes (a bitmap OR) and one who sees most of them by walking the order.
func CaseView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return caseTerms(rights.ViewableCases(s), alias).apply
}

// PhaseView limits a query over phases (aliased alias) to the phases of cases s may view:
// viewing a case is viewing it with its phases (rights.CaseView; CASE-1, CASE-2, CASE-4,
// CASE-8..11, ACC-2).
func PhaseView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return viaCase(rights.ViewableCases(s), alias).apply
}

// FileView limits a query over files and links (aliased alias) to those of cases s may view,
// as PhaseView does for phases (rights.CaseView; CASE-1, CASE-2, CASE-4, CASE-8..11, ACC-2).
func FileView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return viaCase(rights.ViewableCases(s), alias).apply
}

// CaseFinancialsSortable reports whether s may sort or filter cases on financial fields. A
// hidden field cannot be sorted or filtered on (section 2), and a list mixes rows, so this
// holds only when no case s can see could have them hidden: with Cases all, every case is
// owner-like (CASE-11) and nothing is hidden (CASE-5..8); Accounts none sees no case (ACC-2).
func CaseFinancialsSortable(s *rights.Subject) bool {
	return s.Rights.Cases == rights.CasesAll && s.Rights.Accounts != rights.AccountsNone
}

// CaseFieldSortable reports whether s may sort or filter a list of cases on the attribute
// named field (camelCase, as in the API): every non-financial attribute, and the financial
// ones of rights.CaseFinancialFields only when CaseFinancialsSortable (CASE-5..8, section 2).
func CaseFieldSortable(s *rights.Subject, field string) bool {
	return !rights.HideCaseFinancials.Hides(field) || CaseFinancialsSortable(s)
}

// caseTerms is the condition of sc on the case table aliased alias.
func caseTerms(sc rights.CaseScope, alias string) anyOf {
	d := anyOf{all: sc.All}
	c := bun.Ident(alias)
	if len(sc.OwnerIDs) > 0 {
		d.add("?.owner_id IN (?)", c, in(sc.OwnerIDs))
	}
	if len(sc.UnitIDs) > 0 {
		d.add("?.unit_id IN (?)", c, in(sc.UnitIDs))
	}
	if sc.MemberUserID != 0 && len(sc.MemberCaseIDs) > 0 {
		d.add("?.id IN (?)", c, in(sc.MemberCaseIDs))
	}
	return d
}

// viaCase is the condition of sc on the case of a row (aliased alias) that has a case_id.
func viaCase(sc rights.CaseScope, alias string) anyOf {
	if sc.All || sc.Empty() {
		return anyOf{all: sc.All}
	}
	c := bun.Ident(alias + "_case")
	var d anyOf
	d.add("EXISTS (SELECT 1 FROM cases AS ? WHERE ?.id = ?.case_id AND ?)",
		c, c, bun.Ident(alias), caseTerms(sc, alias+"_case").expr())
	return d
}
