package rights

import "testing"

// The test organisation. Supervisor tree: 1 ← 2 ← 3 ← 4, 1 ← 5 ← 6.
// Unit tree: 1 (HQ) ← 2 (Consulting) ← 3 (Team A); 1 ← 4 (Team B).
// User 2 (the usual subject) sits in unit 2: subordinates {3, 4}, own units {2, 3}.
// User 4 is a subordinate outside the own unit; user 5 is in the own unit but no subordinate.
var (
	testSupervisorOf = map[int64]int64{1: 0, 2: 1, 3: 2, 4: 3, 5: 1, 6: 5}
	testUnitParentOf = map[int64]int64{1: 0, 2: 1, 3: 2, 4: 1}
	testUnitOf       = map[int64]int64{1: 1, 2: 2, 3: 3, 4: 4, 5: 3, 6: 2}
	testOrg          = NewOrg(testSupervisorOf, testUnitParentOf)
)

// Cases of the test organisation, named by how they stand to user 2.
var (
	caseOwn          = CaseAttrs{ID: 100, OwnerID: 2, UnitID: 2, AccountID: 10}
	caseSub          = CaseAttrs{ID: 101, OwnerID: 3, UnitID: 3, AccountID: 10}
	caseSubOtherUnit = CaseAttrs{ID: 102, OwnerID: 4, UnitID: 4, AccountID: 11}
	caseUnitNotSub   = CaseAttrs{ID: 103, OwnerID: 5, UnitID: 3, AccountID: 11}
	caseElsewhere    = CaseAttrs{ID: 105, OwnerID: 1, UnitID: 1, AccountID: 12}
)

// base is a plain employee's rights; tests change what they are about.
func base() Rights {
	return Rights{Accounts: AccountsReadOnly, Cases: CasesMember}
}

// with returns r changed by f, so that table rows read as "base, except …".
func with(r Rights, f func(*Rights)) Rights {
	f(&r)
	return r
}

// subjectOf builds user id's subject from the test organisation, member of the given cases,
// with approval and travel switched on.
func subjectOf(id int64, r Rights, memberOf ...int64) *Subject {
	s := testOrg.Subject(id, testUnitOf[id], r)
	s.MemberOf = NewSet(memberOf...)
	s.Settings = Settings{ApprovalEnabled: true, TravelEnabled: true}
	return &s
}

// mustDecision fails the test unless got allows (or denies) for the wanted reason and hides
// exactly the wanted groups.
func mustDecision(t *testing.T, got Decision, allow bool, reason Reason, hidden FieldMask) {
	t.Helper()
	if got.Allow != allow || got.Reason != reason || got.Hidden != hidden {
		want := Decision{Allow: allow, Reason: reason, Hidden: hidden}
		t.Fatalf("got %v hidden=%b, want %v hidden=%b", got, got.Hidden, want, want.Hidden)
	}
	if got.Hidden != 0 && got.HiddenBy == ReasonNone {
		t.Fatalf("hidden fields without a HiddenBy reason: %v", got)
	}
}
