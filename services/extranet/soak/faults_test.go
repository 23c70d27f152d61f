package soak

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// testMinIOFault stops MinIO: uploads and downloads on every replica answer 503 with a
// JSON:API error; once MinIO is back they work again, and every file row has its object.
func testMinIOFault(t *testing.T, st *stack, fx *fixture) {
	st.minio.kill()
	defer func() {
		if st.minio.exited() { // the test failed before MinIO was started again
			st.minio.up() //nolint:errcheck // best effort for the tests after this one
		}
	}()
	down := time.Now()
	type probe struct{ name, method, url string }
	var probes []probe
	for _, p := range st.portal {
		probes = append(probes, probe{p.name + " upload", "POST", p.url() + "/portal/v1/cases/" + fx.caseID + "/files"},
			probe{p.name + " download", "GET", p.url() + "/portal/v1/files/" + fx.fileID + "/download"})
	}
	for _, a := range st.api {
		probes = append(probes, probe{a.name + " download", "GET", a.url() + "/api/v1/files/" + fx.fileID + "/content"})
	}
	var wg sync.WaitGroup
	for _, p := range probes {
		wg.Go(func() {
			began := time.Now()
			var r reply
			var err error
			switch {
			case p.method == "POST":
				r, err = upload(p.url, fx.ainoToken, "soak-during-outage.txt", []byte("lost?\n"))
			case strings.Contains(p.url, "/portal/"):
				r, err = send("GET", p.url, fx.ainoToken, nil)
			default:
				r, err = send("GET", p.url, fx.carl, nil)
			}
			switch {
			case err != nil:
				t.Errorf("%s with MinIO down: %v", p.name, err)
			case r.status != http.StatusServiceUnavailable || !r.isJSONAPIError() || leaksInternals(r.raw):
				t.Errorf("%s with MinIO down: %d %s, want 503 with a JSON:API error", p.name, r.status, tail(string(r.raw), 300))
			default:
				t.Logf("%s with MinIO down: 503 %s after %s", p.name, r.header.Get("Content-Type"), time.Since(began).Round(time.Millisecond))
			}
		})
	}
	wg.Wait()
	// Readiness is the database alone (platform.Ready): the balancers keep every replica in
	// rotation, and serve what needs no file.
	for _, r := range st.replicas() {
		if s, err := st.lb.status(r.name); err != nil || s != "UP" {
			t.Errorf("%s with MinIO down: HAProxy says %q (%v), want UP: readiness is the database alone", r.name, s, err)
		}
	}
	call(t, "GET", st.lb.apiURL+"/api/v1/cases/"+fx.caseID, fx.carl, nil).must(t, http.StatusOK)
	call(t, "GET", st.lb.portalURL+"/portal/v1/cases/"+fx.caseID, fx.ainoToken, nil).must(t, http.StatusOK)

	if err := st.minio.up(); err != nil {
		t.Fatal(err)
	}
	t.Logf("MinIO was down for %s", time.Since(down).Round(time.Millisecond))
	for _, r := range st.replicas() {
		if err := st.lb.waitStatus(r.name, "UP", 30*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	content := []byte("after the outage " + randomHex(8) + "\n")
	r, err := upload(st.lb.portalURL+"/portal/v1/cases/"+fx.caseID+"/files", fx.ainoToken, "soak-after-outage.txt", content)
	if err != nil {
		t.Fatal(err)
	}
	id := r.must(t, http.StatusCreated).id()
	if got := call(t, "GET", st.lb.portalURL+"/portal/v1/files/"+id+"/download", fx.ainoToken, nil).must(t, 200).raw; !bytes.Equal(got, content) {
		t.Fatalf("downloaded %q, want %q", got, content)
	}
	checkEveryRowHasItsObject(t, st)
}

// checkEveryRowHasItsObject reads every stored file's object from MinIO: no row may point
// at content that is not there, and the sizes must agree.
func checkEveryRowHasItsObject(t *testing.T, st *stack) {
	t.Helper()
	ctx := context.Background()
	var rows []struct {
		ID   int64  `bun:"id"`
		Key  string `bun:"storage_key"`
		Size int64  `bun:"size_bytes"`
	}
	if err := st.db.NewRaw("SELECT id, storage_key, size_bytes FROM files WHERE storage_key IS NOT NULL").Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	store := st.minio.store(t)
	for _, row := range rows {
		rc, _, err := store.Get(ctx, row.Key)
		if err != nil {
			t.Errorf("file %d: no object %s: %v", row.ID, row.Key, err)
			continue
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil || n != row.Size {
			t.Errorf("file %d: object %s has %d bytes (%v), the row says %d", row.ID, row.Key, n, err, row.Size)
		}
	}
	t.Logf("%d file rows, each with its object", len(rows))
}

// testPostgresFault terminates every PostgreSQL connection of the services twice while
// requests run through the balancers. Requests that meet a dead connection may fail, but
// only with 503 and a JSON:API error that shows nothing internal, and every replica
// answers again within seconds, without a restart. (A killed connection fails every
// request that takes it from the pool next, not only those in flight.)
func testPostgresFault(t *testing.T, st *stack, fx *fixture) {
	pids := map[string]int{}
	for _, r := range st.replicas() {
		pids[r.name] = r.pid()
	}
	reqs := []func() (reply, error){
		func() (reply, error) { return send("GET", st.lb.apiURL+"/api/v1/cases/"+fx.caseID, fx.carl, nil) },
		func() (reply, error) {
			return send("GET", st.lb.apiURL+"/api/v1/work-hours?filter[case]="+fx.caseID+"&page[size]=20", fx.carl, nil)
		},
		func() (reply, error) {
			return send("POST", st.lb.apiURL+"/api/v1/work-hours", fx.fay, resource("work-hours", "", map[string]any{
				"workDate": time.Now().Format(time.DateOnly), "minutes": 5, "description": "soak during a database fault"},
				map[string]any{"case": rel("cases", fx.caseID)}))
		},
		func() (reply, error) {
			return send("GET", st.lb.portalURL+"/portal/v1/cases/"+fx.caseID, fx.ainoToken, nil)
		},
	}
	stop := make(chan struct{})
	got := make(chan *outcomes)
	go func() { got <- hammer(reqs, 8, stop) }()
	killed := 0
	for range 2 {
		time.Sleep(time.Second)
		killed += terminateBackends(t, st)
	}
	time.Sleep(time.Second)
	close(stop)
	o := <-got
	t.Logf("%d connections terminated; answers during the fault: %v", killed, sortedCounts(o.statuses))

	t.Run("every replica answers again within seconds, without a restart", func(t *testing.T) {
		for _, r := range st.replicas() {
			if err := recovers(st, fx, r, 10*time.Second); err != nil {
				t.Error(err)
			}
			if r.pid() != pids[r.name] {
				t.Errorf("%s was restarted", r.name)
			}
		}
	})
	checkFailedAnswers(t, o, "during the fault")
}

// checkFailedAnswers is what the requests sent during a database fault may answer: 2xx,
// or 503 with a JSON:API error that shows nothing internal.
func checkFailedAnswers(t *testing.T, o *outcomes, during string) {
	t.Run("failed requests answer a JSON:API error, never an internal detail", func(t *testing.T) {
		for _, b := range o.internal {
			t.Errorf("%s: %s", during, b)
		}
	})
	t.Run("failed requests answer 503, not 500", func(t *testing.T) {
		for i, b := range o.bad {
			if i == 10 {
				t.Errorf("… %d more", len(o.bad)-10)
				break
			}
			t.Errorf("%s: %s", during, b)
		}
	})
}

// outcomes sorts the answers of requests sent during a fault.
type outcomes struct {
	mu       sync.Mutex
	statuses map[string]int // "2xx", "503 JSON:API", other statuses, "transport error"
	bad      []string       // every answer but 2xx and a 503 with a JSON:API error
	internal []string       // answers that are no JSON:API error, or show internals
}

// hammer sends reqs round robin from workers goroutines until stop is closed.
func hammer(reqs []func() (reply, error), workers int, stop chan struct{}) *outcomes {
	o := &outcomes{statuses: map[string]int{}}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r, err := reqs[i%len(reqs)]()
				o.add(r, err)
			}
		})
	}
	wg.Wait()
	return o
}

