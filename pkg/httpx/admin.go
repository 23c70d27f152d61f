package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"time"
)

// ServeAdmin serves the operator's view of the process on addr (CASEROOM_ADMIN_ADDR) until
// ctx ends; "" serves nothing, the default. It answers
//
//	GET  /metrics   the runtime's figures in Prometheus text: goroutines, OS threads, heap in
//	                use, allocated and its objects, memory from the OS, GC cycles, memory limit
//	POST /debug/gc  a garbage collection now, so that the next figures show what is live
//
// It has no authentication and is not the service's public port, which never serves these:
// bind it to loopback or to a network only operators and their scraper reach. An address
// that cannot be bound is an error, before anything is served.
func ServeAdmin(ctx context.Context, addr string, log *slog.Logger) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("admin listener on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: AdminHandler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("admin listening", "addr", ln.Addr().String())
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("admin listener stopped", "addr", addr, "error", err)
		}
	}()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		srv.Shutdown(shutdown) //nolint:errcheck // the process is stopping; nothing waits on these
	}()
	return nil
}

// AdminHandler is what ServeAdmin serves.
func AdminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		writeRuntimeMetrics(w)
	})
	mux.HandleFunc("POST /debug/gc", func(w http.ResponseWriter, _ *http.Request) {
		runtime.GC()
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

// writeRuntimeMetrics writes the figures under the names Prometheus's Go client gives them,
// so that existing dashboards read them.
func writeRuntimeMetrics(w http.ResponseWriter) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	for _, f := range []struct {
		name, kind, help string
		value            uint64
	}{
		{"go_goroutines", "gauge", "Number of goroutines that currently exist.", uint64(runtime.NumGoroutine())},
		{"go_threads", "gauge", "Number of OS threads created.", uint64(pprof.Lookup("threadcreate").Count())},
		{"go_memstats_heap_inuse_bytes", "gauge", "Number of heap bytes that are in use.", m.HeapInuse},
		{"go_memstats_heap_alloc_bytes", "gauge", "Number of heap bytes allocated and still in use.", m.HeapAlloc},
		{"go_memstats_heap_objects", "gauge", "Number of allocated objects.", m.HeapObjects},
		{"go_memstats_sys_bytes", "gauge", "Number of bytes obtained from the OS.", m.Sys},
		{"go_gc_cycles_total", "counter", "Number of completed GC cycles.", uint64(m.NumGC)},
		{"go_gc_gomemlimit_bytes", "gauge", "Go runtime memory limit (GOMEMLIMIT).", uint64(max(debug.SetMemoryLimit(-1), 0))},
	} {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n%s %d\n", f.name, f.help, f.name, f.kind, f.name, f.value)
	}
}
