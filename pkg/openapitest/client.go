package openapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// MediaType is the JSON:API media type.
const MediaType = "application/vnd.api+json"

// Call is one request to a service under test: the one harness both services' tests share.
type Call struct {
	Method, Path, Token string
	// Body is marshalled to JSON unless it is []byte or string.
	Body any
	// ContentType is the body's type; the JSON:API media type when empty.
	ContentType string
	Header      map[string]string // extra headers
	// Lax marks a request that is deliberately off the document; the response is still checked.
	Lax bool
	// Raw marks a route outside the document (pages): no JSON:API Accept and no check at all.
	Raw bool
}

// Response is one answer, with its body decoded when it is JSON.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	Doc    map[string]any
}

// Do sends c to app and checks the exchange against the document (unless c.Raw).
func (v *Validator) Do(t testing.TB, app *fiber.App, c Call) Response {
	t.Helper()
	var raw []byte
	switch b := c.Body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest(c.Method, c.Path, bytes.NewReader(raw))
	if raw != nil {
		ct := c.ContentType
		if ct == "" {
			ct = MediaType
		}
		req.Header.Set("Content-Type", ct)
	}
	if !c.Raw {
		req.Header.Set("Accept", MediaType)
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	for k, val := range c.Header {
		req.Header.Set(k, val)
	}
	if c.Raw {
		return Send(t, app, nil, req, raw, false)
	}
	return Send(t, app, v, req, raw, !c.Lax)
}

// Send runs req against app and, when v is not nil, checks the exchange against the document
// (strict: the request must follow it too).
func Send(t testing.TB, app *fiber.App, v *Validator, req *http.Request, raw []byte, strict bool) Response {
	t.Helper()
	validationReq := req.Clone(context.Background())
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil {
		v.Check(t, validationReq, raw, resp.StatusCode, resp.Header, body, strict)
	}
	out := Response{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if len(body) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(body, &out.Doc); err != nil {
			t.Fatalf("%s %s: response is not JSON: %v\n%s", req.Method, req.URL, err, body)
		}
	}
	return out
}

// ErrorCode returns the code of the first error object.
func (r Response) ErrorCode() string {
	errs, _ := r.Doc["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	code, _ := errs[0].(map[string]any)["code"].(string)
	return code
}

// Data returns the primary resource of a single-resource document.
func (r Response) Data() map[string]any {
	d, _ := r.Doc["data"].(map[string]any)
	return d
}

// DataList returns the resources of a collection document.
func (r Response) DataList() []map[string]any {
	list, _ := r.Doc["data"].([]any)
	out := make([]map[string]any, len(list))
	for i, v := range list {
		out[i], _ = v.(map[string]any)
	}
	return out
}
