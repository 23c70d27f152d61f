package httpx_test

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/httpx"
)

// /docs serves the reference page and its files from the binary, under a CSP that allows no
// inline script and nothing from elsewhere; anything else under /docs is missing.
func TestDocs(t *testing.T) {
	site := fstest.MapFS{
		"docs/index.html":   {Data: []byte("<!doctype html><title>API reference</title>")},
		"docs/reference.js": {Data: []byte("window.x = 1")},
	}
	app := fiber.New()
	httpx.Docs(app, site)
	for path, want := range map[string]string{"/docs": "text/html", "/docs/reference.js": "javascript"} {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), want) || len(body) == 0 ||
			!strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-eval") {
			t.Fatalf("%s: %d %s, CSP %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), csp)
		}
	}
	if resp, _ := app.Test(httptest.NewRequest("GET", "/docs/secret.txt", nil)); resp.StatusCode != 404 {
		t.Fatalf("/docs/secret.txt: %d", resp.StatusCode)
	}
}
