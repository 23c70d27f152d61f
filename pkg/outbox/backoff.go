package outbox

import "time"

// ExponentialBackoff returns a Worker.Backoff that waits base after the first failure,
// doubles with every further one and never waits longer than max.
func ExponentialBackoff(base, max time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		if attempt < 1 {
			attempt = 1
		}
		d := base
		for i := 1; i < attempt; i++ {
			if d >= max/2 {
				return max
			}
			d *= 2
		}
		return min(d, max)
	}
}
