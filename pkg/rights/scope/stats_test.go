package scope_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/caseroom/caseroom/pkg/rights"
)

// stats counts the decisions compared, so a run shows it tested both sides of each rule.
type stats struct {
	subjects int
	allowed  map[string]int
	denied   map[string]int
	reasons  map[string]int // "allow CASE-10, ORG-3" → decisions
}

// reason counts which rules decided, so a run shows which rules it exercised.
func (st *stats) reason(allow bool, r rights.Reason) {
	if st == nil {
		return
	}
	if st.reasons == nil {
		st.reasons = map[string]int{}
	}
	ids, _, _ := strings.Cut(r.String(), ":")
	verb := "deny "
	if allow {
		verb = "allow "
	}
	st.reasons[verb+ids]++
}

func (st stats) reasonsText() string {
	keys := slices.Sorted(maps.Keys(st.reasons))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, st.reasons[k])
	}
	return strings.Join(parts, "; ")
}

func (st *stats) count(list string, allow bool) {
	if st == nil {
		return
	}
	if st.allowed == nil {
		st.allowed, st.denied = map[string]int{}, map[string]int{}
	}
	if allow {
		st.allowed[list]++
	} else {
		st.denied[list]++
	}
}

func (st stats) String() string {
	var parts []string
	for _, l := range lists {
		parts = append(parts, fmt.Sprintf("%s %d/%d", l.name, st.allowed[l.name], st.denied[l.name]))
	}
	for _, v := range []string{"activities full", "activities name", "activities label"} {
		parts = append(parts, fmt.Sprintf("%s %d", v, st.allowed[v]))
	}
	return strings.Join(parts, ", ")
}
