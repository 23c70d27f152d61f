package jsonapi

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// address is a nested attribute value.
type address struct {
	Street string `json:"street"`
	Zip    string `json:"zip"`
}

// casePatch is a PATCH DTO: pointers mean "not sent" when nil.
type casePatch struct {
	Title    *string                `jsonapi:"title"`
	Priority *int                   `jsonapi:"priority"`
	Closed   bool                   `jsonapi:"closed"`
	DueOn    Nullable[time.Time]    `jsonapi:"dueOn"`
	Tags     []string               `jsonapi:"tags"`
	Address  *address               `jsonapi:"address"`
	Owner    *IncomingRelationship  `jsonapi:"owner,rel"`
	Members  *IncomingRelationship  `jsonapi:"members,rel"`
	Internal string                 // untagged: never bound
	Skipped  string                 `jsonapi:"-"`
	Extra    map[string]interface{} `jsonapi:"extra"`
}

// mustParse parses a case document or fails the test.
func mustParse(t *testing.T, body string) *Incoming {
	t.Helper()
	in, err := ParseResource([]byte(body), "cases", "7")
	if err != nil {
		t.Fatalf("ParseResource(%s): %v", body, err)
	}
	return in
}

// doc wraps attributes and relationships JSON into a case PATCH document.
func doc(attrs, rels string) string {
	return `{"data":{"type":"cases","id":"7","attributes":` + attrs + `,"relationships":` + rels + `}}`
}

