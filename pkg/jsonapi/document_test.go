package jsonapi

import (
	"strings"
	"testing"
)

func TestDocumentJSON(t *testing.T) {
	res := &Resource{Type: "cases", ID: "7", Attributes: map[string]any{"title": "A", "amount": 10}}
	tests := []struct {
		name string
		doc  Document
		want string
	}{
		{"single", Document{Data: One(res)},
			`{"data":{"type":"cases","id":"7","attributes":{"amount":10,"title":"A"}},"jsonapi":{"version":"1.1"}}`},
		{"nil resource is null", Document{Data: One(nil)}, `{"data":null,"jsonapi":{"version":"1.1"}}`},
		{"explicit null", Document{Data: Null()}, `{"data":null,"jsonapi":{"version":"1.1"}}`},
		{"nil list is empty array", Document{Data: Many(nil)}, `{"data":[],"jsonapi":{"version":"1.1"}}`},
		{"empty list", Document{Data: Many([]*Resource{})}, `{"data":[],"jsonapi":{"version":"1.1"}}`},
		{"no data member", Document{Meta: Meta{"total": 0}}, `{"meta":{"total":0},"jsonapi":{"version":"1.1"}}`},
		{"to-one linkage", Document{Data: ToOne("users", "3").Data()},
			`{"data":{"type":"users","id":"3"},"jsonapi":{"version":"1.1"}}`},
		{"null linkage", Document{Data: ToOneNull().Data()}, `{"data":null,"jsonapi":{"version":"1.1"}}`},
		{"empty to-many linkage", Document{Data: ToMany(nil).Data()}, `{"data":[],"jsonapi":{"version":"1.1"}}`},
		{"explicit version kept", Document{Meta: Meta{"a": 1}, JSONAPI: JSONAPIObject{Version: "1.0"}},
			`{"meta":{"a":1},"jsonapi":{"version":"1.0"}}`},
		{"links", Document{Data: Many(nil), Links: &Links{Self: "/x", Next: "/x?n"}},
			`{"data":[],"links":{"self":"/x","next":"/x?n"},"jsonapi":{"version":"1.1"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := mustMarshal(t, tt.doc); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestResourceRelationships(t *testing.T) {
	res := Resource{Type: "cases", ID: "7", Relationships: map[string]Relationship{
		"owner":   {Data: ToOne("users", "3"), Links: RelationshipLinks("/api/v1", "cases", "7", "owner")},
		"unit":    {Data: ToOneNull()},
		"members": {Data: ToMany(Identifiers("users", "1", "2"))},
		"files":   {Links: &Links{Related: "/api/v1/cases/7/files"}},
	}}
	want := `{"type":"cases","id":"7","relationships":{` +
		`"files":{"links":{"related":"/api/v1/cases/7/files"}},` +
		`"members":{"data":[{"type":"users","id":"1"},{"type":"users","id":"2"}]},` +
		`"owner":{"data":{"type":"users","id":"3"},"links":{"self":"/api/v1/cases/7/relationships/owner","related":"/api/v1/cases/7/owner"}},` +
		`"unit":{"data":null}}}`
	if got := mustMarshal(t, res); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestAttributesStableAndHiddenAbsent(t *testing.T) {
	newRes := func() *Resource {
		return &Resource{Type: "invoices", ID: "1", Attributes: map[string]any{
			"zeta": 1, "alpha": 2, "amount": 99.5, "rate": 12, "note": nil,
		}, Relationships: map[string]Relationship{"approver": {Data: ToOne("users", "1")}}}
	}
	first := mustMarshal(t, newRes())
	for i := range 20 {
		if got := mustMarshal(t, newRes()); got != first {
			t.Fatalf("run %d: output not stable:\n%s\n%s", i, got, first)
		}
	}
	t.Run("hidden fields absent", func(t *testing.T) {
		r := newRes()
		r.Hide("amount", "rate", "approver")
		got := mustMarshal(t, r)
		for _, hidden := range []string{"amount", "rate", "approver"} {
			if strings.Contains(got, hidden) {
				t.Errorf("%q still present in %s", hidden, got)
			}
		}
		if !strings.Contains(got, `"note":null`) {
			t.Errorf("explicit nil attribute should stay as null: %s", got)
		}
		if !strings.Contains(got, `"alpha":2,"note":null,"zeta":1`) {
			t.Errorf("attributes not sorted: %s", got)
		}
	})
	t.Run("all hidden drops the member", func(t *testing.T) {
		r := &Resource{Type: "x", ID: "1", Attributes: map[string]any{"a": 1}}
		r.Hide("a")
		if got := mustMarshal(t, r); got != `{"type":"x","id":"1"}` {
			t.Errorf("got %s", got)
		}
	})
}

func TestDataResources(t *testing.T) {
	a, b := &Resource{Type: "x", ID: "1"}, &Resource{Type: "x", ID: "2"}
	tests := []struct {
		name string
		data Data
		n    int
	}{
		{"absent", Data{}, 0},
		{"null", Null(), 0},
		{"one", One(a), 1},
		{"many", Many([]*Resource{a, b}), 2},
		{"linkage", ToOne("x", "1").Data(), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := len(tt.data.Resources()); got != tt.n {
				t.Errorf("Resources() has %d, want %d", got, tt.n)
			}
		})
	}
}
