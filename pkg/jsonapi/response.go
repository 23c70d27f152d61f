package jsonapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// WriteDocument writes doc with the given status and the JSON:API content
// type.
func WriteDocument(c *fiber.Ctx, status int, doc Document) error {
	body, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("jsonapi: encode document: %w", err)
	}
	c.Set(fiber.HeaderContentType, MediaType)
	return c.Status(status).Send(body)
}

// Created writes doc with 201 Created and a Location header pointing at the
// new resource, as JSON:API requires after a successful POST.
func Created(c *fiber.Ctx, doc Document, location string) error {
	if location != "" {
		c.Set(fiber.HeaderLocation, location)
	}
	return WriteDocument(c, http.StatusCreated, doc)
}

// NoContent writes 204 No Content, e.g. after a DELETE.
func NoContent(c *fiber.Ctx) error {
	return c.SendStatus(http.StatusNoContent)
}

// Write writes err as an error document
// {"errors":[...],"jsonapi":{"version":"1.1"}} with err's status. A nil or
// empty err is a programming mistake and is written as a generic 500.
func Write(c *fiber.Ctx, err *Error) error {
	if err == nil || len(err.Objects) == 0 || err.Status < 400 {
		err = Internal("")
	}
	return WriteDocument(c, err.Status, Document{Errors: err.Objects})
}

// ErrorHandler returns a fiber.ErrorHandler that writes every error as a
// JSON:API error document: an *Error as is, a *fiber.Error (unknown route,
// wrong method, body too large, ...) with its status, and anything else via
// internal, which should log the error and return a generic *Error such as
// Internal(requestID). A nil internal yields Internal("").
func ErrorHandler(internal func(c *fiber.Ctx, err error) *Error) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		var je *Error
		if errors.As(err, &je) {
			return Write(c, je)
		}
		var fe *fiber.Error
		if errors.As(err, &fe) && fe.Code >= 400 && fe.Code < 500 {
			return Write(c, New(fe.Code, httpCode(fe.Code), http.StatusText(fe.Code)))
		}
		if internal != nil {
			return Write(c, internal(c, err))
		}
		return Write(c, Internal(""))
	}
}

// httpCode derives a stable code from a status the router produced.
func httpCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "route_not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "body_too_large"
	}
	return fmt.Sprintf("http_%d", status)
}
