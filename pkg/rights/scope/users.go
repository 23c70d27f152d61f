package scope

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// UserView limits a query over users to those s may see in the user directory: all of them.
// Decision (the lead's): every employee sees the directory (names, units, supervisors), as
// the calendar shows everyone's activities (ACT-1) and cases name their owner and members
// (ORG-4). The Users right (USR-1..4) governs managing users and their hours, activities and
// absences, not seeing that they exist; user data in the change history stays with
// rights.DecideHistory (USR-1, USR-2). s and alias are unused.
func UserView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return all
}
