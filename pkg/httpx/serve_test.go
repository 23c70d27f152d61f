package httpx_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
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
