package jsonapi

import (
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// caseSpec is the QuerySpec of a typical list endpoint.
var caseSpec = QuerySpec{
	Sort:    []string{"title", "createdAt"},
	Filters: []string{"status", "owner"},
	Include: []string{"owner.unit.parent", "members", "files"},
	Custom:  []string{"q"},
}

var cursorSpec = QuerySpec{Cursor: true, Sort: []string{"title"}}

func TestParseQueryAccepts(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		spec QuerySpec
		want Query
	}{
		{"empty", "", caseSpec, Query{Page: Page{Number: 1, Size: 25}}},
		{"stray ampersands", "&&", caseSpec, Query{Page: Page{Number: 1, Size: 25}}},
		{"include", "include=owner,members,owner", caseSpec,
			Query{Include: []string{"owner", "members"}, Page: Page{Number: 1, Size: 25}}},
		{"include prefix of allowed path", "include=owner.unit", caseSpec,
			Query{Include: []string{"owner.unit"}, Page: Page{Number: 1, Size: 25}}},
		{"include full depth", "include=owner.unit.parent", caseSpec,
			Query{Include: []string{"owner.unit.parent"}, Page: Page{Number: 1, Size: 25}}},
		{"empty include", "include=", caseSpec, Query{Include: []string{}, Page: Page{Number: 1, Size: 25}}},
		{"encoded include", "include=owner%2Cfiles", caseSpec,
			Query{Include: []string{"owner", "files"}, Page: Page{Number: 1, Size: 25}}},
		{"fields", "fields[cases]=title,amount&fields%5Busers%5D=", caseSpec,
			Query{Fields: map[string][]string{"cases": {"title", "amount"}, "users": {}}, Page: Page{Number: 1, Size: 25}}},
		{"sort", "sort=-createdAt,title", caseSpec,
			Query{Sort: []SortField{{"createdAt", true}, {"title", false}}, Page: Page{Number: 1, Size: 25}}},
		{"page", "page[number]=3&page[size]=10", caseSpec, Query{Page: Page{Number: 3, Size: 10}}},
		{"cursor after", "page[after]=abc&page[size]=10", cursorSpec, Query{Page: Page{Number: 1, Size: 10, After: "abc", ByCursor: true}}},
		{"cursor from the start", "page[after]=", cursorSpec, Query{Page: Page{Number: 1, Size: 25, ByCursor: true}}},
		{"page size capped", "page[size]=1000", caseSpec, Query{Page: Page{Number: 1, Size: 100}}},
		{"huge page size capped", "page[size]=99999999999999999999999", caseSpec, Query{Page: Page{Number: 1, Size: 100}}},
		{"huge page number capped", "page[number]=99999999999999999999999", caseSpec, Query{Page: Page{Number: 2147483647, Size: 25}}},
		{"custom limits", "page[size]=60", QuerySpec{DefaultPageSize: 5, MaxPageSize: 50}, Query{Page: Page{Number: 1, Size: 50}}},
		{"default above max", "", QuerySpec{DefaultPageSize: 500, MaxPageSize: 50}, Query{Page: Page{Number: 1, Size: 50}}},
		{"filter", "filter[status]=open,closed&filter[owner]=", caseSpec,
			Query{Filter: map[string]string{"status": "open,closed", "owner": ""}, Page: Page{Number: 1, Size: 25}}},
		{"filter plus decodes to space", "filter[status]=in+review", caseSpec,
			Query{Filter: map[string]string{"status": "in review"}, Page: Page{Number: 1, Size: 25}}},
		{"listed lowercase custom", "q=smith", caseSpec,
			Query{Custom: map[string][]string{"q": {"smith"}}, Page: Page{Number: 1, Size: 25}}},
		{"implementation specific", "camelCase=1&_=123&with_underscore=x&x1=2", caseSpec,
			Query{Custom: map[string][]string{"camelCase": {"1"}, "_": {"123"}, "with_underscore": {"x"}, "x1": {"2"}}, Page: Page{Number: 1, Size: 25}}},
		{"implementation specific family", "myFilter[a]=1", caseSpec,
			Query{Custom: map[string][]string{"myFilter[a]": {"1"}}, Page: Page{Number: 1, Size: 25}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQuery(tt.raw, tt.spec)
			if err != nil {
				t.Fatalf("ParseQuery(%q): %v", tt.raw, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseQueryRejects(t *testing.T) {
	bad := func(code, param string) wantErr { return wantErr{status: 400, code: code, parameter: param} }
	tests := []struct {
		name string
		raw  string
		want wantErr
	}{
		{"unknown include", "include=secrets", bad(CodeInvalidInclude, "include")},
		{"unknown nested include", "include=owner.password", bad(CodeInvalidInclude, "include")},
		{"include too deep", "include=owner.unit.parent.parent", bad(CodeIncludeTooDeep, "include")},
		{"include empty segment", "include=owner..unit", bad(CodeInvalidInclude, "include")},
		{"include trailing comma", "include=owner,", bad(CodeInvalidInclude, "include")},
		{"include with brackets", "include[x]=owner", bad(CodeInvalidQueryParameter, "include[x]")},
		{"include twice", "include=owner&include=files", bad(CodeInvalidQueryParameter, "include")},
		{"unknown sort", "sort=amount", bad(CodeInvalidSort, "sort")},
		{"empty sort", "sort=", bad(CodeInvalidSort, "sort")},
		{"sort only minus", "sort=-", bad(CodeInvalidSort, "sort")},
		{"sort double minus", "sort=--title", bad(CodeInvalidSort, "sort")},
		{"sort twice same field", "sort=title,-title", bad(CodeInvalidSort, "sort")},
		{"sort with brackets", "sort[title]=asc", bad(CodeInvalidQueryParameter, "sort[title]")},
		{"page number zero", "page[number]=0", bad(CodeInvalidPage, "page[number]")},
		{"page number negative", "page[number]=-1", bad(CodeInvalidPage, "page[number]")},
		{"page number signed", "page[number]=+2", bad(CodeInvalidPage, "page[number]")},
		{"page size text", "page[size]=ten", bad(CodeInvalidPage, "page[size]")},
		{"page size empty", "page[size]=", bad(CodeInvalidPage, "page[size]")},
		{"page size zero", "page[size]=000", bad(CodeInvalidPage, "page[size]")},
		{"page size float", "page[size]=1.5", bad(CodeInvalidPage, "page[size]")},
		{"page cursor", "page[cursor]=abc", bad(CodeInvalidQueryParameter, "page[cursor]")},
		{"cursor where not offered", "page[after]=abc", bad(CodeInvalidQueryParameter, "page[after]")},
		{"bare page", "page=2", bad(CodeInvalidQueryParameter, "page")},
		{"page twice", "page[size]=2&page[size]=3", bad(CodeInvalidQueryParameter, "page[size]")},
		{"unknown filter", "filter[amount]=5", bad(CodeInvalidFilter, "filter[amount]")},
		{"bare filter", "filter=status", bad(CodeInvalidFilter, "filter")},
		{"nested filter", "filter[status][op]=eq", bad(CodeInvalidFilter, "filter[status][op]")},
		{"empty filter name", "filter[]=x", bad(CodeInvalidFilter, "filter[]")},
		{"filter twice", "filter[status]=a&filter[status]=b", bad(CodeInvalidQueryParameter, "filter[status]")},
		{"bare fields", "fields=title", bad(CodeInvalidFields, "fields")},
		{"fields without type", "fields[]=title", bad(CodeInvalidFields, "fields[]")},
		{"fields nested", "fields[cases][x]=title", bad(CodeInvalidFields, "fields[cases][x]")},
		{"fields empty name", "fields[cases]=title,,amount", bad(CodeInvalidFields, "fields[cases]")},
		{"fields twice", "fields[cases]=a&fields[cases]=b", bad(CodeInvalidQueryParameter, "fields[cases]")},
		{"reserved unknown", "search=x", bad(CodeInvalidQueryParameter, "search")},
		{"reserved unknown family", "foo[bar]=x", bad(CodeInvalidQueryParameter, "foo[bar]")},
		{"reserved without value", "debug", bad(CodeInvalidQueryParameter, "debug")},
		{"unclosed bracket", "filter[status=open", bad(CodeInvalidQueryParameter, "filter[status")},
		{"stray close bracket", "filter]status[=x", bad(CodeInvalidQueryParameter, "filter]status[")},
		{"nested open bracket", "filter[[status]]=x", bad(CodeInvalidQueryParameter, "filter[[status]]")},
		{"text after bracket", "filter[status]x=1", bad(CodeInvalidQueryParameter, "filter[status]x")},
		{"no base", "[status]=x", bad(CodeInvalidQueryParameter, "[status]")},
		{"malformed custom brackets", "myParam[=1", bad(CodeInvalidQueryParameter, "myParam[")},
		{"bad escape in name", "inc%ZZlude=x", bad(CodeInvalidQueryParameter, "inc%ZZlude")},
		{"bad escape in value", "include=%G1", bad(CodeInvalidQueryParameter, "include")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseQuery(tt.raw, caseSpec)
			checkErr(t, err, tt.want)
		})
	}
}

func TestQueryHelpers(t *testing.T) {
	q, err := ParseQuery("include=owner.unit&filter[status]=open&fields[cases]=title", caseSpec)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"includes requested", q.Includes("owner.unit"), true},
		{"includes intermediate", q.Includes("owner"), true},
		{"not included", q.Includes("files"), false},
		{"not a segment prefix", q.Includes("own"), false},
		{"filter present", func() bool { v, ok := q.FilterValue("status"); return ok && v == "open" }(), true},
		{"filter absent", func() bool { _, ok := q.FilterValue("owner"); return ok }(), false},
		{"fieldset present", func() bool { f, ok := q.Fieldset("cases"); return ok && len(f) == 1 }(), true},
		{"fieldset absent", func() bool { _, ok := q.Fieldset("users"); return ok }(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
}

func TestPageOffset(t *testing.T) {
	tests := []struct {
		page   Page
		offset int
	}{
		{Page{Number: 1, Size: 25}, 0},
		{Page{Number: 2, Size: 25}, 25},
		{Page{Number: 4, Size: 10}, 30},
		{Page{Number: 0, Size: 10}, 0},
		{Page{Number: 2147483647, Size: 100}, 214748364600},
	}
	for _, tt := range tests {
		t.Run("", func(t *testing.T) {
			if got := tt.page.Offset(); got != tt.offset {
				t.Errorf("%+v.Offset() = %d, want %d", tt.page, got, tt.offset)
			}
			if tt.page.Limit() != tt.page.Size {
				t.Errorf("Limit() = %d", tt.page.Limit())
			}
		})
	}
}

func TestParseQueryCtx(t *testing.T) {
	app := fiber.New()
	app.Get("/cases", func(c *fiber.Ctx) error {
		q, err := ParseQueryCtx(c, caseSpec)
		if err != nil {
			return Write(c, mustJSONAPIError(t, err))
		}
		return c.SendString(q.Sort[0].Field)
	})
	tests := []struct {
		target string
		status int
	}{
		{"/cases?sort=-title&fields%5Bcases%5D=title", 200},
		{"/cases?sort=amount", 400},
		{"/cases?filter%5Bstatus=x", 400},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			resp, body := mustDo(t, app, httptest.NewRequest("GET", tt.target, nil))
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
		})
	}
}
