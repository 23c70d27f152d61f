package gen

import (
	"math"
	"math/rand/v2"
)

// shape lays out n nodes below a root so that the tree is levels deep below it: each node's
// fan-out is about the levels-th root of the nodes left below it, and sibling subtrees
// differ in size by about half. It returns each node's parent (-1 for the root), in an order
// where a parent comes before its children, so rows can be inserted in that order.
func shape(r *rand.Rand, n, levels int) []int {
	parents := make([]int, 0, n)
	var grow func(parent, n, levels int)
	grow = func(parent, n, levels int) {
		if n <= 0 {
			return
		}
		if levels <= 1 {
			for range n {
				parents = append(parents, parent)
			}
			return
		}
		k := int(math.Round(math.Pow(float64(n), 1/float64(levels))))
		k = min(max(k, 1), n)
		for _, size := range apportion(n, jitter(r, k), 1) {
			node := len(parents)
			parents = append(parents, parent)
			grow(node, size-1, levels-1)
		}
	}
	grow(-1, n, levels)
	return parents
}
