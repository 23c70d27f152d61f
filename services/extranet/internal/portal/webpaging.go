package portal

import (
	"net/url"
	"sort"
	"strconv"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/i18n"
)

// pageSize is how many rows of one list a case page shows.
const pageSize = 50

// maxPage bounds a page number read from a URL, so that its offset is always a sane number.
const maxPage = 1_000_000

// pagedSections are the lists of a case page that page, each by its own query parameter
// (?hours=3), with the anchor their page links lead to.
var pagedSections = map[string]string{
	"waiting":  "waiting",
	"wphases":  "waiting",
	"phases":   "phases",
	"hours":    "hours",
	"files":    "files",
	"comments": "comments",
	"invoices": "billing",
}

// view is where a reader is in each paged list of a case page: section → page (1 when absent).
// The forms of a page carry it, so that a post returns the reader to the pages they were on.
type view map[string]int

// parseView reads the page of each section from get (a query or a form field); anything but
// a page number ≥ 1 is page 1, never an error.
func parseView(get func(string) string) view {
	v := view{}
	for s := range pagedSections {
		n, err := strconv.Atoi(get(s))
		if err == nil && n > 1 {
			v[s] = min(n, maxPage)
		}
	}
	return v
}

// viewOf reads a view carried as a query string (the hidden field "view" of the forms).
func viewOf(raw string) view {
	q, _ := url.ParseQuery(raw) // a broken field is simply the first pages
	return parseView(q.Get)
}

// page is the page of section s.
func (v view) page(s string) int {
	if n := v[s]; n > 1 {
		return n
	}
	return 1
}

// Query writes the view as a query string, sections in a fixed order, first pages left out.
func (v view) Query() string {
	keys := make([]string, 0, len(v))
	for k, n := range v {
		if n > 1 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	q := ""
	for i, k := range keys {
		if i > 0 {
			q += "&"
		}
		q += k + "=" + strconv.Itoa(v[k])
	}
	return q
}

// with returns a copy of v on page n of section s.
func (v view) with(s string, n int) view {
	out := make(view, len(v)+1)
	for k, p := range v {
		out[k] = p
	}
	out[s] = n
	return out
}

// pager is one paged list of a case page: where the reader is, and the links to the others.
type pager struct {
	L       *i18n.Locale
	Section string // the query parameter
	Label   string // names the list for the navigation's landmark
	Page    int
	Pages   int
	Total   int64
	// Beyond is a page asked for past the end; the last page is shown instead.
	Beyond int
	base   func(view) string
	view   view
}

// newPager starts the pager of section s at the page the view asks for.
func newPager(l *i18n.Locale, s, label string, v view, base func(view) string) *pager {
	return &pager{L: l, Section: s, Label: label, Page: v.page(s), Pages: 1, base: base, view: v}
}

// window is the slice of rows the pager's page shows.
func (p *pager) window() domain.Window {
	return domain.Window{Offset: int64(p.Page-1) * pageSize, Limit: pageSize}
}

// URL is the address of page n of the list, the other lists staying where they are.
func (p *pager) URL(n int) string {
	return p.base(p.view.with(p.Section, n)) + "#" + pagedSections[p.Section]
}

// Prev is the page before.
func (p *pager) Prev() int { return p.Page - 1 }

// Next is the page after.
func (p *pager) Next() int { return p.Page + 1 }

// From is the number of the first row shown, from 1.
func (p *pager) From() int64 { return min(int64(p.Page-1)*pageSize+1, p.Total) }

// To is the number of the last row shown.
func (p *pager) To() int64 { return min(int64(p.Page)*pageSize, p.Total) }

// Numbers are the page links to show: the first, the last, and two either side of the
// current page, with 0 for a gap.
func (p *pager) Numbers() []int {
	var out []int
	for n := 1; n <= p.Pages; n++ {
		switch {
		case n == 1 || n == p.Pages || (n >= p.Page-2 && n <= p.Page+2):
			out = append(out, n)
		case len(out) > 0 && out[len(out)-1] != 0:
			out = append(out, 0)
		}
	}
	return out
}

// loadPage loads the pager's page through fetch; a page past the end shows the last page
// (and says so), never an error.
func loadPage[T any](p *pager, fetch func(domain.Window) ([]T, int64, error)) ([]T, error) {
	rows, total, err := fetch(p.window())
	if err != nil {
		return nil, err
	}
	p.Total = total
	p.Pages = max(1, int((total+pageSize-1)/pageSize))
	if p.Page <= p.Pages {
		return rows, nil
	}
	p.Beyond, p.Page = p.Page, p.Pages
	p.view = p.view.with(p.Section, p.Page)
	rows, total, err = fetch(p.window())
	p.Total = total
	return rows, err
}
