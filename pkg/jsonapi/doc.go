// Package jsonapi is the JSON:API 1.1 core shared by the Caseroom HTTP
// services: content negotiation, response documents, error objects, query
// parameter parsing, strict request-document parsing and binding, and link
// builders.
//
// The package decides nothing about rights or domain rules. It turns HTTP
// input into validated values (or an *Error that already carries the right
// status and JSON:API error objects) and turns documents back into bytes.
// Everything a client can send is treated as hostile: unknown members,
// attributes, relationships and reserved query parameters are rejected
// rather than ignored, so a typo never silently becomes a no-op and a
// server-owned field can never be smuggled in.
package jsonapi

// MediaType is the JSON:API media type. Responses carry it without
// parameters.
const MediaType = "application/vnd.api+json"

// Version is the JSON:API version every document declares.
const Version = "1.1"
