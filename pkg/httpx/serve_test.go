package httpx_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/httpx"
)

// A service that cannot bind its port says so, and never "listening"; one that can says
// "listening" on the address it bound, and stops when its context ends.
func TestServeSaysListeningOnlyOnceBound(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	app := fiber.New(fiber.Config{AppName: "caseroom-test", DisableStartupMessage: true})
	err = httpx.Serve(context.Background(), app, taken.Addr().String(), time.Second, log)
	if err == nil || strings.Contains(logs.String(), "listening") {
		t.Fatalf("serving on a taken port: %v; log: %s", err, logs.String())
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- httpx.Serve(ctx, fiber.New(fiber.Config{AppName: "caseroom-test", DisableStartupMessage: true}), "127.0.0.1:0", time.Second, log)
	}()
	for !strings.Contains(logs.String(), "caseroom-test listening") {
		select {
		case err := <-done:
			t.Fatalf("Serve ended: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

// syncBuffer is a log the test reads while the server writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A stopping service that a balancer watches says "not ready" on /readyz while it still
// serves everything else, for a quarter of its grace; only then does its listener close.
func TestServeDrainsBeforeClosing(t *testing.T) {
	const grace = 2 * time.Second // a drain of 500 ms
	app := fiber.New(fiber.Config{AppName: "caseroom-test", DisableStartupMessage: true})
	httpx.Health(app, func(context.Context) error { return nil })
	app.Get("/work", func(c *fiber.Ctx) error { return c.SendString("done") })
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- httpx.Serve(ctx, app, addr, grace, slog.New(slog.DiscardHandler)) }()
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	status := func(path string) int {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for status("/readyz") != http.StatusOK {
		time.Sleep(10 * time.Millisecond)
	}
	stopped := time.Now()
	cancel()
	time.Sleep(50 * time.Millisecond)
	if got := status("/readyz"); got != http.StatusServiceUnavailable {
		t.Fatalf("/readyz while draining: %d, want 503", got)
	}
	if got := status("/work"); got != http.StatusOK {
		t.Fatalf("a request while draining: %d, want 200", got)
	}
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if took := time.Since(stopped); took < 500*time.Millisecond || took > grace {
		t.Fatalf("stopped after %s, want the 500 ms drain and less than the grace", took)
	}
	if got := status("/work"); got != 0 {
		t.Fatalf("a request after the stop: %d, want a refused connection", got)
	}
}

// Nobody asked /readyz, so no balancer is watching: the service stops at once.
func TestServeSkipsTheDrainWithoutWatchers(t *testing.T) {
	app := fiber.New(fiber.Config{AppName: "caseroom-test", DisableStartupMessage: true})
	httpx.Health(app, func(context.Context) error { return nil })
	var logs syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- httpx.Serve(ctx, app, "127.0.0.1:0", 20*time.Second, slog.New(slog.NewTextHandler(&logs, nil)))
	}()
	for !strings.Contains(logs.String(), "listening") {
		time.Sleep(10 * time.Millisecond)
	}
	stopped := time.Now()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if took := time.Since(stopped); took > time.Second || strings.Contains(logs.String(), "draining") {
		t.Fatalf("stopped after %s (log: %s), want at once without a drain", took, logs.String())
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
