package jsonapi

import (
	"fmt"
	"math"
)

// Page is a pagination request: by page number (Number is 1-based), or by cursor (After or
// Before set; JSON:API's cursor pagination profile), never both.
type Page struct {
	Number int
	Size   int
	// After and Before are opaque cursors from a previous page's links: the page holds the
	// rows that come after (before) the row the cursor names. An empty page[after] asks for
	// the first page by cursor, an empty page[before] for the last.
	After, Before string
	// ByCursor is set when page[after] or page[before] was given.
	ByCursor bool
	backward bool
}

// Backward reports whether the page is the one before a cursor (page[before]).
func (p Page) Backward() bool { return p.backward }

// Cursor reports whether the request pages by cursor.
func (p Page) Cursor() bool { return p.ByCursor }

// CursorProfile is the URI of JSON:API's cursor pagination profile, which the cursor
// parameters follow.
const CursorProfile = "https://jsonapi.org/profiles/ethanresnick/cursor-pagination/"

// maxCursor bounds a cursor's length: it encodes a few sort values and an id.
const maxCursor = 1024

// Offset returns how many rows precede the page, for SQL OFFSET.
func (p Page) Offset() int {
	if p.Number < 1 {
		return 0
	}
	return (p.Number - 1) * p.Size
}

// Limit returns the page size, for SQL LIMIT.
func (p Page) Limit() int { return p.Size }

// maxPageNumber caps page[number] so Offset cannot overflow.
const maxPageNumber = math.MaxInt32

// page parses page[number], page[size], page[after] and page[before].
func (p *queryParser) page(key string, members []string, value string) *Error {
	if len(members) == 1 && (members[0] == "after" || members[0] == "before") {
		if !p.spec.Cursor {
			return badParam(key, "This collection is paged by page[number] and page[size] only.")
		}
		if len(value) > maxCursor {
			return BadRequest(CodeInvalidPage, key+" must be a cursor from a links.next or links.prev of a previous page.").WithParameter(key)
		}
		if p.q.Page.ByCursor {
			return BadRequest(CodeInvalidPage, "page[after] and page[before] cannot be combined.").WithParameter(key)
		}
		p.q.Page.ByCursor = true
		if members[0] == "after" {
			p.q.Page.After = value
		} else {
			p.q.Page.Before, p.q.Page.backward = value, true
		}
		return nil
	}
	if len(members) != 1 || (members[0] != "number" && members[0] != "size") {
		return badParam(key, "Only page[number], page[size], page[after] and page[before] are supported.")
	}
	n, ok := parsePositive(value, maxPageNumber)
	if !ok {
		return BadRequest(CodeInvalidPage, fmt.Sprintf("%s must be a positive whole number.", key)).WithParameter(key)
	}
	if members[0] == "number" {
		p.q.Page.Number = n
	} else {
		p.q.Page.Size = min(n, p.spec.MaxPageSize)
	}
	return nil
}

// parsePositive accepts only ASCII digits (strconv.Atoi would also accept
// signs) with a value of at least 1. Values above limit are capped rather
// than rejected: asking for too much is not malformed.
func parsePositive(s string, limit int) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = min(n*10+int(s[i]-'0'), limit+1)
	}
	return min(n, limit), n > 0
}
