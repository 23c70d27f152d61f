package jsonapi

import (
	"net/url"
	"strconv"
	"strings"
)

// ResourceLink returns the canonical URL of a resource, e.g.
// ResourceLink("/api/v1", "cases", "7") = "/api/v1/cases/7". The id is
// path-escaped.
func ResourceLink(base, typ, id string) string {
	return strings.TrimSuffix(base, "/") + "/" + typ + "/" + url.PathEscape(id)
}

// RelationshipLinks returns the self and related links of a relationship:
// for ("/api/v1", "cases", "7", "owner") self is
// /api/v1/cases/7/relationships/owner and related is /api/v1/cases/7/owner.
func RelationshipLinks(base, typ, id, name string) *Links {
	res := ResourceLink(base, typ, id)
	return &Links{
		Self:    res + "/relationships/" + name,
		Related: res + "/" + name,
	}
}

// PageLinks returns self/first/prev/next/last links for page-number
// pagination over total rows. basePath is the request path and rawQuery
// its raw query string: every other parameter is kept verbatim and in
// order, and page[number]/page[size] are replaced (always written, with
// encoded brackets, so links do not depend on server defaults). prev is
// omitted on the first page and next on the last; last is page 1 when
// total is 0.
func PageLinks(basePath, rawQuery string, q Query, total int) Links {
	size := max(q.Page.Size, 1)
	number := max(q.Page.Number, 1)
	kept := keepParams(rawQuery)
	link := func(n int) string {
		params := append(kept[:len(kept):len(kept)],
			"page%5Bnumber%5D="+strconv.Itoa(n), "page%5Bsize%5D="+strconv.Itoa(size))
		return basePath + "?" + strings.Join(params, "&")
	}
	l := Links{Self: link(number), First: link(1)}
	if total < 0 {
		// The total is unknown (too many rows to count on every page): there is no last
		// link, and a next one after every page.
		if number > 1 {
			l.Prev = link(number - 1)
		}
		l.Next = link(number + 1)
		return l
	}
	last := max((total+size-1)/size, 1)
	l.Last = link(last)
	if number > 1 {
		l.Prev = link(min(number-1, last))
	}
	if number < last {
		l.Next = link(number + 1)
	}
	return l
}

// CursorLinks returns the links of a page paged by cursor: next with page[after]=next when
// there are rows after it, prev with page[before]=prev when there are rows before it (an
// empty cursor leaves the link out), and first.
func CursorLinks(basePath, rawQuery string, q Query, prev, next string) Links {
	kept := keepParams(rawQuery)
	size := "page%5Bsize%5D=" + strconv.Itoa(max(q.Page.Size, 1))
	link := func(extra ...string) string {
		params := append(kept[:len(kept):len(kept)], extra...)
		return basePath + "?" + strings.Join(append(params, size), "&")
	}
	l := Links{First: link("page%5Bafter%5D=")}
	if q.Page.Backward() {
		l.Self = link("page%5Bbefore%5D=" + url.QueryEscape(q.Page.Before))
	} else {
		l.Self = link("page%5Bafter%5D=" + url.QueryEscape(q.Page.After))
	}
	if prev != "" {
		l.Prev = link("page%5Bbefore%5D=" + url.QueryEscape(prev))
	}
	if next != "" {
		l.Next = link("page%5Bafter%5D=" + url.QueryEscape(next))
	}
	return l
}

// keepParams returns the raw pieces of a query string except the page
// parameters.
func keepParams(rawQuery string) []string {
	var kept []string
	for _, part := range strings.Split(rawQuery, "&") {
		if part == "" {
			continue
		}
		rawKey, _, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(rawKey)
		if err == nil && strings.HasPrefix(key, "page[") {
			continue
		}
		kept = append(kept, part)
	}
	return kept
}
