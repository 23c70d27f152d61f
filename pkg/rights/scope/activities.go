package scope

import (
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/caseroom/caseroom/pkg/rights"
)

// ActivityView keeps every activity: everyone sees every activity in the calendar, at least as
// free/busy (ACT-1). What each row shows is its visibility level: select it with
// ActivityVisibilityColumn, or filter with ActivityViewAtLeast. s and alias are unused.
func ActivityView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return all
}

// ActivityVisibilityExpr returns an SQL expression, over the activity aliased alias, whose
// value is the rights.Visibility that rights.ActivityVisibility gives s for that row
// (0 label, 1 type and name, 2 full content), computed in the same query from the
// activity's owner, category, participants, case and account:
//
//  1. the owner and the participants see everything (ACT-3, ACT-5);
//  2. others see only the "Private" label of a personal activity (ACT-5);
//  3. absences show only "out of office" (ACT-2, ACT-4) except to managers of the owner
//     (Users edit_subordinates for subordinates, or all; ACT-4);
//  4. work and todo show in full to managers of the owner (USR-2, USR-4), to those who may view
//     the activity's case (ACT-6, CASE-15), and with account access when the activity is
//     linked to an account (ACT-7, ACC-8); otherwise type and name (ACT-2).
//
// Use it as a column ("? AS visibility") or in a condition; the column scans into
// rights.Visibility. It agrees with the single-object path when that builds ActivityAttrs from
// the row's own columns: AccountID is activities.account_id (not the case's account), Case is
// the case of activities.case_id, Participants are its activity_participants.
func ActivityVisibilityExpr(s *rights.Subject, alias string) schema.QueryWithArgs {
	a := bun.Ident(alias)
	p := bun.Ident(alias + "_participant")
	full, name, label := int(rights.VisibleFull), int(rights.VisibleName), int(rights.VisibleLabel)
	managers := ownerManagers(s, alias)

	var caseViewers anyOf
	if cs := rights.ViewableCases(s); !cs.Empty() {
		caseViewers.add("?.case_id IS NOT NULL AND ?", a, viaCase(cs, alias).expr())
	}
	var accountViewers anyOf
	if s.Rights.Accounts >= rights.AccountsReadOnly {
		accountViewers.add("?.account_id IS NOT NULL", a)
	}
	return bun.SafeQuery(`CASE
 WHEN ?.owner_id = ? OR EXISTS (SELECT 1 FROM activity_participants AS ? WHERE ?.activity_id = ?.id AND ?.user_id = ?) THEN ?
 WHEN ?.category = ? THEN ?
 WHEN ?.category = ? THEN CASE WHEN ? THEN ? ELSE ? END
 WHEN ? OR ? OR ? THEN ?
 ELSE ? END`,
		a, s.UserID, p, p, a, p, s.UserID, full,
		a, rights.ActivityPersonal.String(), label,
		a, rights.ActivityOutOfOffice.String(), managers.expr(), full, label,
		managers.expr(), caseViewers.expr(), accountViewers.expr(), full,
		name)
}

// ActivityVisibilityColumn adds the ActivityVisibilityExpr of s to a query over activities
// (aliased alias) as the column named column (ACT-1..7, ACC-8, CASE-15).
func ActivityVisibilityColumn(s *rights.Subject, alias, column string) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.ColumnExpr("? AS ?", ActivityVisibilityExpr(s, alias), bun.Ident(column))
	}
}

// ActivityViewAtLeast limits a query over activities (aliased alias) to those s sees at level
// least or above. A search or filter on an activity's name must use VisibleName, and one on its
// content VisibleFull, or the filter itself would reveal what the row hides (ACT-2, ACT-5).
func ActivityViewAtLeast(s *rights.Subject, alias string, least rights.Visibility) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		if least == rights.VisibleLabel {
			return q
		}
		return q.Where("? >= ?", ActivityVisibilityExpr(s, alias), int(least))
	}
}

// ownerManagers is the condition "s manages the owner of the activity aliased alias" through
// the Users right: everyone's with all (USR-4, ACT-4), subordinates' from edit_subordinates
// (USR-2, ACT-4). One's own activities are decided before it is used.
func ownerManagers(s *rights.Subject, alias string) anyOf {
	switch {
	case s.Rights.Users == rights.UsersAll:
		return anyOf{all: true}
	case s.Rights.Users >= rights.UsersEditSubordinates && s.Subordinates.Len() > 0:
		var d anyOf
		d.add("?.owner_id IN (?)", bun.Ident(alias), in(s.Subordinates.IDs()))
		return d
	}
	return anyOf{}
}
