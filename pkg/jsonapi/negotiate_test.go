package jsonapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// newNegotiateApp builds an app with Negotiate in front of a few handlers.
func newNegotiateApp(t *testing.T, cfg NegotiateConfig) *fiber.App {
	t.Helper()
	app := fiber.New()
	app.Use(Negotiate(cfg))
	ok := func(c *fiber.Ctx) error {
		return WriteDocument(c, http.StatusOK, Document{Meta: Meta{"ok": true}})
	}
	app.Get("/cases", ok)
	app.Post("/cases", ok)
	app.Patch("/cases/1", ok)
	app.Delete("/cases/1/relationships/members", ok)
	app.Post("/cases/1/approve", ok)
	app.Get("/plainjson", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"a": 1}) })
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/files/1", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/pdf")
		return c.Send([]byte("%PDF"))
	})
	return app
}

func TestNegotiateMatrix(t *testing.T) {
	const jsonapi = MediaType
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		accept      string
		body        string
		status      int
	}{
		// Content-Type.
		{"GET no headers", "GET", "/cases", "", "", "", 200},
		{"POST jsonapi", "POST", "/cases", jsonapi, "", `{}`, 200},
		{"POST jsonapi upper case", "POST", "/cases", "Application/VND.API+JSON", "", `{}`, 200},
		{"POST ext not supported", "POST", "/cases", jsonapi + `; ext="https://jsonapi.org/ext/atomic"`, "", `{}`, 415},
		{"POST profile", "POST", "/cases", jsonapi + `; profile="https://example.com/p"`, "", `{}`, 200},
		{"POST charset param", "POST", "/cases", jsonapi + "; charset=utf-8", "", `{}`, 415},
		{"POST version param", "POST", "/cases", jsonapi + ";version=1", "", `{}`, 415},
		{"POST malformed param", "POST", "/cases", jsonapi + "; =x", "", `{}`, 415},
		{"POST application/json", "POST", "/cases", "application/json", "", `{}`, 415},
		{"POST text/plain", "POST", "/cases", "text/plain", "", `{}`, 415},
		{"POST body without content type", "POST", "/cases", "", "", `{}`, 415},
		{"POST form", "POST", "/cases", "application/x-www-form-urlencoded", "", `a=1`, 415},
		{"PATCH jsonapi", "PATCH", "/cases/1", jsonapi, "", `{}`, 200},
		{"PATCH application/json", "PATCH", "/cases/1", "application/json", "", `{}`, 415},
		{"PATCH empty body with wrong type", "PATCH", "/cases/1", "text/plain", "", ``, 415},
		{"POST empty action without content type", "POST", "/cases/1/approve", "", "", ``, 200},
		{"DELETE with linkage body", "DELETE", "/cases/1/relationships/members", jsonapi, "", `{"data":[]}`, 200},
		{"DELETE with json body", "DELETE", "/cases/1/relationships/members", "application/json", "", `{"data":[]}`, 415},
		{"GET jsonapi content type with param", "GET", "/cases", jsonapi + "; charset=utf-8", "", "", 415},
		{"GET stray json content type", "GET", "/cases", "application/json", "", "", 200},
		// Accept.
		{"Accept jsonapi", "GET", "/cases", "", jsonapi, "", 200},
		{"Accept star", "GET", "/cases", "", "*/*", "", 200},
		{"Accept html only", "GET", "/cases", "", "text/html", "", 406},
		{"Accept plain json", "GET", "/cases", "", "application/json", "", 200},
		{"Accept jsonapi with charset", "GET", "/cases", "", jsonapi + "; charset=utf-8", "", 406},
		{"Accept all instances have params", "GET", "/cases", "", jsonapi + "; a=1, " + jsonapi + "; b=2", "", 406},
		{"Accept one plain instance", "GET", "/cases", "", jsonapi + "; a=1, " + jsonapi, "", 200},
		{"Accept params but star alternative", "GET", "/cases", "", jsonapi + "; a=1, */*;q=0.1", "", 200},
		{"Accept params but application star", "GET", "/cases", "", jsonapi + "; a=1, application/*", "", 200},
		{"Accept params and refused star", "GET", "/cases", "", jsonapi + "; a=1, */*;q=0", "", 406},
		{"Accept q is not a media type param", "GET", "/cases", "", jsonapi + ";q=0.9", "", 200},
		{"Accept zero weight plain instance", "GET", "/cases", "", jsonapi + ";q=0, " + jsonapi + ";v=1", "", 406},
		{"Accept profile", "GET", "/cases", "", jsonapi + `; profile="https://a.example/x,y https://b.example"`, "", 200},
		{"Accept quoted comma in param", "GET", "/cases", "", jsonapi + `; foo="a,b"`, "", 406},
		{"Accept unsupported ext", "GET", "/cases", "", jsonapi + `; ext="https://jsonapi.org/ext/atomic"`, "", 406},
		{"Accept garbage", "GET", "/cases", "", ",,;;==", "", 200},
		{"Both bad: 415 first", "POST", "/cases", "text/plain", jsonapi + ";x=1", `{}`, 415},
		// Skip.
		{"skipped health", "GET", "/healthz", "", jsonapi + ";x=1", "", 200},
	}
	app := newNegotiateApp(t, NegotiateConfig{Skip: func(c *fiber.Ctx) bool { return c.Path() == "/healthz" }})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			resp, body := mustDo(t, app, req)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.path == "/healthz" {
				return
			}
			if ct := resp.Header.Get("Content-Type"); ct != MediaType {
				t.Errorf("Content-Type = %q, want %q", ct, MediaType)
			}
			if tt.status >= 400 {
				doc := mustDecode(t, body)
				errs, _ := doc["errors"].([]any)
				if len(errs) != 1 {
					t.Fatalf("want one error object: %s", body)
				}
				code := errs[0].(map[string]any)["code"]
				want := map[int]string{415: CodeUnsupportedMediaType, 406: CodeNotAcceptable}[tt.status]
				if code != want {
					t.Errorf("code = %v, want %s", code, want)
				}
			}
		})
	}
}

