package portal

import (
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/openapi"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// Deps are what the portal needs from main.
type Deps struct {
	DB     *bun.DB
	Log    *slog.Logger
	Tokens *auth.Issuer // audience auth.AudienceExtranet
	Now    func() time.Time
}

// New builds the portal's HTTP app.
func New(d Deps) *fiber.App {
	app := fiber.New(fiber.Config{
		AppName:               "caseroom-extranet",
		ErrorHandler:          httpx.ErrorHandler(d.Log),
		DisableStartupMessage: true,
		BodyLimit:             32 << 20,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
	})
	app.Use(recover.New())
	app.Use(httpx.RequestIDs(), httpx.AccessLog(d.Log), httpx.SecurityHeaders())
	httpx.Health(app, func(ctx context.Context) error { return db.Ping(ctx, d.DB) })
	app.Get("/openapi.yaml", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/yaml")
		return c.Send(openapi.Extranet)
	})
	api := app.Group("/portal/v1", jsonapi.Negotiate())
	api.Use(func(c *fiber.Ctx) error {
		return jsonapi.NotFound("route_not_found", "No such route.")
	})
	return app
}
