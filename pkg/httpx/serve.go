package httpx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"time"

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
// service cannot work without; any error answers 503).
func Health(app *fiber.App, ready func(context.Context) error) {
	app.Get("/healthz", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok"})
	})
	app.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
		return c.JSON(fiber.Map{"status": "ready"})
	})
}

// Serve binds addr, says so in the log, and runs app until ctx ends; then it stops accepting
// connections and waits up to grace for requests in flight. An address that cannot be bound
// is an error before anything says "listening".
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
	log.Info("shutting down", "addr", addr)
	if err := app.ShutdownWithTimeout(grace); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
