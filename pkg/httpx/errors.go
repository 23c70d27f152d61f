// Package httpx is the HTTP plumbing both services share: request IDs, access logs,
// security headers, health endpoints, graceful serving and the one place where domain
// errors become HTTP statuses and JSON:API error objects.
package httpx

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

var statusOf = map[apperr.Code]int{
	apperr.Invalid:         http.StatusBadRequest,
	apperr.Unauthenticated: http.StatusUnauthorized,
	apperr.Forbidden:       http.StatusForbidden,
	apperr.NotFound:        http.StatusNotFound,
	apperr.Conflict:        http.StatusConflict,
	apperr.Stale:           http.StatusPreconditionFailed,
	apperr.TooLarge:        http.StatusRequestEntityTooLarge,
	apperr.Unprocessable:   http.StatusUnprocessableEntity,
	apperr.RateLimited:     http.StatusTooManyRequests,
	apperr.Unavailable:     http.StatusServiceUnavailable,
	apperr.Internal:        http.StatusInternalServerError,
}

// ToJSONAPI turns any error into a JSON:API error. Domain errors keep their detail, pointer
// and rule reason; anything else becomes a generic 500 that names only the request ID,
// and is logged with its cause.
func ToJSONAPI(log *slog.Logger, requestID string, err error) *jsonapi.Error {
	var je *jsonapi.Error
	if errors.As(err, &je) {
		return je
	}
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code != apperr.Internal {
		status, ok := statusOf[ae.Code]
		if !ok {
			status = http.StatusInternalServerError
		}
		out := jsonapi.New(status, string(ae.Code), ae.Detail)
		if ae.Pointer != "" {
			out = out.WithPointer(ae.Pointer)
		}
		if ae.Param != "" {
			out = out.WithParameter(ae.Param)
		}
		if ae.Reason != "" {
			out = out.WithMeta(jsonapi.Meta{"rules": ae.Reason})
		}
		if ae.Code == apperr.Unavailable && ae.Err != nil {
			log.Warn("dependency unavailable", "request_id", requestID, "err", ae.Err)
		}
		return out
	}
	if db.IsTimeout(err) {
		log.Warn("query timed out", "request_id", requestID, "err", err)
		return jsonapi.New(http.StatusServiceUnavailable, string(apperr.Unavailable),
			"The request took too long and was stopped; narrow it (a filter, a smaller page) or try again.")
	}
	if db.IsConnectionLost(err) {
		log.Warn("database connection lost", "request_id", requestID, "err", err)
		return jsonapi.New(http.StatusServiceUnavailable, string(apperr.Unavailable),
			"The database connection was lost; try again in a moment.")
	}
	log.Error("internal error", "request_id", requestID, "err", err)
	return jsonapi.Internal(requestID)
}

// ErrorHandler is the fiber error handler of both services.
func ErrorHandler(log *slog.Logger) fiber.ErrorHandler {
	return jsonapi.ErrorHandler(func(c *fiber.Ctx, err error) *jsonapi.Error {
		SetRetryAfter(c, err)
		return ToJSONAPI(log, RequestID(c), err)
	})
}

// SetRetryAfter sets the Retry-After header (whole seconds, at least 1) of a refusal that
// says when to try again.
func SetRetryAfter(c *fiber.Ctx, err error) {
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(max(1, (ae.RetryAfter+time.Second-1)/time.Second))))
	}
}
