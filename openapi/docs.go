package openapi

import "embed"

// Docs is the browsable API reference served at /docs by both services: Swagger UI from npm
// (swagger-ui-dist, vendored by `make docs` into docs/), and the page that points it at the
// service's own document.
//
//go:embed docs/index.html docs/reference.js docs/swagger-ui-bundle.js docs/swagger-ui.css
var Docs embed.FS
