// Package openapi embeds the OpenAPI 3.1 documents of both services, so that each service
// serves its own document and the HTTP tests validate every exchange against it.
package openapi

import _ "embed"

// API is the internal API's document (api.yaml).
//
//go:embed api.yaml
var API []byte

// Extranet is the extranet portal's document (extranet.yaml).
//
//go:embed extranet.yaml
var Extranet []byte
