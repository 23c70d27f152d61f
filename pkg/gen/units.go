package gen

import (
	"context"
	"fmt"

	"github.com/caseroom/caseroom/pkg/model"
)

// unitLevels is how many levels the unit tree has below its root: divisions, departments,
// teams.
const unitLevels = 3

// unit is a generated business unit (RIGHTS.md ORG-3).
type unit struct {
	id       int64
	name     string
	parent   int // index of the parent unit; -1 for the root
	depth    int // the root is 1
	children []int
	// size is how many units the subtree of this unit holds, itself included.
	size int
	// manager is the index of the user who heads the unit.
	manager int
	// pool holds the users of the unit and its sub-units that cases may draw members from.
	pool []int
}

// genUnits builds the unit tree: the firm at the root, then divisions, departments and teams.
// Unit 1 is the first division, whose manager becomes the supervisor of about a tenth of
// the firm.
func (g *generator) genUnits(ctx context.Context) error {
	parents := shape(g.rng, g.sizes.Units-1, unitLevels)
	g.units = make([]unit, 0, g.sizes.Units)
	g.units = append(g.units, unit{id: g.seq.units.take(), name: firmName, parent: -1, depth: 1})
	for _, p := range parents {
		p++ // shape numbers the nodes below the root from 0
		u := unit{id: g.seq.units.take(), parent: p, depth: g.units[p].depth + 1}
		u.name = g.unitName(p, len(g.units[p].children))
		g.units[p].children = append(g.units[p].children, len(g.units))
		g.units = append(g.units, u)
	}
	for i := len(g.units) - 1; i >= 0; i-- {
		g.units[i].size++
		if p := g.units[i].parent; p >= 0 {
			g.units[p].size += g.units[i].size
		}
	}
	rows := make([]model.BusinessUnit, len(g.units))
	t := g.cal.at(0, 8)
	for i, u := range g.units {
		rows[i] = model.BusinessUnit{ID: u.id, Name: u.name, Version: 1, CreatedAt: t, UpdatedAt: t}
		if u.parent >= 0 {
			rows[i].ParentID = &g.units[u.parent].id
		}
	}
	if err := insertRows(ctx, g.w, "units", rows); err != nil {
		return err
	}
	g.progress.report("units", len(rows), len(rows))
	return nil
}

// unitName names the nth child of unit parent: divisions after fields of work, departments
// after cities, teams after letters.
func (g *generator) unitName(parent, nth int) string {
	word := func(words []string) string {
		if nth < len(words) {
			return words[nth]
		}
		return fmt.Sprintf("%s %d", words[nth%len(words)], nth/len(words)+1)
	}
	switch p := g.units[parent]; p.depth {
	case 1:
		return word(divisionNames)
	case 2:
		return p.name + " " + word(placeNames)
	default:
		return p.name + " " + word(teamNames)
	}
}

// inSubtree reports whether unit i lies in the subtree of unit root (itself included); the
// tree is laid out depth first, so a subtree is a run of consecutive indices.
func (g *generator) inSubtree(i, root int) bool {
	return i >= root && i < root+g.units[root].size
}
