package jsonapi

import (
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// Defaults applied by ParseQuery when a QuerySpec leaves them zero.
const (
	DefaultMaxIncludeDepth = 3
	DefaultPageSize        = 25
	DefaultMaxPageSize     = 100
)

// QuerySpec declares, per endpoint, which query parameters it supports.
// Anything not declared is rejected with 400, because JSON:API requires a
// server to refuse query parameters it cannot honour rather than answer
// something the client did not ask for.
type QuerySpec struct {
	// Cursor offers paging by cursor (page[after], page[before]) besides page[number].
	Cursor bool
	// Sort lists the fields the client may sort by.
	Sort []string
	// Filters lists the allowed filter[NAME] names.
	Filters []string
	// Include lists the allowed dotted include paths. Every prefix of a
	// listed path is allowed too ("owner.unit" allows "owner").
	Include []string
	// MaxIncludeDepth limits the segments of an include path (default 3).
	MaxIncludeDepth int
	// DefaultPageSize is used when page[size] is absent (default 25).
	DefaultPageSize int
	// MaxPageSize caps page[size] (default 100).
	MaxPageSize int
	// Custom lists extra parameter names (base names, before any bracket)
	// the endpoint accepts even though they are all lowercase a-z and so
	// would otherwise count as reserved by JSON:API. Names that contain any
	// other character are implementation-specific and always accepted.
	Custom []string
}

// Query is the validated result of ParseQuery.
type Query struct {
	// Include holds the requested include paths, deduplicated, in request
	// order. It is nil when include was absent and empty (non-nil) for
	// "include=", which asks for no related resources at all.
	Include []string
	// Fields maps a resource type to its sparse fieldset. An empty slice
	// ("fields[cases]=") means no fields at all.
	Fields map[string][]string
	// Sort holds the sort fields in priority order.
	Sort []SortField
	// Filter maps a filter name to its raw (decoded) value.
	Filter map[string]string
	// Page is the requested page, with defaults applied.
	Page Page
	// Custom holds every implementation-specific parameter, keyed by its
	// full decoded name.
	Custom url.Values
}

// SortField is one entry of the sort parameter.
type SortField struct {
	Field string
	// Desc is true for a "-field" entry.
	Desc bool
}

// FilterValue returns the value of filter[name] and whether it was given.
func (q Query) FilterValue(name string) (string, bool) {
	v, ok := q.Filter[name]
	return v, ok
}

// Fieldset returns the sparse fieldset for typ and whether one was given.
func (q Query) Fieldset(typ string) ([]string, bool) {
	f, ok := q.Fields[typ]
	return f, ok
}

// Includes reports whether path was requested, directly or as the prefix
// of a longer requested path (which JSON:API says includes it as well).
func (q Query) Includes(path string) bool {
	for _, p := range q.Include {
		if p == path || strings.HasPrefix(p, path+".") {
			return true
		}
	}
	return false
}

// ParseQueryCtx parses the request's raw query string against spec.
func ParseQueryCtx(c *fiber.Ctx, spec QuerySpec) (Query, error) {
	return ParseQuery(string(c.Request().URI().QueryString()), spec)
}

// ParseQuery parses a raw (still percent-encoded) query string against
// spec. The error, if any, is an *Error with status 400 whose source names
// the offending parameter. A page[size] above spec.MaxPageSize is capped
// silently rather than rejected, so clients can ask for "as many as you
// allow" (likewise page[number] above 2^31-1); a non-numeric or
// non-positive page value is rejected.
func ParseQuery(raw string, spec QuerySpec) (Query, error) {
	spec = spec.withDefaults()
	p := queryParser{spec: spec, seen: map[string]bool{}}
	p.q.Page = Page{Number: 1, Size: spec.DefaultPageSize}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		if err := p.param(part); err != nil {
			return Query{}, err
		}
	}
	return p.q, nil
}

// withDefaults fills zero limits.
func (s QuerySpec) withDefaults() QuerySpec {
	if s.MaxIncludeDepth <= 0 {
		s.MaxIncludeDepth = DefaultMaxIncludeDepth
	}
	if s.MaxPageSize <= 0 {
		s.MaxPageSize = DefaultMaxPageSize
	}
	if s.DefaultPageSize <= 0 {
		s.DefaultPageSize = DefaultPageSize
	}
	s.DefaultPageSize = min(s.DefaultPageSize, s.MaxPageSize)
	return s
}

// queryParser carries state across the parameters of one query string.
type queryParser struct {
	spec QuerySpec
	seen map[string]bool
	q    Query
}

// param handles one "key=value" piece of the query string.
func (p *queryParser) param(part string) *Error {
	rawKey, rawValue, _ := strings.Cut(part, "=")
	key, err := url.QueryUnescape(rawKey)
	if err != nil {
		return badParam(rawKey, "The parameter name is not correctly percent-encoded.")
	}
	value, err := url.QueryUnescape(rawValue)
	if err != nil {
		return badParam(key, "The parameter value is not correctly percent-encoded.")
	}
	if !utf8.ValidString(key) || !utf8.ValidString(value) || strings.ContainsRune(key+value, 0) {
		return badParam(key, "Query parameters must be UTF-8 text without NUL characters.")
	}
	base, members, ok := splitParamName(key)
	if !ok {
		return badParam(key, "The parameter name has malformed brackets.")
	}
	family := isReserved(base) && !slices.Contains(p.spec.Custom, base)
	if !family {
		if p.q.Custom == nil {
			p.q.Custom = url.Values{}
		}
		p.q.Custom.Add(key, value)
		return nil
	}
	if p.seen[key] {
		return badParam(key, "The parameter is given more than once.")
	}
	p.seen[key] = true
	switch base {
	case "include":
		return p.include(key, members, value)
	case "fields":
		return p.fields(key, members, value)
	case "sort":
		return p.sort(key, members, value)
	case "page":
		return p.page(key, members, value)
	case "filter":
		return p.filter(key, members, value)
	}
	return badParam(key, "This query parameter is not supported.")
}

// splitParamName splits "filter[status]" into "filter" and ["status"]. It
// fails on unbalanced or nested brackets and on a missing base name. Empty
// brackets ("a[]") are legal JSON:API syntax and yield an empty member.
func splitParamName(key string) (base string, members []string, ok bool) {
	i := strings.IndexAny(key, "[]")
	if i < 0 {
		return key, nil, key != ""
	}
	if i == 0 || key[i] == ']' {
		return "", nil, false
	}
	base, rest := key[:i], key[i:]
	for rest != "" {
		if rest[0] != '[' {
			return "", nil, false
		}
		end := strings.IndexAny(rest[1:], "[]")
		if end < 0 || rest[1+end] != ']' {
			return "", nil, false
		}
		members = append(members, rest[1:1+end])
		rest = rest[end+2:]
	}
	return base, members, true
}

// isReserved reports whether name consists only of a-z, which JSON:API
// reserves for its own query parameters.
func isReserved(name string) bool {
	for i := 0; i < len(name); i++ {
		if name[i] < 'a' || name[i] > 'z' {
			return false
		}
	}
	return name != ""
}

// badParam is the generic 400 for a query parameter.
func badParam(name, detail string) *Error {
	return BadRequest(CodeInvalidQueryParameter, detail).WithParameter(name)
}
