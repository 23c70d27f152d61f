package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// pageIDs returns the ids of a collection page and its next and prev links.
func pageIDs(t *testing.T, r response) (ids []string, next, prev string) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	for _, item := range r.Doc["data"].([]any) {
		ids = append(ids, item.(map[string]any)["id"].(string))
	}
	links, _ := r.Doc["links"].(map[string]any)
	next, _ = links["next"].(string)
	prev, _ = links["prev"].(string)
	return ids, next, prev
}

// Paging by cursor walks the same rows as paging by number, in the same order, forwards and
// backwards, with no total; a cursor from another order and a sort it does not offer are
// 400s naming the parameter.
func TestCursorPaging(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	for _, list := range []string{"/api/v1/cases?sort=name", "/api/v1/cases", "/api/v1/work-hours?sort=-workDate", "/api/v1/work-hours?sort=minutes,-workDate"} {
		t.Run(list, func(t *testing.T) {
			sep := "?"
			if u, _ := url.Parse(list); u.RawQuery != "" {
				sep = "&"
			}
			all, _, _ := pageIDs(t, e.do(call{method: "GET", path: list + sep + "page[size]=100", token: ada}))
			if len(all) < 3 {
				t.Fatalf("too few rows to page: %v", all)
			}
			var walked []string
			link := list + sep + "page[size]=2&page[after]="
			var last response
			for link != "" {
				last = e.do(call{method: "GET", path: link, token: ada})
				ids, next, _ := pageIDs(t, last)
				walked = append(walked, ids...)
				if meta, _ := last.Doc["meta"].(map[string]any); meta["total"] != nil {
					t.Fatal("a page by cursor carries meta.total")
				}
				link = next
				if len(walked) > len(all) {
					t.Fatalf("walked past the end: %v", walked)
				}
			}
			if !slices.Equal(walked, all) {
				t.Fatalf("by cursor %v, by number %v", walked, all)
			}
			var back []string
			link = list + sep + "page[size]=2&page[before]="
			for link != "" {
				r := e.do(call{method: "GET", path: link, token: ada})
				ids, _, prev := pageIDs(t, r)
				back = append(ids, back...)
				link = prev
				if len(back) > len(all) {
					t.Fatalf("walked past the start: %v", back)
				}
			}
			if !slices.Equal(back, all) {
				t.Fatalf("backwards %v, by number %v", back, all)
			}
		})
	}
	t.Run("a cursor of another order is a 400", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases?sort=name&page[size]=1&page[after]=", token: ada})
		_, next, _ := pageIDs(t, r)
		u, _ := url.Parse(next)
		cursor := u.Query().Get("page[after]")
		r = e.do(call{method: "GET", path: "/api/v1/cases?page[after]=" + url.QueryEscape(cursor), token: ada, lax: true})
		if r.Status != http.StatusBadRequest || detailParam(r) != "page[after]" {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("a sort without cursors is a 400 naming sort", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases?sort=createdAt&page[after]=", token: ada, lax: true})
		if r.Status != http.StatusBadRequest || detailParam(r) != "sort" {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}

func detailParam(r response) string {
	errs, _ := r.Doc["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	src, _ := errs[0].(map[string]any)["source"].(map[string]any)
	p, _ := src["parameter"].(string)
	return p
}

// A date filter takes a range FROM..TO, both ends included, and checks both ends.
func TestDateRangeFilter(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	all, _, _ := pageIDs(t, e.do(call{method: "GET", path: "/api/v1/work-hours?page[size]=100", token: ada}))
	in, _, _ := pageIDs(t, e.do(call{method: "GET", path: "/api/v1/work-hours?page[size]=100&filter[workDate]=1900-01-01..9999-12-31", token: ada}))
	if len(all) == 0 || !slices.Equal(in, all) {
		t.Fatalf("the widest range has %v, all %v", in, all)
	}
	none, _, _ := pageIDs(t, e.do(call{method: "GET", path: "/api/v1/work-hours?filter[workDate]=2001-01-01..2001-01-31", token: ada}))
	if len(none) != 0 {
		t.Fatalf("a month without hours has %v", none)
	}
	r := e.do(call{method: "GET", path: "/api/v1/work-hours?filter[workDate]=2026-01-01..2026-13-01", token: ada, lax: true})
	if r.Status != http.StatusBadRequest || detailParam(r) != "filter[workDate]" {
		t.Fatalf("a bad end: %d %s", r.Status, r.Body)
	}
}
