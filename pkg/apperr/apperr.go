// Package apperr is Caseroom's one domain error type with a small, closed set of codes.
// Stores and services return these; pkg/httpx turns a code into an HTTP status and a
// JSON:API error object in one place. Internal causes are kept for logs, never shown.
package apperr

import (
	"errors"
	"fmt"
	"time"
)

// Code classifies a domain error. The set is closed: add a code only with its HTTP mapping.
type Code string

// The codes. Each maps to exactly one HTTP status in pkg/httpx.
const (
	Invalid         Code = "invalid"         // 400: the request is malformed or breaks a rule of its own
	Unauthenticated Code = "unauthenticated" // 401
	Forbidden       Code = "forbidden"       // 403: the caller sees the object but may not act
	NotFound        Code = "not_found"       // 404: missing, or invisible to the caller
	Conflict        Code = "conflict"        // 409: the write collides with the current state
	Stale           Code = "stale"           // 412: optimistic-concurrency version mismatch
	TooLarge        Code = "too_large"       // 413
	Unprocessable   Code = "unprocessable"   // 422: well-formed but breaks an invariant (trees, profiles)
	RateLimited     Code = "rate_limited"    // 429
	Unavailable     Code = "unavailable"     // 503: storage or mail is down; nothing was lost
	Internal        Code = "internal"        // 500
)

// Error is a domain error. Reason names the rule IDs of RIGHTS.md that decided a denial.
type Error struct {
	Code    Code
	Detail  string // safe to show to the caller
	Pointer string // JSON pointer into the request document, if any
	Param   string // query parameter, if any
	Reason  string // rule IDs, e.g. "CASE-7"
	Err     error  // internal cause, logged only
	// RetryAfter tells a refused caller (429, 503) when trying again may succeed.
	RetryAfter time.Duration
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Detail, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Detail)
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, apperr.E(code, "")) match on the code alone.
func (e *Error) Is(target error) bool {
	var t *Error
	if errors.As(target, &t) {
		return t.Code == e.Code && (t.Detail == "" || t.Detail == e.Detail)
	}
	return false
}

// E builds an Error with a caller-safe detail.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// AtPointer returns a copy of e that points at a member of the request document.
func (e *Error) AtPointer(p string) *Error {
	c := *e
	c.Pointer = p
	return &c
}

// Because returns a copy of e that names the rules that decided it.
func (e *Error) Because(rules string) *Error {
	c := *e
	c.Reason = rules
	return &c
}

// Wrap returns an Internal error around cause, or cause itself when it already is a
// domain error.
func Wrap(cause error, op string) error {
	if cause == nil {
		return nil
	}
	var e *Error
	if errors.As(cause, &e) {
		return fmt.Errorf("%s: %w", op, cause)
	}
	return &Error{Code: Internal, Detail: "internal error", Err: fmt.Errorf("%s: %w", op, cause)}
}

// CodeOf returns the code of the first domain error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Sentinels for errors.Is checks in tests.
var (
	ErrNotFound  = &Error{Code: NotFound}
	ErrForbidden = &Error{Code: Forbidden}
	ErrStale     = &Error{Code: Stale}
	ErrInvalid   = &Error{Code: Invalid}
	ErrConflict  = &Error{Code: Conflict}
)
