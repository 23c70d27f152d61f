package httpx_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/httpx"
)

// The admin handler's figures follow the runtime: more goroutines, more GC cycles.
func TestAdminHandler(t *testing.T) {
	srv := httptest.NewServer(httpx.AdminHandler())
	defer srv.Close()
	before := mustMetrics(t, srv.URL)
	for _, name := range []string{"go_goroutines", "go_threads", "go_memstats_heap_inuse_bytes", "go_memstats_heap_alloc_bytes",
		"go_memstats_heap_objects", "go_memstats_sys_bytes", "go_gc_cycles_total", "go_gc_gomemlimit_bytes"} {
		if before[name] <= 0 && name != "go_gc_cycles_total" {
			t.Errorf("%s = %d, want a positive figure", name, before[name])
		}
	}

	stop := make(chan struct{})
	for range 20 {
		go func() { <-stop }()
	}
	resp, err := http.Post(srv.URL+"/debug/gc", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /debug/gc: %d, want 204", resp.StatusCode)
	}
	after := mustMetrics(t, srv.URL)
	close(stop)
	if after["go_goroutines"] < before["go_goroutines"]+20 {
		t.Errorf("goroutines %d → %d with 20 more running", before["go_goroutines"], after["go_goroutines"])
	}
	if after["go_gc_cycles_total"] <= before["go_gc_cycles_total"] {
		t.Errorf("GC cycles %d → %d across POST /debug/gc", before["go_gc_cycles_total"], after["go_gc_cycles_total"])
	}

	for _, tt := range []struct{ method, path string }{{"GET", "/debug/gc"}, {"POST", "/metrics"}, {"GET", "/"}, {"GET", "/debug/pprof/"}} {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("%s %s: %d, want it refused", tt.method, tt.path, resp.StatusCode)
		}
	}
}

// ServeAdmin serves nothing without an address, fails on an address it cannot bind, and
// stops with its context.
func TestServeAdmin(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	if err := httpx.ServeAdmin(context.Background(), "", log); err != nil {
		t.Fatalf("ServeAdmin without an address: %v", err)
	}
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := taken.Addr().String()
	if err := httpx.ServeAdmin(context.Background(), addr, log); err == nil {
		t.Fatal("ServeAdmin on a taken address succeeded")
	}
	taken.Close()

	ctx, cancel := context.WithCancel(context.Background())
	if err := httpx.ServeAdmin(ctx, addr, log); err != nil {
		t.Fatal(err)
	}
	if m := mustMetrics(t, "http://"+addr); m["go_goroutines"] <= 0 {
		t.Fatalf("metrics over TCP: %v", m)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the admin listener still accepts connections after its context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mustMetrics reads GET /metrics into name → value, checking the Prometheus text format.
func mustMetrics(t *testing.T, base string) map[string]int64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /metrics: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	out := map[string]int64{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		n, err := strconv.ParseInt(value, 10, 64)
		if !ok || err != nil {
			t.Fatalf("not a Prometheus sample: %q", line)
		}
		out[name] = n
	}
	return out
}
