package rights

import (
	"math/bits"
	"slices"
)

// Org indexes the supervisor tree (ORG-1, ORG-2) and the unit tree (ORG-3) once, so that many
// subjects can be built from it cheaply. It is immutable and safe for concurrent use; build a
// new one when a supervisor or a unit parent changes.
type Org struct {
	users tree
	units tree
}

// NewOrg indexes supervisorOf (user id → supervisor id, 0 for the head) and unitParentOf
// (unit id → parent unit id, 0 for the root). A parent missing from its map counts as none.
func NewOrg(supervisorOf, unitParentOf map[int64]int64) *Org {
	return &Org{users: newTree(supervisorOf), units: newTree(unitParentOf)}
}

// Subordinates returns every user below userID, directly or indirectly (ORG-2), without userID.
func (o *Org) Subordinates(userID int64) Set { return o.users.descendants(userID, false) }

// UnitClosure returns unitID and all its sub-units: the "own unit" of ORG-3.
func (o *Org) UnitClosure(unitID int64) Set { return o.units.descendants(unitID, true) }

// Subject returns a Subject for the user with its organisation sets filled in (ORG-2, ORG-3).
// The caller sets MemberOf, ProfileID, APIAccess and Settings.
func (o *Org) Subject(userID, unitID int64, r Rights) Subject {
	return Subject{
		UserID:       userID,
		Rights:       r,
		UnitID:       unitID,
		OwnUnits:     o.UnitClosure(unitID),
		Subordinates: o.Subordinates(userID),
	}
}

// Subordinates returns every user below userID in supervisorOf (ORG-2). It indexes the whole
// map on each call: use an Org to build many subjects.
func Subordinates(userID int64, supervisorOf map[int64]int64) Set {
	t := newTree(supervisorOf)
	return t.descendants(userID, false)
}

// UnitClosure returns unitID and all its sub-units in parentOf (ORG-3). It indexes the whole
// map on each call: use an Org to build many subjects.
func UnitClosure(unitID int64, parentOf map[int64]int64) Set {
	t := newTree(parentOf)
	return t.descendants(unitID, true)
}

// tree is a forest in compressed form: node i has id ids[i] (ascending), and its children are
// kids[start[i]:start[i+1]]. Because indexes follow id order, a bitmap of indexes turns into a
// sorted id list without sorting.
type tree struct {
	ids   []int64
	start []int32
	kids  []int32
}

func newTree(parentOf map[int64]int64) tree {
	ids := make([]int64, 0, len(parentOf))
	for id := range parentOf {
		if id != 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	n := len(ids)
	parent := make([]int32, n)
	start := make([]int32, n+1)
	for i, id := range ids {
		parent[i] = -1
		p := parentOf[id]
		if j, ok := slices.BinarySearch(ids, p); ok && p != 0 && j != i {
			parent[i] = int32(j)
			start[j+1]++
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	kids := make([]int32, start[n])
	next := slices.Clone(start[:n])
	for i, p := range parent {
		if p >= 0 {
			kids[next[p]] = int32(i)
			next[p]++
		}
	}
	return tree{ids: ids, start: start, kids: kids}
}

func (t *tree) children(i int32) []int32 { return t.kids[t.start[i]:t.start[i+1]] }

// descendants returns the ids below id, plus id itself when self is set. Bad data (a cycle)
// cannot loop: each node is visited once.
func (t *tree) descendants(id int64, self bool) Set {
	i, ok := slices.BinarySearch(t.ids, id)
	if !ok || len(t.children(int32(i))) == 0 {
		if self && id != 0 {
			return sortedSet([]int64{id})
		}
		return Set{}
	}
	seen := make([]uint64, (len(t.ids)+63)/64)
	stack := []int32{int32(i)}
	count := 0
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, k := range t.children(v) {
			if seen[k/64]&(1<<(k%64)) == 0 {
				seen[k/64] |= 1 << (k % 64)
				count++
				stack = append(stack, k)
			}
		}
	}
	if self != (seen[i/64]&(1<<(i%64)) != 0) {
		seen[i/64] ^= 1 << (i % 64)
		if self {
			count++
		} else {
			count--
		}
	}
	out := make([]int64, 0, count)
	for w, word := range seen {
		for word != 0 {
			b := bits.TrailingZeros64(word)
			out = append(out, t.ids[w*64+b])
			word &= word - 1
		}
	}
	return sortedSet(out)
}
