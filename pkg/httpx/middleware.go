package httpx

import (
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

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

// AccessLog logs one line per request with its ID, route pattern, status and duration.
func AccessLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		status := c.Response().StatusCode()
		if err != nil {
			// The error handler has not run yet; derive the status it will write.
			if fe, ok := err.(*fiber.Error); ok {
				status = fe.Code
			}
		}
		// The route pattern, not the path: paths can carry secrets (an invite token in
		// /invite/<token>) that must not reach the logs.
		log.Info("request", "request_id", RequestID(c), "method", c.Method(), "route", c.Route().Path,
			"status", status, "duration_ms", time.Since(start).Milliseconds())
		return err
	}
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

// FormText refuses a url-encoded form whose names or values are not UTF-8 or hold NUL
// characters: databases refuse such text, so it is a client error here, answered with a 400,
// rather than a server error later. JSON:API bodies and query strings get the same check in
// pkg/jsonapi.
func FormText() fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationForm) {
			return c.Next()
		}
		values, err := url.ParseQuery(string(c.Body()))
		if err != nil {
			return apperr.E(apperr.Invalid, "The form is not correctly encoded.")
		}
		for k, vs := range values {
			for _, v := range append(vs, k) {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					return apperr.E(apperr.Invalid, "Form fields must be text without NUL characters.")
				}
			}
		}
		return c.Next()
	}
}
