package jsonapi

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestParseResourceRejects(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		wantID string
		want   wantErr
	}{
		{"empty body", ``, "", wantErr{400, CodeMalformedJSON, "/", "", ""}},
		{"not json", `{"data":`, "", wantErr{400, CodeMalformedJSON, "/", "", ""}},
		{"trailing garbage", `{"data":{"type":"cases"}} x`, "", wantErr{400, CodeMalformedJSON, "/", "", ""}},
		{"two documents", `{} {}`, "", wantErr{400, CodeMalformedJSON, "/", "", ""}},
		{"array document", `[]`, "", wantErr{400, CodeInvalidDocument, "/", "", ""}},
		{"missing data", `{"meta":{}}`, "", wantErr{400, CodeInvalidDocument, "/data", "", ""}},
		{"null data", `{"data":null}`, "", wantErr{400, CodeInvalidDocument, "/data", "", ""}},
		{"array data", `{"data":[]}`, "", wantErr{400, CodeInvalidDocument, "/data", "", ""}},
		{"string data", `{"data":"cases"}`, "", wantErr{400, CodeInvalidDocument, "/data", "", ""}},
		{"unknown top-level", `{"data":{"type":"cases"},"included":[]}`, "", wantErr{400, CodeUnknownMember, "/included", "", ""}},
		{"errors top-level", `{"data":{"type":"cases"},"errors":[]}`, "", wantErr{400, CodeUnknownMember, "/errors", "", ""}},
		{"meta not object", `{"data":{"type":"cases"},"meta":1}`, "", wantErr{400, CodeInvalidDocument, "/meta", "", ""}},
		{"duplicate top-level", `{"data":{"type":"cases"},"data":{"type":"cases"}}`, "", wantErr{400, CodeDuplicateMember, "/data", "", ""}},
		{"unknown resource member", `{"data":{"type":"cases","title":"x"}}`, "", wantErr{400, CodeUnknownMember, "/data/title", "", ""}},
		{"missing type", `{"data":{"attributes":{}}}`, "", wantErr{400, CodeInvalidDocument, "/data/type", "", ""}},
		{"numeric type", `{"data":{"type":1}}`, "", wantErr{400, CodeInvalidDocument, "/data/type", "", ""}},
		{"empty type", `{"data":{"type":""}}`, "", wantErr{400, CodeInvalidDocument, "/data/type", "", ""}},
		{"wrong type", `{"data":{"type":"users"}}`, "", wantErr{409, CodeTypeMismatch, "/data/type", "", ""}},
		{"wrong type on patch", `{"data":{"type":"users","id":"7"}}`, "7", wantErr{409, CodeTypeMismatch, "/data/type", "", ""}},
		{"client id on create", `{"data":{"type":"cases","id":"9"}}`, "", wantErr{403, CodeClientIDUnsupported, "/data/id", "", ""}},
		{"null id on create", `{"data":{"type":"cases","id":null}}`, "", wantErr{403, CodeClientIDUnsupported, "/data/id", "", ""}},
		{"lid on create", `{"data":{"type":"cases","lid":"a"}}`, "", wantErr{400, CodeUnknownMember, "/data/lid", "", ""}},
		{"missing id on patch", `{"data":{"type":"cases"}}`, "7", wantErr{400, CodeInvalidDocument, "/data/id", "", ""}},
		{"numeric id on patch", `{"data":{"type":"cases","id":7}}`, "7", wantErr{400, CodeInvalidDocument, "/data/id", "", ""}},
		{"other id on patch", `{"data":{"type":"cases","id":"8"}}`, "7", wantErr{409, CodeIDMismatch, "/data/id", "", ""}},
		{"attributes not object", `{"data":{"type":"cases","attributes":[]}}`, "", wantErr{400, CodeInvalidDocument, "/data/attributes", "", ""}},
		{"attributes null", `{"data":{"type":"cases","attributes":null}}`, "", wantErr{400, CodeInvalidDocument, "/data/attributes", "", ""}},
		{"attribute named id", `{"data":{"type":"cases","attributes":{"id":"1"}}}`, "", wantErr{400, CodeInvalidDocument, "/data/attributes/id", "", ""}},
		{"attribute named relationships", `{"data":{"type":"cases","attributes":{"relationships":{}}}}`, "", wantErr{400, CodeInvalidDocument, "/data/attributes/relationships", "", ""}},
		{"duplicate attribute", `{"data":{"type":"cases","attributes":{"amount":1,"amount":1000}}}`, "", wantErr{400, CodeDuplicateMember, "/data/attributes/amount", "", ""}},
		{"duplicate attribute escaped pointer", `{"data":{"type":"cases","attributes":{"a/b~":1,"a/b~":2}}}`, "", wantErr{400, CodeDuplicateMember, "/data/attributes/a~1b~0", "", ""}},
		{"duplicate nested member", `{"data":{"type":"cases","attributes":{"address":{"street":"a","street":"b"}}}}`, "", wantErr{400, CodeDuplicateMember, "/data/attributes/address/street", "", ""}},
		{"duplicate inside array", `{"data":{"type":"cases","attributes":{"tags":[1,{"a":1,"a":2}]}}}`, "", wantErr{400, CodeDuplicateMember, "/data/attributes/tags/1/a", "", ""}},
		{"duplicate in identifier", `{"data":{"type":"cases","relationships":{"owner":{"data":{"type":"users","id":"1","id":"2"}}}}}`, "", wantErr{400, CodeDuplicateMember, "/data/relationships/owner/data/id", "", ""}},
		{"resource meta not object", `{"data":{"type":"cases","meta":[]}}`, "", wantErr{400, CodeInvalidDocument, "/data/meta", "", ""}},
		{"relationships not object", `{"data":{"type":"cases","relationships":[]}}`, "", wantErr{400, CodeInvalidDocument, "/data/relationships", "", ""}},
		{"relationship not object", `{"data":{"type":"cases","relationships":{"owner":"3"}}}`, "", wantErr{400, CodeInvalidDocument, "/data/relationships/owner", "", ""}},
		{"relationship without data", `{"data":{"type":"cases","relationships":{"owner":{"links":{}}}}}`, "", wantErr{400, CodeInvalidRelationship, "/data/relationships/owner/data", "", ""}},
		{"relationship unknown member", `{"data":{"type":"cases","relationships":{"owner":{"data":null,"x":1}}}}`, "", wantErr{400, CodeUnknownMember, "/data/relationships/owner/x", "", ""}},
		{"relationship data string", `{"data":{"type":"cases","relationships":{"owner":{"data":"3"}}}}`, "", wantErr{400, CodeInvalidRelationship, "/data/relationships/owner/data", "", ""}},
		{"identifier without id", `{"data":{"type":"cases","relationships":{"owner":{"data":{"type":"users"}}}}}`, "", wantErr{400, CodeInvalidDocument, "/data/relationships/owner/data/id", "", ""}},
		{"identifier numeric id", `{"data":{"type":"cases","relationships":{"owner":{"data":{"type":"users","id":3}}}}}`, "", wantErr{400, CodeInvalidDocument, "/data/relationships/owner/data/id", "", ""}},
		{"identifier extra member", `{"data":{"type":"cases","relationships":{"owner":{"data":{"type":"users","id":"3","attributes":{}}}}}}`, "", wantErr{400, CodeUnknownMember, "/data/relationships/owner/data/attributes", "", ""}},
		{"to-many bad item", `{"data":{"type":"cases","relationships":{"members":{"data":[{"type":"users","id":"1"},null]}}}}`, "", wantErr{400, CodeInvalidRelationship, "/data/relationships/members/data/1", "", ""}},
		{"field in both namespaces", `{"data":{"type":"cases","attributes":{"owner":"3"},"relationships":{"owner":{"data":null}}}}`, "", wantErr{400, CodeInvalidDocument, "/data/relationships/owner", "", ""}},
		{"relationship named type", `{"data":{"type":"cases","relationships":{"type":{"data":null}}}}`, "", wantErr{400, CodeInvalidDocument, "/data/relationships/type", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ParseResource([]byte(tt.body), "cases", tt.wantID)
			checkErr(t, err, tt.want)
			if in != nil {
				t.Errorf("got a resource alongside an error: %+v", in)
			}
		})
	}
}

