package scope

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// TravelView limits a query over travel reimbursements (aliased alias) to those s may view, as
// rights.DecideTravel(s, rights.TravelView, …) decides; the travel report uses it too. Nothing
// while the feature is off or with level none (TRV-1); one's own from create (TRV-2);
// subordinates' with approve_subordinates (TRV-3); those of users in the own unit with
// approve_own_unit (TRV-4); everyone's with approve_all (TRV-5). The user's unit is read
// through a subquery on users.
func TravelView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	sc := rights.ViewableTravel(s)
	d := anyOf{all: sc.All}
	if len(sc.UserIDs) > 0 {
		d.add("?.user_id IN (?)", bun.Ident(alias), in(sc.UserIDs))
	}
	if len(sc.UserUnitIDs) > 0 {
		d.add("?", userInUnits(alias, sc.UserUnitIDs))
	}
	return d.apply
}
