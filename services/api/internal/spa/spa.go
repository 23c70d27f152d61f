// Package spa serves the firm's single-page app (frontend-stub/) under /app/ from the
// binary. The built files are committed in dist/ (make stub rebuilds them, and make test
// fails when they are stale), so that a build needs no Node and a fresh clone compiles.
package spa

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"
)

//go:embed dist
var dist embed.FS

// Prefix is where the app lives. Every path under it that is not a file is the app's own
// route (history routing), answered with index.html.
const Prefix = "/app/"

// CSP is the app's Content-Security-Policy: scripts, styles, images and API calls from this
// origin only, and nothing inline (the Vite build inlines nothing, and the app sets no style
// attributes), so an injected script or style cannot run.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// contentTypes are the types of the files a Vite build writes; anything else is a download.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".json":  "application/json",
	".txt":   "text/plain; charset=utf-8",
	".woff2": "font/woff2",
}

// Mount serves the app under /app/, without authentication (the app logs in through the
// API). It is a prefix middleware, not a route, so it is no API route for the authorization
// matrix; every other path passes through.
func Mount(app *fiber.App) {
	app.Use(strings.TrimSuffix(Prefix, "/"), Handler(dist))
}

// Handler serves files from fsys's dist folder: /app → /app/, a file by its path, a missing
// file with an extension 404, and any other path index.html.
func Handler(fsys fs.FS) fiber.Handler {
	files, err := fs.Sub(fsys, "dist")
	if err != nil {
		panic("spa: no dist folder: " + err.Error())
	}
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic("spa: dist/index.html is missing; run make stub: " + err.Error())
	}
	return func(c *fiber.Ctx) error {
		p := c.Path()
		if p != strings.TrimSuffix(Prefix, "/") && !strings.HasPrefix(p, Prefix) {
			return c.Next() // e.g. /application
		}
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			c.Set(fiber.HeaderAllow, "GET, HEAD")
			return fiber.NewError(http.StatusMethodNotAllowed, "The app is read with GET.")
		}
		if !strings.HasPrefix(p, Prefix) {
			return c.Redirect(Prefix, http.StatusPermanentRedirect)
		}
		c.Set("Content-Security-Policy", CSP)
		name := path.Clean(strings.TrimPrefix(p, Prefix))
		if name != "." && name != "index.html" && fs.ValidPath(name) {
			if body, err := fs.ReadFile(files, name); err == nil {
				return send(c, name, body)
			}
			if path.Ext(name) != "" {
				return fiber.NewError(http.StatusNotFound, "No such file in the app.")
			}
		}
		return send(c, "index.html", index)
	}
}

func send(c *fiber.Ctx, name string, body []byte) error {
	ct, ok := contentTypes[path.Ext(name)]
	if !ok {
		ct = "application/octet-stream"
	}
	c.Set(fiber.HeaderContentType, ct)
	if strings.HasPrefix(name, "assets/") {
		// Vite names assets by their content: a changed file is a new name.
		c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	} else {
		c.Set(fiber.HeaderCacheControl, "no-cache")
	}
	return c.Send(body)
}
