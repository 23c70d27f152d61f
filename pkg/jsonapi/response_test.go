package jsonapi

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// mustDo runs req through app and returns status, headers and body.
func mustDo(t *testing.T, app *fiber.App, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("app.Test: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp, body
}

func TestWriters(t *testing.T) {
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(nil)})
	app.Get("/doc", func(c *fiber.Ctx) error {
		return WriteDocument(c, http.StatusOK, Document{Data: Many(nil)})
	})
	app.Post("/cases", func(c *fiber.Ctx) error {
		return Created(c, Document{Data: One(&Resource{Type: "cases", ID: "9"})}, "/api/v1/cases/9")
	})
	app.Get("/err", func(c *fiber.Ctx) error {
		return Write(c, NotFound("case_not_found", "No such case.").WithParameter("id"))
	})
	app.Get("/returned", func(c *fiber.Ctx) error {
		return Conflict("version_conflict", "Stale.")
	})
	app.Get("/internal", func(c *fiber.Ctx) error {
		return errors.New("db exploded: password=hunter2")
	})
	app.Delete("/cases/1", NoContent)

	tests := []struct {
		name     string
		method   string
		path     string
		status   int
		body     string
		location string
	}{
		{"document", "GET", "/doc", 200, `{"data":[],"jsonapi":{"version":"1.1"}}`, ""},
		{"created", "POST", "/cases", 201, `{"data":{"type":"cases","id":"9"},"jsonapi":{"version":"1.1"}}`, "/api/v1/cases/9"},
		{"error written", "GET", "/err", 404,
			`{"errors":[{"status":"404","code":"case_not_found","title":"Not Found","detail":"No such case.","source":{"parameter":"id"}}],"jsonapi":{"version":"1.1"}}`, ""},
		{"error returned", "GET", "/returned", 409,
			`{"errors":[{"status":"409","code":"version_conflict","title":"Conflict","detail":"Stale."}],"jsonapi":{"version":"1.1"}}`, ""},
		{"internal hidden", "GET", "/internal", 500,
			`{"errors":[{"status":"500","code":"internal_error","title":"Internal Server Error","detail":"An internal error occurred."}],"jsonapi":{"version":"1.1"}}`, ""},
		{"route not found", "GET", "/nope", 404,
			`{"errors":[{"status":"404","code":"route_not_found","title":"Not Found","detail":"Not Found"}],"jsonapi":{"version":"1.1"}}`, ""},
		{"no content", "DELETE", "/cases/1", 204, ``, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := mustDo(t, app, httptest.NewRequest(tt.method, tt.path, nil))
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			if string(body) != tt.body {
				t.Errorf("body = %s\nwant   %s", body, tt.body)
			}
			if tt.body != "" && resp.Header.Get("Content-Type") != MediaType {
				t.Errorf("content type = %q", resp.Header.Get("Content-Type"))
			}
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("location = %q, want %q", got, tt.location)
			}
		})
	}
}

func TestErrorHandlerInternalCallback(t *testing.T) {
	var logged error
	app := fiber.New(fiber.Config{ErrorHandler: ErrorHandler(func(c *fiber.Ctx, err error) *Error {
		logged = err
		return Internal("req-1")
	})})
	boom := errors.New("boom")
	app.Get("/", func(c *fiber.Ctx) error { return boom })
	resp, body := mustDo(t, app, httptest.NewRequest("GET", "/", nil))
	if resp.StatusCode != 500 || !errors.Is(logged, boom) {
		t.Fatalf("status %d, logged %v", resp.StatusCode, logged)
	}
	errs := mustDecode(t, body)["errors"].([]any)
	if errs[0].(map[string]any)["id"] != "req-1" {
		t.Errorf("request id missing: %s", body)
	}
}
