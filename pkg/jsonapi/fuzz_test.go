package jsonapi

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fuzzSpec is the endpoint the query fuzzer parses against.
var fuzzSpec = QuerySpec{
	Sort:            []string{"title", "createdAt"},
	Filters:         []string{"status", "owner"},
	Include:         []string{"owner.unit.parent", "members"},
	MaxIncludeDepth: 3,
	Custom:          []string{"q"},
}

// fuzzDTO is what the resource fuzzer binds into.
type fuzzDTO struct {
	Title   *string               `jsonapi:"title"`
	Count   *int                  `jsonapi:"count"`
	Done    bool                  `jsonapi:"done"`
	Due     Nullable[time.Time]   `jsonapi:"due"`
	Tags    []string              `jsonapi:"tags"`
	Address *address              `jsonapi:"address"`
	Owner   *IncomingRelationship `jsonapi:"owner,rel"`
	Members *IncomingRelationship `jsonapi:"members,rel"`
}

// checkClientError asserts the invariant every parser error must satisfy:
// an *Error with a 4xx status and complete error objects.
func checkClientError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("error %v (%T) is not a *jsonapi.Error", err, err)
	}
	if je.Status < 400 || je.Status > 499 {
		t.Fatalf("status %d is not a client error: %v", je.Status, je)
	}
	if len(je.Objects) == 0 {
		t.Fatalf("no error objects")
	}
	for _, o := range je.Objects {
		s, convErr := strconv.Atoi(o.Status)
		if convErr != nil || s < 400 || s > 499 || o.Code == "" || o.Title == "" {
			t.Fatalf("incomplete error object %+v", o)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Add("include=owner.unit&sort=-title&page[number]=2&page[size]=10")
	f.Add("filter[status]=open&fields[cases]=title,amount&q=x&myParam=1")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := ParseQuery(raw, fuzzSpec)
		checkClientError(t, err)
		if err != nil {
			return
		}
		checkQueryInvariants(t, q)
		// Links built from a valid query must parse back to the same query.
		self := PageLinks("/x", raw, q, 1000).Self
		_, rawSelf, _ := strings.Cut(self, "?")
		again, err := ParseQuery(rawSelf, fuzzSpec)
		if err != nil {
			t.Fatalf("self link %q does not parse: %v", self, err)
		}
		if again.Page != q.Page || !reflect.DeepEqual(again.Sort, q.Sort) ||
			!reflect.DeepEqual(again.Filter, q.Filter) || !reflect.DeepEqual(again.Include, q.Include) {
			t.Fatalf("self link %q changed the query:\n%+v\n%+v", self, q, again)
		}
	})
}

// checkQueryInvariants asserts that a successful parse respects fuzzSpec.
func checkQueryInvariants(t *testing.T, q Query) {
	t.Helper()
	if q.Page.Number < 1 || q.Page.Size < 1 || q.Page.Size > DefaultMaxPageSize || q.Page.Offset() < 0 {
		t.Fatalf("bad page %+v", q.Page)
	}
	for _, p := range q.Include {
		if strings.Count(p, ".") >= fuzzSpec.MaxIncludeDepth || !includeAllowed(fuzzSpec.Include, p) {
			t.Fatalf("include %q slipped through", p)
		}
	}
	for _, s := range q.Sort {
		if !slices.Contains(fuzzSpec.Sort, s.Field) {
			t.Fatalf("sort %q slipped through", s.Field)
		}
	}
	for name := range q.Filter {
		if !slices.Contains(fuzzSpec.Filters, name) {
			t.Fatalf("filter %q slipped through", name)
		}
	}
	for key := range q.Custom {
		base, _, _ := strings.Cut(key, "[")
		if isReserved(base) && !slices.Contains(fuzzSpec.Custom, base) {
			t.Fatalf("reserved parameter %q accepted as custom", key)
		}
	}
}

func FuzzParseResource(f *testing.F) {
	f.Add([]byte(`{"data":{"type":"cases","attributes":{"title":"x"}}}`), "")
	f.Add([]byte(`{"data":{"type":"cases","id":"7","relationships":{"owner":{"data":null}}}}`), "7")
	f.Fuzz(func(t *testing.T, body []byte, wantID string) {
		in, err := ParseResource(body, "cases", wantID)
		checkClientError(t, err)
		if err == nil {
			if in.Type != "cases" || in.ID != wantID {
				t.Fatalf("accepted %q/%q for cases/%q", in.Type, in.ID, wantID)
			}
			for name := range in.Attributes {
				if _, clash := in.Relationships[name]; clash || slices.Contains(reservedFields, name) {
					t.Fatalf("field name %q accepted", name)
				}
			}
			var dst fuzzDTO
			bindErr := in.Bind(&dst, BindOptions{Forbidden: []string{"count"}})
			checkClientError(t, bindErr)
			if bindErr != nil && !reflect.DeepEqual(dst, fuzzDTO{}) {
				t.Fatalf("dst changed despite %v", bindErr)
			}
			for _, rel := range in.Relationships {
				_, e1 := rel.ToOne("users")
				_, e2 := rel.ToMany("users")
				checkClientError(t, e1)
				checkClientError(t, e2)
			}
		}
		rel, err := ParseRelationship(body)
		checkClientError(t, err)
		if err == nil && !rel.Many && len(rel.Data) > 1 {
			t.Fatalf("to-one linkage with %d identifiers", len(rel.Data))
		}
	})
}
