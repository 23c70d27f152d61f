// Package model holds the database structs of Caseroom's one schema (see pkg/db/migrations).
// They are the storage edge only: HTTP handlers convert them to and from their own request
// and response structs, so that no column is ever bound straight from a request body.
package model
