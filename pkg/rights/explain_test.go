package rights

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestExplain(t *testing.T) {
	t.Run("CASE-9 allowed because the owner is a subordinate", func(t *testing.T) {
		e := Explain(DecideCase(subjectOf(2, with(base(), func(r *Rights) { r.Cases = CasesManager })), CaseEdit, caseSubOtherUnit))
		if !e.Allowed || !slices.Equal(e.Rules, []string{"CASE-9", "ORG-2"}) || e.Message != "the owner of the case is your subordinate" || e.Hidden != nil {
			t.Fatalf("got %+v", e)
		}
	})
	t.Run("ACC-2 denied with the overriding rule", func(t *testing.T) {
		e := Explain(DecideCase(subjectOf(2, with(base(), func(r *Rights) { r.Accounts = AccountsNone })), CaseView, caseOwn))
		if e.Allowed || e.Rules[0] != "ACC-2" {
			t.Fatalf("got %+v", e)
		}
	})
	t.Run("CASE-6 names the hidden fields and their rule", func(t *testing.T) {
		e := Explain(DecideCase(subjectOf(2, base(), 103), CaseView, caseUnitNotSub))
		if !e.Allowed || !slices.Contains(e.Hidden, "revenue") || !slices.Equal(e.HiddenRules, []string{"CASE-6"}) {
			t.Fatalf("got %+v", e)
		}
		b, err := json.Marshal(e)
		if err != nil || !json.Valid(b) {
			t.Fatalf("json: %s, %v", b, err)
		}
	})
	t.Run("Decision renders for logs", func(t *testing.T) {
		got := DecideCase(subjectOf(2, base(), 103), CaseView, caseUnitNotSub).String()
		if got != "allow (CASE-2, ORG-4: you are a member of the case) hiding financial data (CASE-6: Cases member sees financial data only where owner-like)" {
			t.Fatalf("got %q", got)
		}
	})
}

func TestCaseViewers(t *testing.T) {
	manager := with(base(), func(r *Rights) { r.Cases = CasesManager })
	subjects := []*Subject{
		subjectOf(1, with(base(), func(r *Rights) { r.Cases = CasesAll })), // CASE-11
		subjectOf(2, manager),      // CASE-9: 4 is below 2
		subjectOf(3, base()),       // CASE-9: 4 is below 3
		subjectOf(4, base()),       // owner (CASE-4)
		subjectOf(5, manager, 102), // member (CASE-2), no financials (CASE-8)
		subjectOf(6, manager),      // nothing
	}
	got := CaseViewers(caseSubOtherUnit, subjects)
	want := []struct {
		user   int64
		reason Reason
		hidden FieldMask
	}{
		{1, ReasonCasesAll, 0},
		{2, ReasonCaseSubordinateOwner, 0},
		{3, ReasonCaseSubordinateOwner, 0},
		{4, ReasonCaseOwnerMemberLevel, 0},
		{5, ReasonCaseMember, HideFinancials},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d viewers: %+v", len(got), got)
	}
	for i, w := range want {
		if got[i].UserID != w.user || got[i].Decision.Reason != w.reason || got[i].Decision.Hidden != w.hidden {
			t.Errorf("viewer %d: got %d %v, want %d %v", i, got[i].UserID, got[i].Decision, w.user, w.reason)
		}
	}
}
