package auth

import (
	"sync/atomic"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// Every argon2id computation takes DefaultArgon2.Memory (64 MiB) for its duration, so a
// burst of logins, wanted or not, would take as much memory as it has callers. The gate
// lets a few run at once per process; the rest wait a little for a slot and are then
// refused with ErrBusy, which a load balancer or client retries elsewhere or later.
const (
	// DefaultHashConcurrency is how many password hashes run at once per process: two keep
	// a replica's peak near 2 × 64 MiB above its base and use both cores of a small host.
	DefaultHashConcurrency = 2
	// DefaultHashWait is how long a caller waits for a slot before ErrBusy.
	DefaultHashWait = 3 * time.Second
)

// ErrBusy refuses a password check or hash when every slot stayed taken for the wait:
// 503 with Retry-After.
var ErrBusy = &apperr.Error{Code: apperr.Unavailable, RetryAfter: time.Second,
	Detail: "Too many sign-ins are being checked at this moment. Try again in a second."}

type gate struct {
	slots chan struct{}
	wait  time.Duration
}

var hashGate atomic.Pointer[gate]

func init() { SetHashConcurrency(DefaultHashConcurrency, DefaultHashWait) }

// SetHashConcurrency sets how many password hashes may run at once in this process and how
// long a caller waits for a slot (CASEROOM_HASH_CONCURRENCY, CASEROOM_HASH_WAIT). Call it at
// start-up, before serving.
func SetHashConcurrency(n int, wait time.Duration) {
	hashGate.Store(&gate{slots: make(chan struct{}, max(1, n)), wait: wait})
}

// withSlot runs f in a slot of the gate, or answers ErrBusy.
func withSlot(f func()) error {
	g := hashGate.Load()
	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-timer.C:
		return ErrBusy
	}
	defer func() { <-g.slots }()
	f()
	return nil
}
