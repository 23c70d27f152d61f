package jsonapi

import (
	"reflect"
	"testing"
)

func TestApplyFields(t *testing.T) {
	newCase := func() *Resource {
		return &Resource{Type: "cases", ID: "7",
			Attributes: map[string]any{"title": "T", "amount": 5, "status": "open"},
			Relationships: map[string]Relationship{
				"owner": {Data: ToOne("users", "1")}, "members": {Data: ToMany(nil)},
			}}
	}
	tests := []struct {
		name      string
		raw       string
		wantAttrs []string
		wantRels  []string
	}{
		{"no fieldset", "", []string{"amount", "status", "title"}, []string{"members", "owner"}},
		{"other type only", "fields[users]=name", []string{"amount", "status", "title"}, []string{"members", "owner"}},
		{"subset", "fields[cases]=title,owner,unknown", []string{"title"}, []string{"owner"}},
		{"empty fieldset drops everything", "fields[cases]=", []string{}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(tt.raw, QuerySpec{})
			if err != nil {
				t.Fatalf("ParseQuery: %v", err)
			}
			res := newCase()
			ApplyFields(res, q)
			if got := sortedNames(res.Attributes); !reflect.DeepEqual(got, tt.wantAttrs) {
				t.Errorf("attributes = %v, want %v", got, tt.wantAttrs)
			}
			if got := sortedNames(res.Relationships); !reflect.DeepEqual(got, tt.wantRels) {
				t.Errorf("relationships = %v, want %v", got, tt.wantRels)
			}
		})
	}
	t.Run("nil resource", func(t *testing.T) {
		ApplyFields(nil, Query{Fields: map[string][]string{"cases": {}}})
	})
}

func TestDocumentApplyFields(t *testing.T) {
	q, err := ParseQuery("fields[cases]=title&fields[users]=", QuerySpec{})
	if err != nil {
		t.Fatal(err)
	}
	d := Document{
		Data:     Many([]*Resource{{Type: "cases", ID: "1", Attributes: map[string]any{"title": "a", "amount": 1}}}),
		Included: []*Resource{{Type: "users", ID: "2", Attributes: map[string]any{"name": "n"}}},
	}
	d.ApplyFields(q)
	want := `{"data":[{"type":"cases","id":"1","attributes":{"title":"a"}}],"included":[{"type":"users","id":"2"}],"jsonapi":{"version":"1.1"}}`
	if got := mustMarshal(t, d); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