func TestParseResourceAccepts(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		wantID string
		want   Incoming
	}{
		{"minimal create", `{"data":{"type":"cases"}}`, "",
			Incoming{Type: "cases", Attributes: map[string]json.RawMessage{}, Relationships: map[string]IncomingRelationship{}}},
		{"full patch", `{"jsonapi":{"version":"1.1"},"meta":{"m":1},"links":{},"data":{"type":"cases","id":"7",` +
			`"attributes":{"title":"T","due":null},"meta":{},"links":{},` +
			`"relationships":{"owner":{"data":{"type":"users","id":"3","meta":{}}},"unit":{"data":null},` +
			`"members":{"data":[{"type":"users","id":"1"}],"meta":{}}}}}`, "7",
			Incoming{Type: "cases", ID: "7",
				Attributes: map[string]json.RawMessage{"title": json.RawMessage(`"T"`), "due": json.RawMessage(`null`)},
				Relationships: map[string]IncomingRelationship{
					"owner":   {Name: "owner", Data: []Identifier{{Type: "users", ID: "3"}}},
					"unit":    {Name: "unit"},
					"members": {Name: "members", Many: true, Data: []Identifier{{Type: "users", ID: "1"}}},
				}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseResource([]byte(tt.body), "cases", tt.wantID)
			if err != nil {
				t.Fatalf("ParseResource: %v", err)
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
		})
	}
}

