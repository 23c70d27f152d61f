package gen

import (
	"fmt"

	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// callers are the indices of the representative users whose logins the benchmarks use.
type callers struct {
	head, supervisor500, ownUnitManager, member, accountsNone, noFinancials int
}

// handful is how many cases each reserved caller is a member of.
const handful = 6

// chooseCallers picks the representative callers and hands out the right overrides
// (RIGHTS.md ORG-5):
//   - head: the top of the supervisor tree, an Administrator (as the demo's head);
//   - supervisor500: the first division's manager, a project manager with about a tenth of
//     the firm below them;
//   - ownUnitManager: a department's manager, a project manager with Cases own_unit;
//   - member, accountsNone, noFinancials: employees without people below them, members of a
//     handful of cases only, the latter two with Accounts none and Cases member_no_financials.
//
// A few other users get the same and other overrides, so that the benchmarks' callers are
// not the only ones of their kind.
func (g *generator) chooseCallers() error {
	c := &g.callers
	c.head = g.units[0].manager
	c.supervisor500 = g.units[1].manager
	c.ownUnitManager = g.ownUnitManager()
	var employees []int
	for i, u := range g.users {
		if u.role == roleEmployee {
			employees = append(employees, i)
		}
	}
	if len(employees) < 3 {
		return fmt.Errorf("%w: only %d employees without people below them, want 3 for the callers; add users", ErrSizes, len(employees))
	}
	picked := map[int]bool{}
	draw := func() int {
		for {
			if i := employees[g.rng.IntN(len(employees))]; !picked[i] {
				picked[i] = true
				return i
			}
		}
	}
	c.member, c.accountsNone, c.noFinancials = draw(), draw(), draw()
	for _, i := range []int{c.member, c.accountsNone, c.noFinancials} {
		g.users[i].reserved = true
	}
	g.override(c.ownUnitManager, rights.ColCases, "own_unit")
	g.override(c.accountsNone, rights.ColAccounts, "none")
	g.override(c.noFinancials, rights.ColCases, "member_no_financials")
	g.moreOverrides(employees)
	return nil
}

// ownUnitManager returns the manager of the first unit below a division that has sub-units
// of its own (a department), or failing that of any unit but the firm and the first
// division, or failing that a team lead.
func (g *generator) ownUnitManager() int {
	for _, want := range []func(u unit) bool{
		func(u unit) bool { return u.depth == 3 && len(u.children) > 0 },
		func(u unit) bool { return len(u.children) > 0 },
		func(unit) bool { return true },
	} {
		for i := 2; i < len(g.units); i++ {
			if want(g.units[i]) {
				return g.units[i].manager
			}
		}
	}
	for i, u := range g.users {
		if u.role == roleLead {
			return i
		}
	}
	return g.units[1].manager
}

// moreOverrides gives about one employee in a hundred each of Accounts none and Cases
// member_no_financials, one in two hundred Join cases no, every tenth department manager Cases
// and approval own_unit, and one team lead in twenty self-and-subordinates approval.
// Reserved callers and the first division's manager keep exactly what chooseCallers gave.
func (g *generator) moreOverrides(employees []int) {
	free := func(i int) bool { return !g.users[i].reserved && len(g.users[i].overrides) == 0 }
	for _, o := range []struct {
		right, value string
		every        int
	}{
		{rights.ColAccounts, "none", 100}, {rights.ColCases, "member_no_financials", 100}, {rights.ColJoinCases, "no", 200},
	} {
		for range len(employees) / o.every {
			if i := employees[g.rng.IntN(len(employees))]; free(i) {
				g.override(i, o.right, o.value)
			}
		}
	}
	for k, u := range g.units {
		if m := u.manager; k > 1 && k%10 == 0 && len(u.children) > 0 && m != g.callers.ownUnitManager {
			g.override(m, rights.ColCases, "own_unit")
			g.override(m, rights.ColApproval, "own_unit")
		}
	}
	for i, u := range g.users {
		if u.role == roleLead && i%20 == 0 && free(i) {
			g.override(i, rights.ColApproval, "self_and_subordinates")
		}
	}
}

// override gives user i one right override; the user's id is filled in at insert.
func (g *generator) override(i int, right, value string) {
	g.users[i].overrides = append(g.users[i].overrides, model.RightOverride{RightName: right, Value: value})
}

// logins returns the shared password and the representative callers' addresses.
func (g *generator) logins() *Logins {
	email := func(i int) string { return g.users[i].email }
	c := g.callers
	return &Logins{Password: demo.Password, Callers: Callers{
		Head: email(c.head), Supervisor500: email(c.supervisor500), OwnUnitManager: email(c.ownUnitManager),
		Member: email(c.member), AccountsNone: email(c.accountsNone), NoFinancials: email(c.noFinancials),
	}}
}
