package jsonapi

import "testing"

func TestLinkageTargets(t *testing.T) {
	if got := ToOne("users", "3").Targets(); len(got) != 1 || got[0].ID != "3" || got[0].Type != "users" {
		t.Fatalf("to-one targets %v", got)
	}
	if got := ToMany(Identifiers("users", "1", "2")).Targets(); len(got) != 2 || got[1].ID != "2" {
		t.Fatalf("to-many targets %v", got)
	}
	if got := ToOneNull().Targets(); got != nil {
		t.Fatalf("null targets %v", got)
	}
	var absent Linkage
	if got := absent.Targets(); got != nil {
		t.Fatalf("absent targets %v", got)
	}
}
