package gen

import (
	"context"
	"math"
	"strconv"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// supervisorLevels is the depth of the supervisor tree, the head included: head, division
// managers, department managers, team managers, team leads, staff.
const supervisorLevels = 6

// role is a user's place in the firm; it decides the profile and how often they own cases.
type role uint8

const (
	roleHead role = iota
	roleAdmin
	roleController
	roleManager // heads a unit
	roleLead    // leads people within a unit
	roleEmployee
)

// profile is the default profile a role holds (RIGHTS.md PRF-1).
func (r role) profile() string {
	switch r {
	case roleHead, roleAdmin:
		return rights.ProfileAdministrator
	case roleController:
		return rights.ProfileBusinessController
	case roleManager, roleLead:
		return rights.ProfileProjectManager
	}
	return rights.ProfileEmployee
}

// user is a generated employee of the firm.
type user struct {
	id         int64
	name       string
	email      string
	unit       int
	supervisor int // index of the supervisor; -1 for the head
	role       role
	price      int64
	cost       int64
	// reserved users are representative callers: no random case draws them as owner or
	// member, so that their memberships are the handful set by hand.
	reserved  bool
	overrides []model.RightOverride
}

// genUsers builds the supervisor tree over the units, picks the representative callers,
// gives a few users right overrides, and inserts users and overrides.
func (g *generator) genUsers(ctx context.Context) error {
	g.planUsers()
	if err := g.chooseCallers(); err != nil {
		return err
	}
	g.nameUsers()
	rows := make([]model.User, len(g.users))
	var overrides []model.RightOverride
	t := g.cal.at(0, 8)
	for i := range g.users {
		u := &g.users[i]
		rows[i] = model.User{ID: u.id, Email: u.email, Name: u.name, PasswordHash: g.hash, UnitID: g.units[u.unit].id,
			ProfileID: g.profiles[u.role.profile()], Active: true, HourlyPrice: u.price, HourlyCost: u.cost,
			Version: 1, CreatedAt: t, UpdatedAt: t}
		if u.supervisor >= 0 {
			rows[i].SupervisorID = &g.users[u.supervisor].id
		}
		for _, o := range u.overrides {
			o.UserID = u.id
			overrides = append(overrides, o)
		}
	}
	if err := insertRows(ctx, g.w, "users", rows); err != nil {
		return err
	}
	if err := insertRows(ctx, g.w, "right overrides", overrides); err != nil {
		return err
	}
	g.progress.report("users", len(rows), len(rows))
	return nil
}

// planUsers lays out the supervisor tree. Every unit has a manager who reports to the manager
// of the parent unit (the firm's manager is the head); business controllers report to the
// head; the other users are the staff of the leaf units, where team leads stand between the
// unit's manager and its staff so that the tree is supervisorLevels deep.
func (g *generator) planUsers() {
	n := g.sizes.Users
	g.users = make([]user, 0, n)
	for i := range g.units {
		sup, r := -1, roleHead
		if p := g.units[i].parent; p >= 0 {
			sup, r = g.units[p].manager, roleManager
		}
		g.units[i].manager = g.addUser(i, sup, r)
	}
	head := g.units[0].manager
	for range max(1, n/500) {
		g.addUser(0, head, roleController)
	}
	if n >= 200 {
		g.addUser(0, head, roleAdmin)
	}
	staff := n - len(g.users)
	for i, s := range g.staffCounts(staff) {
		g.addTeam(i, s)
	}
	for i := range g.users {
		g.users[i].price, g.users[i].cost = g.rates(g.users[i].role)
	}
}

// staffCounts spreads staff over the leaf units. The leaves of the first division get enough
// that its manager has about a tenth of the firm below them (the "supervisor of 500" of a
// firm of 5,000); the rest go to the other leaves, or to the firm's own unit if there are none.
func (g *generator) staffCounts(staff int) []int {
	counts := make([]int, len(g.units))
	target := int(math.Round(float64(g.sizes.Users) / 10))
	inDivision := min(max(target+1-g.units[1].size, 0), staff)
	var mine, others []int
	for i := range g.units {
		if len(g.units[i].children) > 0 {
			continue
		}
		if g.inSubtree(i, 1) {
			mine = append(mine, i)
		} else {
			others = append(others, i)
		}
	}
	if len(others) == 0 {
		others = []int{0}
	}
	for k, c := range apportion(inDivision, jitter(g.rng, len(mine)), 1) {
		counts[mine[k]] = c
	}
	for k, c := range apportion(staff-inDivision, jitter(g.rng, len(others)), 1) {
		counts[others[k]] += c
	}
	return counts
}

// addTeam adds the staff of unit u below its manager, in as many levels as the supervisor
// tree has left below the unit: those with people below them are team leads.
func (g *generator) addTeam(u, staff int) {
	parents := shape(g.rng, staff, max(1, supervisorLevels-g.units[u].depth))
	leads := make([]bool, staff)
	for _, p := range parents {
		if p >= 0 {
			leads[p] = true
		}
	}
	first := len(g.users)
	for i, p := range parents {
		sup, r := g.units[u].manager, roleEmployee
		if p >= 0 {
			sup = first + p
		}
		if leads[i] {
			r = roleLead
		}
		g.addUser(u, sup, r)
	}
}

// addUser appends a user and returns its index; the supervisor must come earlier, so that
// users can be inserted in order.
func (g *generator) addUser(unit, supervisor int, r role) int {
	g.users = append(g.users, user{id: g.seq.users.take(), unit: unit, supervisor: supervisor, role: r})
	return len(g.users) - 1
}

// rates draws the hourly price and cost of a role, in minor units (well within
// model.HourlyRateRange): seniors bill more, and cost is half to two thirds of the price.
func (g *generator) rates(r role) (price, cost int64) {
	lo, hi := 8000, 14000
	switch r {
	case roleHead:
		lo, hi = 25000, 25000
	case roleAdmin, roleController:
		lo, hi = 15000, 18000
	case roleManager:
		lo, hi = 14000, 20000
	case roleLead:
		lo, hi = 12000, 16000
	}
	price = int64(between(g.rng, lo/500, hi/500) * 500)
	cost = price * int64(between(g.rng, 50, 65)) / 100 / 100 * 100
	return price, cost
}

// nameUsers gives every user a name and a unique address at the firm's domain, and fills the
// units' member pools.
func (g *generator) nameUsers() {
	seen := map[string]int{}
	for i := range g.users {
		u := &g.users[i]
		u.name = oneOf(g.rng, firstNames) + " " + oneOf(g.rng, lastNames)
		local := mailbox(u.name)
		seen[local]++
		if n := seen[local]; n > 1 {
			local += strconv.Itoa(n)
		}
		u.email = local + "@" + firmDomain
		if u.reserved {
			continue
		}
		for x := u.unit; x >= 0; x = g.units[x].parent {
			g.units[x].pool = append(g.units[x].pool, i)
		}
	}
}
