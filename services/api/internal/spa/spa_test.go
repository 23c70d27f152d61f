package spa_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/services/api/internal/spa"
)

const index = `<!doctype html><html><head><script type="module" src="/app/assets/app-1.js"></script>` +
	`<link rel="stylesheet" href="/app/assets/app-1.css"></head><body><main></main></body></html>`

func testApp(t *testing.T) *fiber.App {
	t.Helper()
	app := fiber.New()
	app.Use(spa.Handler(fstest.MapFS{
		"dist/index.html":        {Data: []byte(index)},
		"dist/favicon.svg":       {Data: []byte("<svg/>")},
		"dist/assets/app-1.js":   {Data: []byte("console.log(1)")},
		"dist/assets/app-1.css":  {Data: []byte("body{}")},
		"dist/assets/fonts/x.ab": {Data: []byte("?")},
	}))
	app.Get("/application", func(c *fiber.Ctx) error { return c.SendString("not the app") })
	return app
}

func get(t *testing.T, app *fiber.App, method, path string) (*http.Response, string) {
	t.Helper()
	resp, err := app.Test(httptest.NewRequest(method, path, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestServesTheApp(t *testing.T) {
	app := testApp(t)
	tests := []struct {
		name, method, path string
		status             int
		contentType, body  string
		cache              string
	}{
		{"the app's root is index.html", "GET", "/app/", 200, "text/html; charset=utf-8", index, "no-cache"},
		{"a route of the app is index.html", "GET", "/app/cases/12", 200, "text/html; charset=utf-8", index, "no-cache"},
		{"a deep route with a query is index.html", "GET", "/app/cases/12/share?saved=1", 200, "text/html; charset=utf-8", index, "no-cache"},
		{"index.html by name", "GET", "/app/index.html", 200, "text/html; charset=utf-8", index, "no-cache"},
		{"a script", "GET", "/app/assets/app-1.js", 200, "text/javascript; charset=utf-8", "console.log(1)", "public, max-age=31536000, immutable"},
		{"a style sheet", "GET", "/app/assets/app-1.css", 200, "text/css; charset=utf-8", "body{}", "public, max-age=31536000, immutable"},
		{"an image", "GET", "/app/favicon.svg", 200, "image/svg+xml", "<svg/>", "no-cache"},
		{"an unknown type is a download", "GET", "/app/assets/fonts/x.ab", 200, "application/octet-stream", "?", "public, max-age=31536000, immutable"},
		{"HEAD", "HEAD", "/app/cases", 200, "text/html; charset=utf-8", "", "no-cache"},
		{"a folder is a route", "GET", "/app/assets", 200, "text/html; charset=utf-8", index, "no-cache"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, app, tt.method, tt.path)
			if resp.StatusCode != tt.status || resp.Header.Get("Content-Type") != tt.contentType || body != tt.body {
				t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			if got := resp.Header.Get("Content-Security-Policy"); got != spa.CSP {
				t.Fatalf("CSP %q", got)
			}
			if got := resp.Header.Get("Cache-Control"); got != tt.cache {
				t.Fatalf("Cache-Control %q", got)
			}
		})
	}
}

func TestLeavesTheRestAlone(t *testing.T) {
	app := testApp(t)
	t.Run("a missing asset is a 404, not the app", func(t *testing.T) {
		if resp, body := get(t, app, "GET", "/app/assets/gone-2.js"); resp.StatusCode != 404 || strings.Contains(body, "<html") {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("no way out of the folder", func(t *testing.T) {
		if resp, body := get(t, app, "GET", "/app/../../go.mod"); resp.StatusCode == 200 && !strings.Contains(body, "<html") {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("/app redirects to /app/", func(t *testing.T) {
		if resp, _ := get(t, app, "GET", "/app"); resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != "/app/" {
			t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("a path that only starts like it passes through", func(t *testing.T) {
		if resp, body := get(t, app, "GET", "/application"); resp.StatusCode != 200 || body != "not the app" {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("writes are refused", func(t *testing.T) {
		if resp, _ := get(t, app, "POST", "/app/cases"); resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Fatalf("%d %q", resp.StatusCode, resp.Header.Get("Allow"))
		}
	})
}

// The committed build needs nothing the CSP refuses: no inline script or style, no data:
// URLs, and every file index.html names is there.
func TestCommittedBuildFitsTheCSP(t *testing.T) {
	html, err := os.ReadFile("dist/index.html")
	if err != nil {
		t.Fatalf("the committed build is missing (run make stub): %v", err)
	}
	page := string(html)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]+</script>`), // an inline script
		regexp.MustCompile(`<style`),
		regexp.MustCompile(`\sstyle=`),
		regexp.MustCompile(`\son[a-z]+=`),
		regexp.MustCompile(`data:`),
	} {
		if loc := bad.FindString(page); loc != "" {
			t.Errorf("index.html has %q, which the CSP refuses", loc)
		}
	}
	refs := regexp.MustCompile(`(?:src|href)="(/app/[^"]+)"`).FindAllStringSubmatch(page, -1)
	app := fiber.New()
	spa.Mount(app)
	scripts := 0
	for _, ref := range refs {
		if strings.HasSuffix(ref[1], ".js") {
			scripts++
		}
		if strings.Count(ref[1], ".") == 0 {
			continue // a link to a route of the app
		}
		resp, _ := get(t, app, "GET", ref[1])
		if resp.StatusCode != 200 {
			t.Errorf("index.html names %s, which answers %d", ref[1], resp.StatusCode)
		}
	}
	if scripts == 0 {
		t.Errorf("index.html loads no script")
	}
}