func (o *outcomes) add(r reply, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case err != nil:
		o.statuses["transport error"]++
		o.bad = append(o.bad, err.Error())
		o.internal = append(o.internal, err.Error())
	case r.status >= 200 && r.status < 300:
		o.statuses["2xx"]++
	case r.status == http.StatusServiceUnavailable && r.isJSONAPIError() && !leaksInternals(r.raw):
		o.statuses["503 JSON:API"]++
	default:
		o.statuses[fmt.Sprint(r.status)]++
		what := fmt.Sprintf("%d via %s: %s", r.status, r.header.Get("X-Soak-Server"), tail(string(r.raw), 300))
		o.bad = append(o.bad, what)
		if !r.isJSONAPIError() || leaksInternals(r.raw) {
			o.internal = append(o.internal, what)
		}
	}
}

// terminateBackends ends every connection to the services' database but the harness's.
func terminateBackends(t *testing.T, st *stack) int {
	t.Helper()
	var n int
	err := st.admin.NewRaw(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = ? AND pid <> pg_backend_pid() AND application_name <> ?) AS t`, st.dbName, harnessApp).Scan(context.Background(), &n)
	if err != nil {
		t.Fatalf("pg_terminate_backend: %v", err)
	}
	return n
}

// recovers waits until r answers a database read 200, directly.
func recovers(st *stack, fx *fixture, r *replica, timeout time.Duration) error {
	u, token := r.url()+"/api/v1/cases/"+fx.caseID, fx.carl
	if r.service == "portal" {
		u, token = r.url()+"/portal/v1/cases/"+fx.caseID, fx.ainoToken
	}
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		rep, err := send("GET", u, token, nil)
		if err == nil && rep.status == http.StatusOK {
			return nil
		}
		last = fmt.Sprintf("%d %v %s", rep.status, err, tail(string(rep.raw), 200))
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s has not recovered after %s: %s", r.name, timeout, last)
}

// leaksInternals reports whether an error answer shows what users must never see: a
// stack, a driver's or the database's own words.
func leaksInternals(body []byte) bool {
	s := string(body)
	for _, w := range []string{"goroutine ", ".go:", "SQLSTATE", "FATAL", "pq:", "pgdriver", "panic"} {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func sortedCounts(m map[string]int) string {
	var out []string
	for k, n := range m {
		out = append(out, fmt.Sprintf("%s: %d", k, n))
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