func TestNegotiateSupportedExtension(t *testing.T) {
	const atomic = "https://jsonapi.org/ext/atomic"
	app := newNegotiateApp(t, NegotiateConfig{Extensions: []string{atomic}})
	tests := []struct {
		name   string
		ct     string
		accept string
		status int
	}{
		{"supported ext", MediaType + `; ext="` + atomic + `"`, "", 200},
		{"one unsupported ext", MediaType + `; ext="` + atomic + ` https://x.example/e"`, "", 415},
		{"accept supported ext", MediaType, MediaType + `; ext="` + atomic + `"`, 200},
		{"accept unsupported ext", MediaType, MediaType + `; ext="https://x.example/e"`, 406},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/cases", strings.NewReader(`{}`))
			req.Header.Set("Content-Type", tt.ct)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			resp, body := mustDo(t, app, req)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
		})
	}
}

func TestNegotiateResponseContentType(t *testing.T) {
	app := newNegotiateApp(t, NegotiateConfig{})
	tests := []struct {
		path string
		want string
	}{
		{"/cases", MediaType},
		{"/plainjson", MediaType},
		{"/files/1", "application/pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, _ := mustDo(t, app, httptest.NewRequest("GET", tt.path, nil))
			if got := resp.Header.Get("Content-Type"); got != tt.want {
				t.Errorf("Content-Type = %q, want %q", got, tt.want)
			}
			if resp.Header.Get("Vary") != "Accept" {
				t.Errorf("Vary = %q", resp.Header.Get("Vary"))
			}
		})
	}
}

func TestNegotiateErrorSource(t *testing.T) {
	t.Run("accept", func(t *testing.T) {
		checkErr(t, checkAccept(MediaType+";x=1", nil), wantErr{status: 406, code: CodeNotAcceptable, header: "Accept"})
	})
	t.Run("no instances", func(t *testing.T) {
		if err := checkAccept("application/json, text/html;q=0.5", nil); err != nil {
			t.Errorf("unexpected %v", err)
		}
	})
}
