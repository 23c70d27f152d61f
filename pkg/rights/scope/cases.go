// Package scope turns the rules of pkg/rights into SQL conditions, so that a list endpoint
// returns exactly the rows the single-object decision would allow (STYLE rule 2). Each
// function mirrors one Decide function; the property test in this package checks that
// they agree on random organisations, on SQLite and on PostgreSQL.
package scope

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// none is a condition no row meets.
const none = "1 = 0"

// ids returns the ids of a set, or a value that matches nothing for an empty set, since
// "IN ()" is not valid SQL.
func ids(s rights.Set) []int64 {
	if s.Len() == 0 {
		return []int64{-1}
	}
	return s.IDs()
}

// CaseView limits a query over cases (aliased alias) to the cases s may view, as
// rights.DecideCase(s, rights.CaseView, …) decides (ACC-2, CASE-1, CASE-2, CASE-4,
// CASE-9, CASE-10, CASE-11).
func CaseView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		r := s.Rights
		if r.Accounts == rights.AccountsNone || r.Cases == rights.CasesNone {
			return q.Where(none)
		}
		if r.Cases == rights.CasesAll {
			return q
		}
		return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			q = q.WhereOr("?.owner_id = ?", bun.Ident(alias), s.UserID).
				WhereOr("?.owner_id IN (?)", bun.Ident(alias), bun.In(ids(s.Subordinates))).
				WhereOr("?.id IN (?)", bun.Ident(alias), bun.In(ids(s.MemberOf)))
			if r.Cases == rights.CasesOwnUnit {
				q = q.WhereOr("?.unit_id IN (?)", bun.Ident(alias), bun.In(ids(s.OwnUnits)))
			}
			return q
		})
	}
}

// CaseFinancialsSortable reports whether s may sort or filter cases on financial fields:
// only when no case s can see could have them hidden (CASE-5..8, "cannot be sorted on").
func CaseFinancialsSortable(s *rights.Subject) bool {
	return s.Rights.Cases == rights.CasesAll && s.Rights.Accounts != rights.AccountsNone
}
