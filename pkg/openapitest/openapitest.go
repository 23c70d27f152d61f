// Package openapitest validates HTTP exchanges against a service's OpenAPI document with
// kin-openapi, so that an undocumented field, parameter or status fails the test that
// produced it.
package openapitest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

func init() {
	openapi3filter.RegisterBodyDecoder("application/vnd.api+json", openapi3filter.JSONBodyDecoder)
}

// Validator checks requests and responses against one document.
type Validator struct {
	router routers.Router
}

// New loads and validates spec, failing t if the document itself is invalid.
func New(t testing.TB, spec []byte) *Validator {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		t.Fatalf("load OpenAPI document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("OpenAPI document is invalid: %v", err)
	}
	doc.Servers = nil // match any host
	r, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("route OpenAPI document: %v", err)
	}
	return &Validator{router: r}
}

// Check fails t unless the request and the response are both what the document allows.
// Requests that the server is expected to refuse (wrong media type, malformed bodies,
// unknown parameters) may not match their schemas: pass strictRequest=false for those;
// the response is still checked.
func (v *Validator) Check(t testing.TB, req *http.Request, reqBody []byte, status int, header http.Header, respBody []byte, strictRequest bool) {
	t.Helper()
	if err := v.Validate(req, reqBody, status, header, respBody, strictRequest); err != nil {
		t.Error(err)
	}
}

// Validate is Check without a testing.TB: it returns what does not match.
func (v *Validator) Validate(req *http.Request, reqBody []byte, status int, header http.Header, respBody []byte, strictRequest bool) error {
	ctx := context.Background()
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s %s is not in the OpenAPI document: %w", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			MultiError:         true,
		},
	}
	if strictRequest {
		r2 := req.Clone(ctx)
		r2.Body = io.NopCloser(bytes.NewReader(reqBody))
		in.Request = r2
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("%s %s: request does not match the OpenAPI document: %w", req.Method, req.URL.Path, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(respBody)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("%s %s → %d: response does not match the OpenAPI document: %w\nbody: %s", req.Method, req.URL.Path, status, err, truncate(respBody))
	}
	return nil
}

// ValidateRequest checks the request alone, body included, and returns what does not match.
// A test uses it to show that the document itself refuses a request, for example a value
// outside a documented range, and not only the server.
func (v *Validator) ValidateRequest(req *http.Request, body []byte) error {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%s %s is not in the OpenAPI document: %w", req.Method, req.URL.Path, err)
	}
	r2 := req.Clone(context.Background())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: r2, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
	})
}

func truncate(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}
