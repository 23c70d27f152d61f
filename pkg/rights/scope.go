package rights

import "slices"

// CaseScope is the set of cases a list may return, in a form an SQL WHERE clause can use. It is
// derived from the same rules as the single-object decisions (STYLE rule 2), so that
// scope.Contains(c, member) == DecideCase(s, CaseView, c).Allow for every case. A case is in the
// scope when All is set, or its owner is in OwnerIDs, or its unit is in UnitIDs, or MemberUserID
// is non-zero and that user is a member of it. The zero value is the empty scope.
type CaseScope struct {
	All          bool
	OwnerIDs     []int64 // the subject and their subordinates (CASE-4, CASE-8, CASE-9)
	UnitIDs      []int64 // own unit and sub-units with Cases own_unit (CASE-10)
	MemberUserID int64   // cases where this user is a member (CASE-2)
	// MemberCaseIDs are those cases (Subject.MemberOf), for conditions that name them rather
	// than look them up.
	MemberCaseIDs []int64
}

// Empty reports whether the scope holds no case at all.
func (sc CaseScope) Empty() bool {
	return !sc.All && len(sc.OwnerIDs) == 0 && len(sc.UnitIDs) == 0 && sc.MemberUserID == 0
}

// Contains reports whether c is in the scope; member says whether MemberUserID is a member of c.
func (sc CaseScope) Contains(c CaseAttrs, member bool) bool {
	return sc.All || has(sc.OwnerIDs, c.OwnerID) || has(sc.UnitIDs, c.UnitID) || sc.MemberUserID != 0 && member
}

// ViewableCases returns the cases the subject may view (ACC-2, CASE-1, CASE-2, CASE-4, CASE-8..11).
func ViewableCases(s *Subject) CaseScope {
	sc := ownerLikeCases(s)
	// A closed scope (ACC-2, CASE-1) stays empty: membership does not reopen it.
	if !sc.All && !sc.Empty() {
		sc.MemberUserID = s.UserID
		sc.MemberCaseIDs = s.MemberOf.IDs()
	}
	return sc
}

// InvoiceCases returns the cases whose invoices the subject may view: owner-like cases, never
// with manager_no_financials (INV-1, CASE-7).
func InvoiceCases(s *Subject) CaseScope {
	if s.Rights.Cases == CasesManagerNoFinancials {
		return CaseScope{}
	}
	return ownerLikeCases(s)
}

func ownerLikeCases(s *Subject) CaseScope {
	switch {
	case s.Rights.Accounts == AccountsNone || s.Rights.Cases == CasesNone:
		return CaseScope{}
	case s.Rights.Cases == CasesAll:
		return CaseScope{All: true}
	}
	sc := CaseScope{OwnerIDs: s.Subordinates.With(s.UserID).IDs()}
	if s.Rights.Cases == CasesOwnUnit {
		sc.UnitIDs = s.OwnUnits.IDs()
	}
	return sc
}

// HourScope is the set of work-hour entries a list may return (same contract as CaseScope with
// DecideHours(s, HourView, h)). An entry is in it when All is set, or its user is in UserIDs, or
// its user's unit is in UserUnitIDs, or CaseOwnerID is non-zero and owns the entry's case.
type HourScope struct {
	All         bool
	UserIDs     []int64 // self (USR-1), subordinates (USR-2, WHA-3)
	UserUnitIDs []int64 // approval own_unit (WHA-5)
	CaseOwnerID int64   // approve_own_cases (WHA-7)
}

// Contains reports whether h is in the scope.
func (sc HourScope) Contains(h HourAttrs) bool {
	return sc.All || has(sc.UserIDs, h.UserID) || has(sc.UserUnitIDs, h.UserUnitID) ||
		sc.CaseOwnerID != 0 && h.Case.OwnerID == sc.CaseOwnerID
}

// ViewableHours returns the work hours the subject may view (USR-1, USR-2, USR-4, WHA-1, WHA-3..7).
func ViewableHours(s *Subject) HourScope {
	r, on := s.Rights, s.Settings.ApprovalEnabled
	if r.Users == UsersAll || on && r.Approval == ApprovalAll {
		return HourScope{All: true}
	}
	sc := HourScope{UserIDs: []int64{s.UserID}}
	if r.Users >= UsersEditSubordinates || on && (r.Approval == ApprovalSubordinates || r.Approval == ApprovalSelfAndSubordinates) {
		sc.UserIDs = s.Subordinates.With(s.UserID).IDs()
	}
	if on && r.Approval == ApprovalOwnUnit {
		sc.UserUnitIDs = s.OwnUnits.IDs()
	}
	if on && r.ApproveOwnCases {
		sc.CaseOwnerID = s.UserID
	}
	return sc
}

// TravelScope is the set of travel reimbursements a list or the travel report may return (same
// contract as CaseScope with DecideTravel(s, TravelView, t)).
type TravelScope struct {
	All         bool
	UserIDs     []int64 // self (TRV-2), subordinates (TRV-3)
	UserUnitIDs []int64 // approve_own_unit (TRV-4)
}

// Contains reports whether t is in the scope.
func (sc TravelScope) Contains(t TravelAttrs) bool {
	return sc.All || has(sc.UserIDs, t.UserID) || has(sc.UserUnitIDs, t.UserUnitID)
}

// ViewableTravel returns the travel reimbursements the subject may view (TRV-1..5).
func ViewableTravel(s *Subject) TravelScope {
	if !s.Settings.TravelEnabled {
		return TravelScope{}
	}
	switch s.Rights.Travel {
	case TravelNone:
		return TravelScope{}
	case TravelApproveAll:
		return TravelScope{All: true}
	case TravelApproveSubordinates:
		return TravelScope{UserIDs: s.Subordinates.With(s.UserID).IDs()}
	case TravelApproveOwnUnit:
		return TravelScope{UserIDs: []int64{s.UserID}, UserUnitIDs: s.OwnUnits.IDs()}
	}
	return TravelScope{UserIDs: []int64{s.UserID}}
}

func has(sorted []int64, id int64) bool {
	_, ok := slices.BinarySearch(sorted, id)
	return ok
}
