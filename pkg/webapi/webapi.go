// Package webapi holds what the HTTP layers of both services' JSON:APIs share beyond the
// plumbing of pkg/httpx: the fiber app they are built on, the :id of a path, the binding of
// a request document, and the sessions resource of logging in.
package webapi

import (
	"context"
	"io/fs"
	"log/slog"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// App describes a service's fiber app.
type App struct {
	Name   string             // fiber's AppName
	Errors fiber.ErrorHandler // how an error becomes an answer
	// Limits are the request body limits (the caller mounts httpx.Bodies(Limits) itself, after
	// any middleware of its own that must see every answer).
	Limits         httpx.BodyLimits
	TrustedProxies []string // the load balancers whose X-Forwarded-For is believed
	Log            *slog.Logger
	Ready          func(context.Context) error // the dependencies /readyz checks
	Spec           []byte                      // the OpenAPI document served at /openapi.yaml
	Docs           fs.FS                       // the documentation site (httpx.Docs)
}

// NewApp builds the app both services start from: two-minute read and write timeouts, bodies
// streamed within a.Limits (httpx.StreamingConfig), X-Forwarded-For believed from the trusted
// proxies only, and the routes every service serves (httpx.Mount, httpx.Docs).
func NewApp(a App) *fiber.App {
	cfg := fiber.Config{
		AppName:               a.Name,
		ErrorHandler:          a.Errors,
		DisableStartupMessage: true,
		ReadTimeout:           2 * time.Minute,
		WriteTimeout:          2 * time.Minute,
	}
	httpx.StreamingConfig(&cfg, a.Limits)
	httpx.TrustProxies(&cfg, a.TrustedProxies)
	app := fiber.New(cfg)
	httpx.Mount(app, a.Log, a.Ready, a.Spec)
	httpx.Docs(app, a.Docs)
	return app
}

// PathID parses the :id parameter; a malformed id is simply a missing object (404 "No what
// …").
func PathID(c *fiber.Ctx, what string) (int64, error) {
	raw := c.Params("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.E(apperr.NotFound, "No %s %q.", what, raw)
	}
	return id, nil
}

// Bind parses the request's single-resource document of type typ (and id, "" for a new
// resource) and binds it into dst, a request struct (jsonapi.Incoming.Bind): strict, so an
// unknown attribute is a 400, and nothing is bound on any error.
func Bind(c *fiber.Ctx, typ, id string, dst any, opts ...jsonapi.BindOptions) error {
	in, err := jsonapi.ParseResource(c.Body(), typ, id)
	if err != nil {
		return err
	}
	return in.Bind(dst, opts...)
}
