// Package extranet is what a customer contact may do in the portal (RIGHTS.md section 13),
// independent of HTTP: log in, change the password, and read and act on the cases shared
// with them. Both the JSON:API and the HTML pages of package portal call this package, so
// a rule is decided once for both.
//
// Every read is scoped to the calling contact in SQL: a case, hour, phase, file or comment
// the contact may not see behaves exactly like one that does not exist (apperr.NotFound,
// EXT-8). Access is loaded from the database on every call, never from the session, so an
// un-shared case, a removed contact or a disabled login stops working on the next request
// (EXT-9). Every write happens in one transaction with its change-history entry, recorded
// as done by the contact (EXT-7).
package extranet
