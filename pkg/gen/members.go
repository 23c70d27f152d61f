package gen

import (
	"math/rand/v2"
	"slices"
)

// memberTail draws how many members a case has besides its owner: most cases have one to
// three members in all, a few have dozens.
func memberTail(r *rand.Rand) int {
	switch x := r.Float64(); {
	case x < 0.40:
		return 0
	case x < 0.70:
		return 1
	case x < 0.85:
		return 2
	case x < 0.95:
		return between(r, 3, 5)
	case x < 0.99:
		return between(r, 6, 12)
	}
	return between(r, 20, 60)
}

// planMembers gives case c its owner and other members: mostly people of the owner's unit
// and its sub-units, some from anywhere in the firm. Reserved callers are never drawn.
func (g *generator) planMembers(c *kase) {
	want := 1 + memberTail(g.rng)
	c.members = append(make([]int, 0, want), c.owner)
	local, firm := g.units[c.unit].pool, g.units[0].pool
	for tries := 0; len(c.members) < want && tries < 4*want; tries++ {
		from := firm
		if chance(g.rng, 0.7) && len(local) > 1 {
			from = local
		}
		if u := from[g.rng.IntN(len(from))]; !slices.Contains(c.members, u) {
			c.members = append(c.members, u)
		}
	}
}

// addReservedMembers makes each reserved caller a member of a handful of cases.
func (g *generator) addReservedMembers() {
	for _, u := range []int{g.callers.member, g.callers.accountsNone, g.callers.noFinancials} {
		for added := 0; added < min(handful, len(g.cases)); {
			c := &g.cases[g.rng.IntN(len(g.cases))]
			if !slices.Contains(c.members, u) {
				c.members = append(c.members, u)
				added++
			}
		}
	}
}
