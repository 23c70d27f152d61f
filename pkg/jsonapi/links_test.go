package jsonapi

import "testing"

func TestPageLinks(t *testing.T) {
	const base = "/api/v1/cases"
	tests := []struct {
		name  string
		raw   string
		total int
		want  Links
	}{
		{"first of three", "page[size]=10", 25, Links{
			Self:  base + "?page%5Bnumber%5D=1&page%5Bsize%5D=10",
			First: base + "?page%5Bnumber%5D=1&page%5Bsize%5D=10",
			Next:  base + "?page%5Bnumber%5D=2&page%5Bsize%5D=10",
			Last:  base + "?page%5Bnumber%5D=3&page%5Bsize%5D=10",
		}},
		{"middle keeps other params in order", "filter%5Bstatus%5D=open&page[number]=2&sort=-title&page%5Bsize%5D=10&q=a+b", 25, Links{
			Self:  base + "?filter%5Bstatus%5D=open&sort=-title&q=a+b&page%5Bnumber%5D=2&page%5Bsize%5D=10",
			First: base + "?filter%5Bstatus%5D=open&sort=-title&q=a+b&page%5Bnumber%5D=1&page%5Bsize%5D=10",
			Prev:  base + "?filter%5Bstatus%5D=open&sort=-title&q=a+b&page%5Bnumber%5D=1&page%5Bsize%5D=10",
			Next:  base + "?filter%5Bstatus%5D=open&sort=-title&q=a+b&page%5Bnumber%5D=3&page%5Bsize%5D=10",
			Last:  base + "?filter%5Bstatus%5D=open&sort=-title&q=a+b&page%5Bnumber%5D=3&page%5Bsize%5D=10",
		}},
		{"last page", "page[number]=3&page[size]=10", 30, Links{
			Self:  base + "?page%5Bnumber%5D=3&page%5Bsize%5D=10",
			First: base + "?page%5Bnumber%5D=1&page%5Bsize%5D=10",
			Prev:  base + "?page%5Bnumber%5D=2&page%5Bsize%5D=10",
			Last:  base + "?page%5Bnumber%5D=3&page%5Bsize%5D=10",
		}},
		{"empty collection", "", 0, Links{
			Self:  base + "?page%5Bnumber%5D=1&page%5Bsize%5D=25",
			First: base + "?page%5Bnumber%5D=1&page%5Bsize%5D=25",
			Last:  base + "?page%5Bnumber%5D=1&page%5Bsize%5D=25",
		}},
		{"beyond the end points prev at last", "page[number]=9&page[size]=10", 15, Links{
			Self:  base + "?page%5Bnumber%5D=9&page%5Bsize%5D=10",
			First: base + "?page%5Bnumber%5D=1&page%5Bsize%5D=10",
			Prev:  base + "?page%5Bnumber%5D=2&page%5Bsize%5D=10",
			Last:  base + "?page%5Bnumber%5D=2&page%5Bsize%5D=10",
		}},
		{"capped size is what links carry", "page[size]=500", 150, Links{
			Self:  base + "?page%5Bnumber%5D=1&page%5Bsize%5D=100",
			First: base + "?page%5Bnumber%5D=1&page%5Bsize%5D=100",
			Next:  base + "?page%5Bnumber%5D=2&page%5Bsize%5D=100",
			Last:  base + "?page%5Bnumber%5D=2&page%5Bsize%5D=100",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := ParseQuery(tt.raw, caseSpec)
			if err != nil {
				t.Fatalf("ParseQuery: %v", err)
			}
			got := PageLinks(base, tt.raw, q, tt.total)
			if got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestResourceAndRelationshipLinks(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"resource", ResourceLink("/api/v1", "cases", "7"), "/api/v1/cases/7"},
		{"resource trailing slash", ResourceLink("/api/v1/", "cases", "7"), "/api/v1/cases/7"},
		{"resource escapes id", ResourceLink("/api/v1", "files", "a/b c"), "/api/v1/files/a%2Fb%20c"},
		{"relationship self", RelationshipLinks("/api/v1", "cases", "7", "owner").Self, "/api/v1/cases/7/relationships/owner"},
		{"relationship related", RelationshipLinks("/api/v1", "cases", "7", "owner").Related, "/api/v1/cases/7/owner"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
}
