package soak

import (
	"fmt"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// restart is what happened to one replica during the rolling restart.
type restart struct {
	name          string
	outOfRotation time.Duration // from SIGTERM until HAProxy marked it DOWN (-1: never seen)
	stopped       time.Duration // from SIGTERM until the process exited
	backIn        time.Duration // from SIGTERM until HAProxy marked the new process UP
	fresh         usage         // the new process, once back in rotation
	warm          chan usage    // the new process, warmedUp after it is back in rotation
}

// warmedUp is how long a restarted replica serves the load before its memory is taken as
// the base that the end of the run is compared with.
const warmedUp = 5 * time.Second

func (r restart) String() string {
	out := "not seen"
	if r.outOfRotation >= 0 {
		out = r.outOfRotation.Round(time.Millisecond).String()
	}
	return fmt.Sprintf("%s: out of rotation after %s, exited after %s, back in rotation after %s", r.name, out,
		r.stopped.Round(time.Millisecond), r.backIn.Round(time.Millisecond))
}

// restartReplica stops r with SIGTERM as an orchestrator would, waits for it to exit,
// starts it again on the same address and waits until the balancer sends it traffic.
func restartReplica(st *stack, r *replica) (restart, error) {
	ev := restart{name: r.name, outOfRotation: -1, warm: make(chan usage, 1)}
	began := time.Now()
	seen := make(chan time.Duration, 1)
	exited := make(chan struct{})
	go func() {
		// The drain must take the replica out of rotation before its listener closes.
		for {
			select {
			case <-exited:
				seen <- -1
				return
			default:
			}
			if s, err := st.lb.status(r.name); err == nil && strings.HasPrefix(s, "DOWN") {
				seen <- time.Since(began)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	ev.stopped = r.stop(2 * shutdownGrace)
	close(exited)
	ev.outOfRotation = <-seen
	// A replacement takes a while to come; the service is on one replica meanwhile.
	time.Sleep(time.Second)
	if err := r.start(); err != nil {
		return ev, err
	}
	if err := r.waitReady(time.Minute); err != nil {
		return ev, err
	}
	if err := st.lb.waitStatus(r.name, "UP", 30*time.Second); err != nil {
		return ev, err
	}
	ev.backIn = time.Since(began)
	ev.fresh = r.usage()
	go func() {
		time.Sleep(warmedUp)
		ev.warm <- r.usage()
	}()
	return ev, nil
}

// drained reports whether the balancer took the replica out of rotation before it exited.
func (r restart) drained() bool { return r.outOfRotation >= 0 && r.outOfRotation <= r.stopped }

// testRollingRestart runs the load through the balancers for d at rate requests a second;
// from 15% of d on, each replica in turn is restarted. The SMTP server is down throughout,
// while a batch of invitations is shared (mailOutage). There must be no failed request,
// every 2xx write must read back, every invitation must wait in the outbox and go out
// once when the SMTP server is back, and no replica may end with more memory than it had
// before the load, give or take 10% and 24 MiB.
func testRollingRestart(t *testing.T, st *stack, fx *fixture, d time.Duration, rate int, sum *summary) {
	before := map[string]usage{}
	for _, r := range st.replicas() {
		before[r.name] = r.usage()
	}
	outage := prepareMailOutage(t, st, fx, sum.outageInvites)
	outage.stopSMTP()
	run := loadWithRestarts(st, fx, d, rate, outage.share)
	l, m := run.load, &run.load.metrics
	t.Logf("load: %d requests in %s (%d/s offered), %.1f/s answered 2xx; p50 %s, p99 %s, max %s; %d failed",
		m.Requests, run.elapsed.Round(time.Millisecond), rate, m.Throughput, m.Latencies.P50.Round(time.Microsecond),
		m.Latencies.P99.Round(time.Microsecond), m.Latencies.Max.Round(time.Microsecond), l.failed)
	t.Logf("by kind: %s", l.kindsReport())
	for _, ev := range run.restarts {
		t.Logf("restart %s", ev)
		if !ev.drained() {
			t.Errorf("%s: HAProxy did not take it out of rotation before it exited", ev.name)
		}
	}
	sum.load = fmt.Sprintf("%d requests in %s at %d/s: %.1f/s 2xx, p50 %s, p99 %s, %d failed; writes: %d hours, %d approvals, %d comments, %d uploads",
		m.Requests, run.elapsed.Round(time.Second), rate, m.Throughput, m.Latencies.P50.Round(time.Microsecond),
		m.Latencies.P99.Round(time.Microsecond), l.failed, len(l.hours), len(l.approved), len(l.comments), len(l.uploads))
	for _, f := range l.failures {
		t.Errorf("failed: %s", f)
	}
	if l.failed > 0 {
		t.Errorf("%d of %d requests failed during the rolling restart, want 0", l.failed, m.Requests)
	}
	if run.duringErr != nil {
		t.Error(run.duringErr)
	}
	if run.restartErr != nil {
		t.Fatalf("rolling restart: %v", run.restartErr)
	}
	t.Run("every write answered 2xx reads back", func(t *testing.T) { readBack(t, st, l) })
	t.Run("mail queued while SMTP is down goes out once when it is back", func(t *testing.T) { sum.outage = outage.check(t) })
	t.Run("memory returns", func(t *testing.T) { checkMemory(t, st, before, run.restarts, sum) })
}

// loadRun is what loadWithRestarts did.
type loadRun struct {
	load       *load
	restarts   []restart
	elapsed    time.Duration
	restartErr error // a replica that did not come back
	duringErr  error // what the work run beside the load returned
}

// loadWithRestarts runs the load for d, restarting api-1, portal-1, api-2 and portal-2 in
// turn from 15% of d on, spread over half of it; from 5% of d on, it runs during beside
// the load. The load lasts until the last replica is back and during has returned, if that
// is later. A replica that does not come back stops the restarts.
func loadWithRestarts(st *stack, fx *fixture, d time.Duration, rate int, during func() error) loadRun {
	run := loadRun{load: newLoad(st, fx)}
	l := run.load
	attacker := vegeta.NewAttacker(vegeta.Workers(8), vegeta.MaxWorkers(64), vegeta.KeepAlive(true),
		vegeta.Timeout(time.Minute), vegeta.Connections(64))
	began := time.Now()
	results := attacker.Attack(vegeta.Targeter(l.target), vegeta.Rate{Freq: rate, Per: time.Second}, 0, "soak")
	answered := make(chan struct{})
	go func() {
		for res := range results {
			l.record(res)
		}
		close(answered)
	}()
	beside := make(chan error, 1)
	go func() {
		time.Sleep(d * 5 / 100)
		beside <- during()
	}()
	order := []*replica{st.api[0], st.portal[0], st.api[1], st.portal[1]}
	for i, r := range order {
		time.Sleep(time.Until(began.Add(d*15/100 + time.Duration(i)*d*50/100/time.Duration(len(order)))))
		ev, err := restartReplica(st, r)
		run.restarts = append(run.restarts, ev)
		if run.restartErr = err; err != nil {
			break
		}
	}
	time.Sleep(time.Until(began.Add(d)))
	run.duringErr = <-beside
	attacker.Stop()
	<-answered
	l.metrics.Close()
	run.elapsed = time.Since(began)
	return run
}

// checkMemory compares each replica's resident memory after the load with two bases: its
// memory before the load, and its memory once warmed up after its restart. Every replica
// is a new process by the end, so the first compares two processes (the old one had hashed
// invitation passwords, 64 MiB each); the second is the same process, which served the
// load from then on. Neither may be exceeded by more than 10% and 24 MiB.
func checkMemory(t *testing.T, st *stack, before map[string]usage, restarts []restart, sum *summary) {
	time.Sleep(5 * time.Second) // let requests' garbage be collected
	fresh, warm := map[string]usage{}, map[string]usage{}
	for _, ev := range restarts {
		fresh[ev.name], warm[ev.name] = ev.fresh, <-ev.warm
	}
	const slack = 24 << 20
	over := func(after, base usage) bool { return float64(after.RSS) > 1.1*float64(base.RSS)+slack }
	for _, r := range st.replicas() {
		b, f, w, a := before[r.name], fresh[r.name], warm[r.name], r.usage()
		line := fmt.Sprintf("%s: RSS %d MiB before the load; restarted: %d MiB when back, %d MiB warmed up, %d MiB after the load; "+
			"OS threads %d; %d, %d, %d", r.name, b.RSS>>20, f.RSS>>20, w.RSS>>20, a.RSS>>20, b.Threads, f.Threads, w.Threads, a.Threads)
		t.Log(line)
		sum.memory = append(sum.memory, line)
		if over(a, b) {
			t.Errorf("%s ends with %d MiB, more than 10%% + 24 MiB over the %d MiB before the load", r.name, a.RSS>>20, b.RSS>>20)
		}
		if over(a, w) {
			t.Errorf("%s ends with %d MiB, more than 10%% + 24 MiB over the %d MiB once warmed up", r.name, a.RSS>>20, w.RSS>>20)
		}
	}
}
