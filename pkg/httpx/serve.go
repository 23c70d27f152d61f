package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// Mount adds what every Caseroom service serves besides its own routes: request IDs,
// access logs, panic recovery and security headers for every request, /healthz, /readyz (ready
// checks the dependencies) and the service's OpenAPI document at /openapi.yaml.
func Mount(app *fiber.App, log *slog.Logger, ready func(context.Context) error, spec []byte) {
	// Recovery sits inside the access log, so that a panic is logged with the 500 it became.
	app.Use(RequestIDs(), AccessLog(log), recover.New(), SecurityHeaders())
	Health(app, ready)
	app.Get("/openapi.yaml", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/yaml")
		return c.Send(spec)
	})
}

// TrustProxies configures cfg for a load balancer in front of the service: with proxies
// (addresses or CIDR ranges, config.Infrastructure.TrustedProxies), the client address
// (c.IP(), used by the per-address login limits) is read from X-Forwarded-For, but only on
// requests that come from one of those proxies. Without any, the direct peer is the client.
func TrustProxies(cfg *fiber.Config, proxies []string) {
	if len(proxies) == 0 {
		return
	}
	cfg.TrustedProxies = append(cfg.TrustedProxies, proxies...)
	cfg.EnableTrustedProxyCheck = true
	cfg.ProxyHeader = fiber.HeaderXForwardedFor
	cfg.EnableIPValidation = true
}

// Health mounts /healthz (the process is up) and /readyz (ready calls every dependency the
// service cannot work without; any error answers 503). Once Serve has begun to stop the
// app, /readyz answers 503 whatever the dependencies say (see Serve).
func Health(app *fiber.App, ready func(context.Context) error) {
	st := readinessOf(app)
	app.Get("/healthz", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok"})
	})
	app.Get("/readyz", func(c *fiber.Ctx) error {
		st.asked.Store(true)
		if st.draining.Load() {
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "stopping"})
		}
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
		return c.JSON(fiber.Map{"status": "ready"})
	})
}

// readiness is what /readyz of one app and Serve share: whether anyone watches readiness,
// and whether the app is stopping.
type readiness struct {
	asked, draining atomic.Bool
}

// readinesses maps an app to its readiness without keeping the app alive: Mount and
// Serve take the app alone, and tests build thousands of apps that are never served.
var readinesses sync.Map // weak.Pointer[fiber.App] → *readiness

func readinessOf(app *fiber.App) *readiness {
	key := weak.Make(app)
	if st, ok := readinesses.Load(key); ok {
		return st.(*readiness)
	}
	st, loaded := readinesses.LoadOrStore(key, &readiness{})
	if !loaded {
		runtime.AddCleanup(app, func(k weak.Pointer[fiber.App]) { readinesses.Delete(k) }, key)
	}
	return st.(*readiness)
}

// maxDrain bounds the drain of a stopping service (see Serve).
const maxDrain = 5 * time.Second

// drainTime is the part of grace a stopping service spends draining: a quarter of it, at
// most maxDrain. It comes out of grace, so the whole stop still takes at most grace, which
// is what the deployment's stop timeout is sized for (deploy/kubernetes).
func drainTime(grace time.Duration) time.Duration {
	return min(grace/4, maxDrain)
}

// Serve binds addr, says so in the log, and runs app until ctx ends; then it stops within
// grace. An address that cannot be bound is an error before anything says "listening".
//
// Stopping drains first when anyone has asked the app's /readyz (a load balancer or an
// orchestrator watches it): for drainTime(grace) /readyz answers 503 while every other
// request is still served, so that the balancer takes the replica out of rotation before
// its listener closes, and no client meets a refused connection or a request cut off.
// Then it stops accepting connections and waits the rest of grace for requests in flight.
// Without a watcher there is no one to tell, and the drain is skipped.
func Serve(ctx context.Context, app *fiber.App, addr string, grace time.Duration, log *slog.Logger, attrs ...any) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	log.Info(app.Config().AppName+" listening", append([]any{"addr", ln.Addr().String()}, attrs...)...)
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	st := readinessOf(app)
	if drain := drainTime(grace); drain > 0 && st.asked.Load() {
		st.draining.Store(true)
		log.Info("draining: not ready, still serving", "addr", addr, "drain", drain.String())
		select {
		case err := <-errc:
			return err
		case <-time.After(drain):
		}
		grace -= drain
	}
	log.Info("shutting down", "addr", addr)
	if err := app.ShutdownWithTimeout(grace); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
