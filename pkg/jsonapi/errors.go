package jsonapi

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// ErrorObject is one entry of a document's "errors" array.
type ErrorObject struct {
	ID     string       `json:"id,omitempty"`
	Status string       `json:"status,omitempty"`
	Code   string       `json:"code,omitempty"`
	Title  string       `json:"title,omitempty"`
	Detail string       `json:"detail,omitempty"`
	Source *ErrorSource `json:"source,omitempty"`
	Meta   Meta         `json:"meta,omitempty"`
}

// ErrorSource points at the part of the request that caused an error. Only
// one of the members is normally set.
type ErrorSource struct {
	// Pointer is a JSON Pointer into the request document, e.g.
	// "/data/attributes/title".
	Pointer string `json:"pointer,omitempty"`
	// Parameter is the query parameter name, e.g. "include" or
	// "filter[status]".
	Parameter string `json:"parameter,omitempty"`
	// Header is the request header name, e.g. "Content-Type".
	Header string `json:"header,omitempty"`
}

// Error is the Go error every parser and middleware in this package returns
// for a client mistake. It carries the HTTP status and the error objects to
// send, so a handler can simply `return jsonapi.Write(c, err)`.
//
// Values are treated as immutable: the With* methods return a copy, which
// makes package-level error values safe to decorate.
type Error struct {
	// Status is the HTTP status of the response.
	Status int
	// Objects holds at least one error object.
	Objects []ErrorObject
}

// New returns an *Error with a single object whose title is the standard
// text for status. Code should be one of the Code* constants or another
// short stable string; detail is shown to the client and must not contain
// internal information.
func New(status int, code, detail string) *Error {
	return &Error{Status: status, Objects: []ErrorObject{{
		Status: strconv.Itoa(status),
		Code:   code,
		Title:  http.StatusText(status),
		Detail: detail,
	}}}
}

// BadRequest returns a 400 error.
func BadRequest(code, detail string) *Error { return New(http.StatusBadRequest, code, detail) }

// Unauthorized returns a 401 error.
func Unauthorized(code, detail string) *Error { return New(http.StatusUnauthorized, code, detail) }

// Forbidden returns a 403 error. Use it only when the caller may see the
// object; an invisible object is NotFound.
func Forbidden(code, detail string) *Error { return New(http.StatusForbidden, code, detail) }

// NotFound returns a 404 error.
func NotFound(code, detail string) *Error { return New(http.StatusNotFound, code, detail) }

// NotAcceptable returns a 406 error.
func NotAcceptable(code, detail string) *Error { return New(http.StatusNotAcceptable, code, detail) }

// Conflict returns a 409 error.
func Conflict(code, detail string) *Error { return New(http.StatusConflict, code, detail) }

// PreconditionFailed returns a 412 error.
func PreconditionFailed(code, detail string) *Error {
	return New(http.StatusPreconditionFailed, code, detail)
}

// UnsupportedMediaType returns a 415 error.
func UnsupportedMediaType(code, detail string) *Error {
	return New(http.StatusUnsupportedMediaType, code, detail)
}

// Unprocessable returns a 422 error.
func Unprocessable(code, detail string) *Error {
	return New(http.StatusUnprocessableEntity, code, detail)
}

// TooManyRequests returns a 429 error.
func TooManyRequests(code, detail string) *Error {
	return New(http.StatusTooManyRequests, code, detail)
}

// Internal returns a 500 error whose detail only names the request ID, so
// the client can quote it and an operator can find the log line.
func Internal(requestID string) *Error {
	detail := "An internal error occurred."
	if requestID != "" {
		detail += " Request ID: " + requestID
	}
	e := New(http.StatusInternalServerError, CodeInternal, detail)
	e.Objects[0].ID = requestID
	return e
}

// Error implements error. The text is for logs and tests, not for clients.
func (e *Error) Error() string {
	if e == nil || len(e.Objects) == 0 {
		return "jsonapi: error without objects"
	}
	parts := make([]string, len(e.Objects))
	for i, o := range e.Objects {
		parts[i] = o.Code
		if o.Detail != "" {
			parts[i] += ": " + o.Detail
		}
	}
	return fmt.Sprintf("jsonapi %d: %s", e.Status, strings.Join(parts, "; "))
}

// Code returns the code of the first error object, which is what callers
// usually switch on.
func (e *Error) Code() string {
	if e == nil || len(e.Objects) == 0 {
		return ""
	}
	return e.Objects[0].Code
}

// HasCode reports whether any error object carries code.
func (e *Error) HasCode(code string) bool {
	if e == nil {
		return false
	}
	for _, o := range e.Objects {
		if o.Code == code {
			return true
		}
	}
	return false
}

// clone returns a deep enough copy for the With* methods to edit the last
// object without touching the receiver.
func (e *Error) clone() *Error {
	c := &Error{Status: e.Status, Objects: make([]ErrorObject, len(e.Objects))}
	for i, o := range e.Objects {
		if o.Source != nil {
			s := *o.Source
			o.Source = &s
		}
		c.Objects[i] = o
	}
	return c
}

// editLast returns a copy of e with fn applied to its last object.
func (e *Error) editLast(fn func(o *ErrorObject)) *Error {
	c := e.clone()
	if len(c.Objects) == 0 {
		return c
	}
	fn(&c.Objects[len(c.Objects)-1])
	return c
}

// WithPointer sets source.pointer on the last error object.
func (e *Error) WithPointer(pointer string) *Error {
	return e.editLast(func(o *ErrorObject) { o.Source = &ErrorSource{Pointer: pointer} })
}

// WithParameter sets source.parameter on the last error object.
func (e *Error) WithParameter(name string) *Error {
	return e.editLast(func(o *ErrorObject) { o.Source = &ErrorSource{Parameter: name} })
}

// WithHeader sets source.header on the last error object.
func (e *Error) WithHeader(name string) *Error {
	return e.editLast(func(o *ErrorObject) { o.Source = &ErrorSource{Header: name} })
}

// WithMeta sets meta on the last error object.
func (e *Error) WithMeta(meta Meta) *Error {
	return e.editLast(func(o *ErrorObject) { o.Meta = meta })
}

// WithID sets the id (typically the request ID) on every error object.
func (e *Error) WithID(id string) *Error {
	c := e.clone()
	for i := range c.Objects {
		c.Objects[i].ID = id
	}
	return c
}

// Join merges several errors into one response. The status is the shared
// status when all agree, otherwise the most general class status (400 for
// client errors, 500 if any server error is present), as JSON:API asks.
// Nil entries are skipped; Join returns nil when nothing is left.
func Join(errs ...*Error) *Error {
	var out *Error
	for _, e := range errs {
		if e == nil {
			continue
		}
		if out == nil {
			out = &Error{Status: e.Status}
		} else if out.Status != e.Status {
			out.Status = generalStatus(out.Status, e.Status)
		}
		out.Objects = append(out.Objects, e.clone().Objects...)
	}
	return out
}

// generalStatus picks the status that covers both a and b.
func generalStatus(a, b int) int {
	if a >= 500 || b >= 500 {
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}
