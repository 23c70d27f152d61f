package soak

import (
	"bufio"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// settle is how long a replica may take after the run to return to its figures.
const settle = 40 * time.Second

// figures are what a replica's operator's listener (CASEROOM_ADMIN_ADDR) says of its
// runtime, read right after a garbage collection so that the heap is what is live.
type figures struct {
	goroutines, threads int64
	heapInuse           int64 // bytes
	gcCycles            int64
	rss                 int64 // bytes, from /proc
}

func (f figures) String() string {
	return fmt.Sprintf("%d goroutines, heap in use %.1f MiB, %d OS threads, %d GC cycles, RSS %d MiB",
		f.goroutines, float64(f.heapInuse)/(1<<20), f.threads, f.gcCycles, f.rss>>20)
}

// runtimeFigures asks r for a garbage collection, then for its figures.
func (r *replica) runtimeFigures() (figures, error) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post("http://"+r.admin+"/debug/gc", "", nil)
	if err != nil {
		return figures{}, fmt.Errorf("%s: %w", r.name, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		return figures{}, fmt.Errorf("%s: POST /debug/gc answered %d", r.name, resp.StatusCode)
	}
	if resp, err = client.Get("http://" + r.admin + "/metrics"); err != nil {
		return figures{}, fmt.Errorf("%s: %w", r.name, err)
	}
	defer resp.Body.Close()
	f := figures{rss: r.usage().RSS}
	into := map[string]*int64{"go_goroutines": &f.goroutines, "go_threads": &f.threads,
		"go_memstats_heap_inuse_bytes": &f.heapInuse, "go_gc_cycles_total": &f.gcCycles}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		name, value, _ := strings.Cut(sc.Text(), " ")
		if p := into[name]; p != nil {
			*p, _ = strconv.ParseInt(value, 10, 64)
		}
	}
	if f.goroutines == 0 || f.heapInuse == 0 {
		return f, fmt.Errorf("%s: no runtime figures in GET /metrics (%d)", r.name, resp.StatusCode)
	}
	return f, sc.Err()
}

// warmUp sends the load's mix through the balancers for d, so that the figures taken next
// are those of replicas that have served every kind of request: the caches of a program
// (types seen, routes, pooled connections) fill once, and a replica at the end of the run
// has served them all.
func warmUp(t *testing.T, st *stack, fx *fixture, d time.Duration, rate int) {
	t.Helper()
	l := newLoad(st, fx)
	attacker := vegeta.NewAttacker(vegeta.KeepAlive(true), vegeta.Timeout(time.Minute))
	for res := range attacker.Attack(vegeta.Targeter(l.target), vegeta.Rate{Freq: rate, Per: time.Second}, d, "warm-up") {
		l.record(res)
	}
	for _, f := range l.failures {
		t.Errorf("warm-up: %s", f)
	}
}

// idleFigures are every replica's figures with no request running, after a second's quiet.
func idleFigures(t *testing.T, st *stack) map[string]figures {
	t.Helper()
	httpClient.CloseIdleConnections()
	time.Sleep(time.Second)
	out := map[string]figures{}
	for _, r := range st.replicas() {
		f, err := r.runtimeFigures()
		if err != nil {
			t.Fatal(err)
		}
		out[r.name] = f
	}
	return out
}

// returned reports whether after is back within 10% of before: the heap in use, and the
// goroutines (rounded up, and one more for the balancer's health check that may be in
// flight at the moment of reading).
func returned(before, after figures) bool {
	return float64(after.heapInuse) <= 1.1*float64(before.heapInuse) &&
		float64(after.goroutines) <= math.Ceil(1.1*float64(before.goroutines))+1
}

// checkRuntime compares each replica's figures at the end of the run with those before
// the load (after a warm-up). Every replica is a new process by then (the rolling
// restart), which served the load and every fault since: what it holds once idle must not
// exceed what its predecessor held before, by more than 10% (and a health check). A
// replica gets up to settle to get there: the server's idle workers end after 10 s idle,
// checked every 10 s, and the balancer closes its idle connections over seconds.
func checkRuntime(t *testing.T, st *stack, before map[string]figures, sum *summary) {
	httpClient.CloseIdleConnections()
	for _, r := range st.replicas() {
		if resp, err := send("GET", r.url()+"/metrics", "", nil); err != nil || resp.status != http.StatusNotFound {
			t.Errorf("%s's public port answers GET /metrics with %d %v, want 404: the figures are the operator's", r.name, resp.status, err)
		}
	}
	time.Sleep(time.Second)
	for _, r := range st.replicas() {
		b := before[r.name]
		var first, a figures
		var err error
		began := time.Now()
		for {
			if a, err = r.runtimeFigures(); first.goroutines == 0 {
				first = a
			}
			if err != nil || returned(b, a) || time.Since(began) > settle {
				break
			}
			time.Sleep(time.Second)
		}
		if err != nil {
			t.Error(err)
			continue
		}
		line := fmt.Sprintf("%s: before the load %s; after the run %s", r.name, b, a)
		if a != first {
			line += fmt.Sprintf(" (settled in %s from %d goroutines, heap in use %.1f MiB)", time.Since(began).Round(time.Second),
				first.goroutines, float64(first.heapInuse)/(1<<20))
		}
		t.Log(line)
		sum.runtime = append(sum.runtime, line)
		if !returned(b, a) {
			t.Errorf("%s has not returned within 10%% (goroutines: and a health check) of its figures before the load after %s: before %s, after %s",
				r.name, time.Since(began).Round(time.Second), b, a)
		}
	}
}