func TestIncomingRelationshipHelpers(t *testing.T) {
	one := IncomingRelationship{Name: "owner", Data: []Identifier{{Type: "users", ID: "3"}}}
	null := IncomingRelationship{Name: "owner"}
	many := IncomingRelationship{Name: "members", Many: true, Data: []Identifier{
		{Type: "users", ID: "1"}, {Type: "users", ID: "2"}, {Type: "users", ID: "1"}}}
	mixed := IncomingRelationship{Name: "members", Many: true, Data: []Identifier{
		{Type: "users", ID: "1"}, {Type: "cases", ID: "2"}}}
	endpoint := IncomingRelationship{Data: []Identifier{{Type: "cases", ID: "3"}}}

	toOne := []struct {
		name string
		rel  IncomingRelationship
		id   string
		want wantErr
	}{
		{"to-one", one, "3", wantErr{}},
		{"null", null, "", wantErr{}},
		{"list given", many, "", wantErr{400, CodeInvalidRelationship, "/data/relationships/members/data", "", ""}},
		{"wrong type", endpoint, "", wantErr{409, CodeTypeMismatch, "/data/type", "", ""}},
	}
	for _, tt := range toOne {
		t.Run("ToOne "+tt.name, func(t *testing.T) {
			id, err := tt.rel.ToOne("users")
			checkErr(t, err, tt.want)
			if id != tt.id {
				t.Errorf("id = %q, want %q", id, tt.id)
			}
		})
	}
	toMany := []struct {
		name string
		rel  IncomingRelationship
		ids  []string
		want wantErr
	}{
		{"deduplicated", many, []string{"1", "2"}, wantErr{}},
		{"empty", IncomingRelationship{Many: true}, []string{}, wantErr{}},
		{"to-one given", one, nil, wantErr{400, CodeInvalidRelationship, "/data/relationships/owner/data", "", ""}},
		{"wrong type", mixed, nil, wantErr{409, CodeTypeMismatch, "/data/relationships/members/data/1/type", "", ""}},
	}
	for _, tt := range toMany {
		t.Run("ToMany "+tt.name, func(t *testing.T) {
			ids, err := tt.rel.ToMany("users")
			checkErr(t, err, tt.want)
			if !reflect.DeepEqual(ids, tt.ids) {
				t.Errorf("ids = %v, want %v", ids, tt.ids)
			}
		})
	}
}

func TestParseRelationship(t *testing.T) {
	tests := []struct {
		name string
		body string
		rel  IncomingRelationship
		want wantErr
	}{
		{"null", `{"data":null}`, IncomingRelationship{}, wantErr{}},
		{"one", `{"data":{"type":"users","id":"3"}}`, IncomingRelationship{Data: []Identifier{{Type: "users", ID: "3"}}}, wantErr{}},
		{"many", `{"data":[]}`, IncomingRelationship{Many: true, Data: []Identifier{}}, wantErr{}},
		{"missing data", `{}`, IncomingRelationship{}, wantErr{400, CodeInvalidDocument, "/data", "", ""}},
		{"bad item", `{"data":[1]}`, IncomingRelationship{}, wantErr{400, CodeInvalidRelationship, "/data/0", "", ""}},
		{"malformed", `{"data":[}`, IncomingRelationship{}, wantErr{400, CodeMalformedJSON, "/", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRelationship([]byte(tt.body))
			checkErr(t, err, tt.want)
			if err == nil && !reflect.DeepEqual(*got, tt.rel) {
				t.Errorf("got %+v, want %+v", *got, tt.rel)
			}
		})
	}
}
