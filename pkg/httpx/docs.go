package httpx

import (
	"io/fs"
	"mime"
	"path"

	"github.com/gofiber/fiber/v2"
)

// docsPolicy is the CSP of the API reference: scripts and styles from the service itself
// only (no CDN, no inline script); Swagger UI sets style attributes, and shows the document's
// example images as data: URLs.
const docsPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Docs mounts /docs, the browsable reference of the service's own OpenAPI document: the
// files of site (a folder "docs" holding index.html and its scripts and styles).
func Docs(app *fiber.App, site fs.FS) {
	serve := func(c *fiber.Ctx, name string) error {
		b, err := fs.ReadFile(site, path.Join("docs", name))
		if err != nil {
			return fiber.ErrNotFound
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		if ctype == "" {
			ctype = fiber.MIMEOctetStream
		}
		c.Set(fiber.HeaderContentType, ctype)
		c.Set("Content-Security-Policy", docsPolicy)
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		return c.Send(b)
	}
	app.Get("/docs", func(c *fiber.Ctx) error { return serve(c, "index.html") })
	app.Get("/docs/:file", func(c *fiber.Ctx) error {
		if c.Params("file") == "index.html" {
			return c.Redirect("/docs", fiber.StatusMovedPermanently)
		}
		return serve(c, c.Params("file"))
	})
}