func TestBindSuccess(t *testing.T) {
	title, prio := "New", 2
	due := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		body string
		want casePatch
	}{
		{"nothing sent leaves all alone", doc(`{}`, `{}`), casePatch{}},
		{"pointers set", doc(`{"title":"New","priority":2}`, `{}`), casePatch{Title: &title, Priority: &prio}},
		{"null pointer stays nil", doc(`{"title":null}`, `{}`), casePatch{}},
		{"value field", doc(`{"closed":true}`, `{}`), casePatch{Closed: true}},
		{"nullable set", doc(`{"dueOn":"2025-03-01T00:00:00Z"}`, `{}`),
			casePatch{DueOn: Nullable[time.Time]{Set: true, Value: due}}},
		{"nullable cleared", doc(`{"dueOn":null}`, `{}`), casePatch{DueOn: Nullable[time.Time]{Set: true, Null: true}}},
		{"slice", doc(`{"tags":["a","b"]}`, `{}`), casePatch{Tags: []string{"a", "b"}}},
		{"nested struct", doc(`{"address":{"street":"Main","zip":"1"}}`, `{}`),
			casePatch{Address: &address{Street: "Main", Zip: "1"}}},
		{"relationships", doc(`{}`, `{"owner":{"data":{"type":"users","id":"3"}},"members":{"data":[]}}`),
			casePatch{
				Owner:   &IncomingRelationship{Name: "owner", Data: []Identifier{{Type: "users", ID: "3"}}},
				Members: &IncomingRelationship{Name: "members", Many: true, Data: []Identifier{}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got casePatch
			if err := mustParse(t, tt.body).Bind(&got); err != nil {
				t.Fatalf("Bind: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestBindRejects(t *testing.T) {
	forbid := BindOptions{Forbidden: []string{"amount", "priority", "unit"}}
	tests := []struct {
		name string
		body string
		opts BindOptions
		want wantErr
		n    int // number of error objects
	}{
		{"unknown attribute", doc(`{"title":"x","owner_id":"9"}`, `{}`), BindOptions{},
			wantErr{400, CodeUnknownAttribute, "/data/attributes/owner_id", "", ""}, 1},
		{"untagged field is unknown", doc(`{"Internal":"x"}`, `{}`), BindOptions{},
			wantErr{400, CodeUnknownAttribute, "/data/attributes/Internal", "", ""}, 1},
		{"skipped field is unknown", doc(`{"Skipped":"x"}`, `{}`), BindOptions{},
			wantErr{400, CodeUnknownAttribute, "/data/attributes/Skipped", "", ""}, 1},
		{"relationship as attribute", doc(`{"members":[]}`, `{}`), BindOptions{},
			wantErr{400, CodeUnknownAttribute, "/data/attributes/members", "", ""}, 1},
		{"wrong type", doc(`{"priority":"high"}`, `{}`), BindOptions{},
			wantErr{400, CodeInvalidAttribute, "/data/attributes/priority", "", ""}, 1},
		{"number out of range", doc(`{"priority":1e999}`, `{}`), BindOptions{},
			wantErr{400, CodeInvalidAttribute, "/data/attributes/priority", "", ""}, 1},
		{"wrong nested type", doc(`{"address":{"street":5}}`, `{}`), BindOptions{},
			wantErr{400, CodeInvalidAttribute, "/data/attributes/address/street", "", ""}, 1},
		{"unknown nested member", doc(`{"address":{"city":"X"}}`, `{}`), BindOptions{},
			wantErr{400, CodeInvalidAttribute, "/data/attributes/address", "", ""}, 1},
		{"null into value field", doc(`{"closed":null}`, `{}`), BindOptions{},
			wantErr{400, CodeInvalidAttribute, "/data/attributes/closed", "", ""}, 1},
		{"nullable wrong type", doc(`{"dueOn":"tomorrow"}`, `{}`), BindOptions{},
			wantErr{400, CodeInvalidAttribute, "/data/attributes/dueOn", "", ""}, 1},
		{"forbidden known attribute", doc(`{"priority":1}`, `{}`), forbid,
			wantErr{403, CodeForbiddenAttribute, "/data/attributes/priority", "", ""}, 1},
		{"forbidden server-owned attribute", doc(`{"amount":1}`, `{}`), forbid,
			wantErr{403, CodeForbiddenAttribute, "/data/attributes/amount", "", ""}, 1},
		{"unknown relationship", doc(`{}`, `{"approver":{"data":null}}`), BindOptions{},
			wantErr{400, CodeUnknownRelationship, "/data/relationships/approver", "", ""}, 1},
		{"attribute as relationship", doc(`{}`, `{"title":{"data":null}}`), BindOptions{},
			wantErr{400, CodeUnknownRelationship, "/data/relationships/title", "", ""}, 1},
		{"forbidden relationship", doc(`{}`, `{"unit":{"data":null}}`), forbid,
			wantErr{403, CodeForbiddenRelationship, "/data/relationships/unit", "", ""}, 1},
		{"all errors reported", doc(`{"amount":1,"bogus":2,"title":"ok"}`, `{"nope":{"data":null}}`), forbid,
			wantErr{400, CodeForbiddenAttribute, "/data/attributes/amount", "", ""}, 3},
		{"only forbidden gives 403", doc(`{"amount":1,"priority":2}`, `{}`), forbid,
			wantErr{403, CodeForbiddenAttribute, "/data/attributes/amount", "", ""}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title := "keep"
			got := casePatch{Title: &title, Internal: "server"}
			before := got
			err := mustParse(t, tt.body).Bind(&got, tt.opts)
			checkErr(t, err, tt.want)
			if n := len(mustJSONAPIError(t, err).Objects); n != tt.n {
				t.Errorf("%d error objects, want %d: %v", n, tt.n, err)
			}
			if !reflect.DeepEqual(got, before) || *got.Title != "keep" {
				t.Errorf("dst changed despite error: %+v", got)
			}
		})
	}
}

func TestBindProgrammingErrors(t *testing.T) {
	in := mustParse(t, doc(`{}`, `{}`))
	var notStruct int
	tests := []struct {
		name string
		dst  any
	}{
		{"nil", nil},
		{"non-pointer", casePatch{}},
		{"nil pointer", (*casePatch)(nil)},
		{"pointer to non-struct", &notStruct},
		{"no tags", &struct{ A string }{}},
		{"bad option", &struct {
			A string `jsonapi:"a,weird"`
		}{}},
		{"duplicate name", &struct {
			A string `jsonapi:"a"`
			B string `jsonapi:"a"`
		}{}},
		{"relationship of wrong type", &struct {
			A string `jsonapi:"a,rel"`
		}{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := in.Bind(tt.dst)
			if err == nil {
				t.Fatal("expected an error")
			}
			var je *Error
			if errors.As(err, &je) {
				t.Errorf("programming error should not be a client *Error: %v", err)
			}
		})
	}
}
