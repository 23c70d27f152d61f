package rights

import (
	"errors"
	"fmt"
	"testing"
)

func TestLevelNames(t *testing.T) {
	type roundTrip struct {
		right string
		names []string
		parse func(string) (fmt.Stringer, error)
	}
	wrap := func(f func(string) (fmt.Stringer, error)) func(string) (fmt.Stringer, error) { return f }
	trips := []roundTrip{
		{ColAccounts, accountsNames, wrap(func(s string) (fmt.Stringer, error) { return ParseAccountsLevel(s) })},
		{ColCases, casesNames, wrap(func(s string) (fmt.Stringer, error) { return ParseCasesLevel(s) })},
		{ColJoinCases, joinNames, wrap(func(s string) (fmt.Stringer, error) { return ParseJoinLevel(s) })},
		{ColUsers, usersNames, wrap(func(s string) (fmt.Stringer, error) { return ParseUsersLevel(s) })},
		{ColApproval, approvalNames, wrap(func(s string) (fmt.Stringer, error) { return ParseApprovalLevel(s) })},
		{ColTravel, travelNames, wrap(func(s string) (fmt.Stringer, error) { return ParseTravelLevel(s) })},
		{ColAdmin, adminNames, wrap(func(s string) (fmt.Stringer, error) { return ParseAdminLevel(s) })},
	}
	for _, tr := range trips {
		for _, name := range tr.names {
			t.Run(tr.right+" "+name, func(t *testing.T) {
				l, err := tr.parse(name)
				if err != nil || l.String() != name {
					t.Fatalf("round trip %q: %v, %v", name, l, err)
				}
			})
		}
		t.Run(tr.right+" rejects unknown text", func(t *testing.T) {
			if _, err := tr.parse("All"); !errors.Is(err, ErrInvalidValue) {
				t.Fatalf("got %v", err)
			}
		})
	}
	t.Run("out of range prints its number", func(t *testing.T) {
		if got := CasesLevel(42).String(); got != "level(42)" {
			t.Fatalf("got %q", got)
		}
	})
}

// rule ORG-6: levels are ordered as RIGHTS.md lists them, lowest first.
func TestLevelOrder(t *testing.T) {
	ordered := []bool{
		AccountsNone < AccountsReadOnly && AccountsReadOnly < AccountsViewAndEdit && AccountsViewAndEdit < AccountsAll,
		CasesNone < CasesMemberNoFinancials && CasesMemberNoFinancials < CasesMember && CasesMember < CasesManagerNoFinancials &&
			CasesManagerNoFinancials < CasesManager && CasesManager < CasesOwnUnit && CasesOwnUnit < CasesAll,
		JoinNo < JoinOwnUnit && JoinOwnUnit < JoinAny,
		UsersNone < UsersEditSubordinates && UsersEditSubordinates < UsersAddAndEditSubordinates && UsersAddAndEditSubordinates < UsersAll,
		ApprovalNone < ApprovalSubordinates && ApprovalSubordinates < ApprovalSelfAndSubordinates &&
			ApprovalSelfAndSubordinates < ApprovalOwnUnit && ApprovalOwnUnit < ApprovalAll,
		TravelNone < TravelCreate && TravelCreate < TravelApproveSubordinates && TravelApproveSubordinates < TravelApproveOwnUnit &&
			TravelApproveOwnUnit < TravelApproveAll,
		AdminNone < AdminEditSettings && AdminEditSettings < AdminAll,
	}
	for i, ok := range ordered {
		if !ok {
			t.Errorf("right %d is not ordered", i)
		}
	}
}

func TestFlags(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{{"yes", true}, {"no", false}, {"true", true}, {"false", false}} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseFlag(ColSharing, tc.in)
			if err != nil || got != tc.want {
				t.Fatalf("got %v, %v", got, err)
			}
		})
	}
	t.Run("rejects other text", func(t *testing.T) {
		if _, err := ParseFlag(ColSharing, "Yes"); !errors.Is(err, ErrInvalidValue) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("stored form", func(t *testing.T) {
		if FormatFlag(true) != "yes" || FormatFlag(false) != "no" {
			t.Fatal("flags are stored as yes and no")
		}
	})
}
