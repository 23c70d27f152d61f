package jsonapi

import (
	"fmt"
	"math"
)

// Page is a page-number pagination request. Number is 1-based.
type Page struct {
	Number int
	Size   int
}

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

// page parses page[number] and page[size].
func (p *queryParser) page(key string, members []string, value string) *Error {
	if len(members) != 1 || (members[0] != "number" && members[0] != "size") {
		return badParam(key, "Only page[number] and page[size] are supported.")
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
