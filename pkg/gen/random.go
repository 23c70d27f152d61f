package gen

import (
	"math"
	"math/rand/v2"
	"sort"
)

// picker draws indices in proportion to their weights; an index of weight zero is never
// drawn. It is how the long tails come about: a few accounts with many cases, a few cases
// with many hours.
type picker struct{ cum []float64 }

func newPicker(weights []float64) picker {
	cum := make([]float64, len(weights))
	total := 0.0
	for i, w := range weights {
		total += max(w, 0)
		cum[i] = total
	}
	return picker{cum: cum}
}

// empty reports whether no index can be drawn.
func (p picker) empty() bool { return len(p.cum) == 0 || p.cum[len(p.cum)-1] == 0 }

// pick draws one index; the picker must not be empty.
func (p picker) pick(r *rand.Rand) int {
	x := r.Float64() * p.cum[len(p.cum)-1]
	return sort.Search(len(p.cum), func(i int) bool { return p.cum[i] > x })
}

// lognormal draws a positive number whose logarithm is normal: most draws near e^mu, a few
// far above.
func lognormal(r *rand.Rand, mu, sigma float64) float64 {
	return math.Exp(mu + sigma*r.NormFloat64())
}

// between draws an integer in lo..hi.
func between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// jitter returns weights of about one, each between 0.5 and 1.5.
func jitter(r *rand.Rand, n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 + r.Float64()
	}
	return w
}

// apportion splits total into len(weights) whole parts in proportion to the weights (largest
// remainders get the leftovers), after giving each part floor first if total allows it.
func apportion(total int, weights []float64, floor int) []int {
	parts := make([]int, len(weights))
	if len(weights) == 0 {
		return parts
	}
	if total >= floor*len(weights) {
		for i := range parts {
			parts[i] = floor
		}
		total -= floor * len(weights)
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	given := 0
	rest := make([]float64, len(weights))
	for i, w := range weights {
		share := float64(total) * w / sum
		parts[i] += int(share)
		given += int(share)
		rest[i] = share - math.Floor(share)
	}
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rest[order[a]] > rest[order[b]] })
	for i := 0; given < total; i++ {
		parts[order[i%len(order)]]++
		given++
	}
	return parts
}
