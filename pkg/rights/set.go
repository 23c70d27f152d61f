package rights

import "slices"

// Set is an immutable set of ids kept as a sorted slice, so that Has is a binary search that
// allocates nothing and IDs can go straight into an SQL IN list. The zero value is empty.
type Set struct {
	ids []int64
}

// NewSet returns the set of the given ids (duplicates are dropped; ids is not retained).
func NewSet(ids ...int64) Set {
	s := slices.Clone(ids)
	slices.Sort(s)
	return Set{ids: slices.Compact(s)}
}

// sortedSet wraps ids that are already sorted and unique, without copying.
func sortedSet(ids []int64) Set { return Set{ids: ids} }

// Has reports whether id is in the set.
func (s Set) Has(id int64) bool {
	_, ok := slices.BinarySearch(s.ids, id)
	return ok
}

// Len returns the number of ids.
func (s Set) Len() int { return len(s.ids) }

// IDs returns the ids in ascending order. The slice is shared: callers must not modify it.
func (s Set) IDs() []int64 { return s.ids }

// With returns a new set holding s and id.
func (s Set) With(id int64) Set {
	i, ok := slices.BinarySearch(s.ids, id)
	if ok {
		return s
	}
	return Set{ids: slices.Insert(slices.Clone(s.ids), i, id)}
}
