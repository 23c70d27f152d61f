package httpx

import (
	"errors"
	"log/slog"
	"regexp"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
)

const requestIDKey = "request_id"

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// RequestIDs keeps an incoming X-Request-ID that looks sane, or makes one, and echoes it.
func RequestIDs() fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Get("X-Request-ID")
		if !validRequestID.MatchString(id) {
			id = auth.RandomToken(12)
		}
		c.Locals(requestIDKey, id)
		c.Set("X-Request-ID", id)
		return c.Next()
	}
}

// RequestID returns the request's ID ("" outside RequestIDs).
func RequestID(c *fiber.Ctx) string {
	id, _ := c.Locals(requestIDKey).(string)
	return id
}

// AccessLog logs one line per request with its ID, route pattern, the status sent and the
// duration. An error is written by the app's error handler here, before the line is
// logged, so that the line has the status the client got. A refusal (400s but 404) also
// logs its error code and the rule IDs that decided it. Nothing of the body, the query or
// the headers is logged: passwords and tokens travel there.
func AccessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		var attrs []any
		if err := c.Next(); err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				_ = c.SendStatus(fiber.StatusInternalServerError)
			}
			attrs = refusal(err)
		}
		status := c.Response().StatusCode()
		// The route pattern, not the path: paths can carry secrets (an invite token in
		// /invite/<token>) that must not reach the logs.
		attrs = append([]any{"request_id", RequestID(c), "method", c.Method(), "route", c.Route().Path,
			"status", status, "duration_ms", time.Since(start).Milliseconds()}, attrs...)
		log.Info("request", attrs...)
		return nil
	}
}

// refusal names a refused request's error code and deciding rules for the access log.
func refusal(err error) []any {
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code == apperr.Internal {
		return nil
	}
	out := []any{"error", string(ae.Code)}
	if ae.Reason != "" {
		out = append(out, "rules", ae.Reason)
	}
	return out
}

// SecurityHeaders sets headers every response should carry.
func SecurityHeaders() fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("X-Frame-Options", "DENY")
		c.Set("Referrer-Policy", "no-referrer")
		c.Set("Cross-Origin-Opener-Policy", "same-origin")
		c.Set("Cache-Control", "no-store")
		return c.Next()
	}
}
