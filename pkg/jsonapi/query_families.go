package jsonapi

import (
	"fmt"
	"slices"
	"strings"
)

// include parses the include parameter.
func (p *queryParser) include(key string, members []string, value string) *Error {
	if len(members) != 0 {
		return badParam(key, "include takes no brackets.")
	}
	p.q.Include = []string{}
	if value == "" {
		return nil
	}
	for _, path := range strings.Split(value, ",") {
		segs := strings.Split(path, ".")
		if slices.Contains(segs, "") {
			return BadRequest(CodeInvalidInclude, "Include paths must not have empty segments.").WithParameter("include")
		}
		if len(segs) > p.spec.MaxIncludeDepth {
			return BadRequest(CodeIncludeTooDeep,
				fmt.Sprintf("Include paths may have at most %d segments.", p.spec.MaxIncludeDepth)).WithParameter("include")
		}
		if !includeAllowed(p.spec.Include, path) {
			return BadRequest(CodeInvalidInclude,
				fmt.Sprintf("The relationship path %q cannot be included here.", path)).WithParameter("include")
		}
		if !slices.Contains(p.q.Include, path) {
			p.q.Include = append(p.q.Include, path)
		}
	}
	return nil
}

// includeAllowed reports whether path is one of allowed or a prefix of one.
func includeAllowed(allowed []string, path string) bool {
	for _, a := range allowed {
		if a == path || strings.HasPrefix(a, path+".") {
			return true
		}
	}
	return false
}

// fields parses one fields[TYPE] parameter.
func (p *queryParser) fields(key string, members []string, value string) *Error {
	if len(members) != 1 || members[0] == "" {
		return BadRequest(CodeInvalidFields, "Sparse fieldsets are written fields[TYPE]=a,b.").WithParameter(key)
	}
	list := []string{}
	if value != "" {
		for _, f := range strings.Split(value, ",") {
			if f == "" {
				return BadRequest(CodeInvalidFields, "Field names must not be empty.").WithParameter(key)
			}
			if !slices.Contains(list, f) {
				list = append(list, f)
			}
		}
	}
	if p.q.Fields == nil {
		p.q.Fields = map[string][]string{}
	}
	p.q.Fields[members[0]] = list
	return nil
}

// sort parses the sort parameter.
func (p *queryParser) sort(key string, members []string, value string) *Error {
	if len(members) != 0 {
		return badParam(key, "sort takes no brackets.")
	}
	for _, f := range strings.Split(value, ",") {
		field, desc := strings.CutPrefix(f, "-")
		if !slices.Contains(p.spec.Sort, field) {
			return BadRequest(CodeInvalidSort, fmt.Sprintf("Sorting by %q is not supported.", field)).WithParameter("sort")
		}
		for _, s := range p.q.Sort {
			if s.Field == field {
				return BadRequest(CodeInvalidSort, fmt.Sprintf("%q is sorted by twice.", field)).WithParameter("sort")
			}
		}
		p.q.Sort = append(p.q.Sort, SortField{Field: field, Desc: desc})
	}
	return nil
}

// filter parses one filter[NAME] parameter.
func (p *queryParser) filter(key string, members []string, value string) *Error {
	if len(members) != 1 || !slices.Contains(p.spec.Filters, members[0]) {
		return BadRequest(CodeInvalidFilter, "This filter is not supported.").WithParameter(key)
	}
	if p.q.Filter == nil {
		p.q.Filter = map[string]string{}
	}
	p.q.Filter[members[0]] = value
	return nil
}
