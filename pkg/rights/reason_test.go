package rights

import (
	"regexp"
	"strings"
	"testing"
)

func TestReasons(t *testing.T) {
	ruleID := regexp.MustCompile(`^(ORG|ACC|CASE|JOIN|USR|INV|WHA|TRV|SHR|ADM|API|PRF|ACT|EXT)-[0-9]+$`)
	for x := ReasonNone + 1; x < reasonCount; x++ {
		rules := x.Rules()
		if len(rules) == 0 || x.Message() == "" {
			t.Errorf("reason %d has no rule or no message", x)
			continue
		}
		for _, id := range rules {
			if !ruleID.MatchString(id) {
				t.Errorf("reason %d names %q, not a RIGHTS.md id", x, id)
			}
		}
		if !strings.HasPrefix(x.String(), rules[0]) {
			t.Errorf("reason %d renders as %q", x, x.String())
		}
	}
	t.Run("CASE-9 renders for the explain endpoint", func(t *testing.T) {
		if got := ReasonCaseSubordinateOwner.String(); got != "CASE-9, ORG-2: the owner of the case is your subordinate" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("Rules returns a copy", func(t *testing.T) {
		ReasonCasesAll.Rules()[0] = "X-1"
		if ReasonCasesAll.Rules()[0] != "CASE-11" {
			t.Fatal("callers must not change the table")
		}
	})
	t.Run("out of range", func(t *testing.T) {
		if reasonCount.Rules() != nil || reasonCount.String() != "unknown reason" || ReasonNone.String() != "no rule applies" {
			t.Fatal("unknown reasons render safely")
		}
	})
}
