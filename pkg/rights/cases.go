package rights

// CaseAttrs are the attributes of a case that rights depend on (ORG-4).
type CaseAttrs struct {
	ID        int64
	OwnerID   int64
	UnitID    int64
	AccountID int64
}

// CaseAction is something done to a case or to what hangs off it.
type CaseAction uint8

// Case actions. Invoices, hours, activities and history have their own Decide functions.
const (
	CaseView             CaseAction = iota // the case with its phases and files (CASE-2, CASE-4)
	CaseCreate                             // add a case, owned by the subject (CASE-3)
	CaseEdit                               // change the case's own fields (CASE-4, CASE-12)
	CaseDelete                             // CASE-13
	CaseManageMembers                      // add or remove members (CASE-4, CASE-12)
	CaseManagePhases                       // add, edit, delete phases (CASE-4)
	CaseManageFiles                        // add, edit, delete files and links (CASE-4)
	CaseManageProposals                    // add, view, edit, delete proposals (CASE-4)
	CaseManageResourcing                   // add, view, edit, delete resourcing (CASE-4)
	CaseRecognizeRevenue                   // CASE-4, CASE-7
	CaseEnterWork                          // enter own hours, travel, products (CASE-12, ACC-3)
	CaseJoin                               // add oneself as member (JOIN-1..4)
	CaseShare                              // extranet sharing (EXT-1)
)

// relation is how a subject stands to one case.
type relation uint8

const (
	relNone      relation = iota
	relMember             // may view (CASE-2)
	relOwnerLike          // may do what the level lets an owner do (CASE-4, CASE-8..11)
)

// relate decides the subject's relation to c and which rule gives it. It applies ACC-2 and
// CASE-1 first, so that no other rule can reopen a case they close.
func relate(s *Subject, c *CaseAttrs) (relation, Reason) {
	level := s.Rights.Cases
	switch {
	case s.Rights.Accounts == AccountsNone:
		return relNone, ReasonAccountsNoneCases
	case level == CasesNone:
		return relNone, ReasonCasesNone
	case c.OwnerID == s.UserID && level < CasesManagerNoFinancials:
		return relOwnerLike, ReasonCaseOwnerMemberLevel
	case c.OwnerID == s.UserID:
		return relOwnerLike, ReasonCaseOwner
	case level == CasesAll:
		return relOwnerLike, ReasonCasesAll
	case level == CasesOwnUnit && s.OwnUnits.Has(c.UnitID):
		return relOwnerLike, ReasonCaseOwnUnit
	case s.Subordinates.Has(c.OwnerID):
		return relOwnerLike, ReasonCaseSubordinateOwner
	case s.MemberOf.Has(c.ID):
		return relMember, ReasonCaseMember
	}
	return relNone, ReasonCaseNotVisible
}

// financialMask returns what a subject with relation rel to a case may not see of its
// financial data: CASE-5 and CASE-7 hide it everywhere; CASE-6 and CASE-8 from plain members.
func financialMask(level CasesLevel, rel relation) (FieldMask, Reason) {
	switch {
	case level == CasesNone:
		return HideFinancials, ReasonHideCasesNone
	case level == CasesMemberNoFinancials:
		return HideFinancials, ReasonHideMemberNoFinancials
	case level == CasesManagerNoFinancials:
		return HideFinancials, ReasonHideManagerNoFinancials
	case rel == relOwnerLike:
		return 0, ReasonNone
	case level == CasesMember:
		return HideFinancials, ReasonHidePlainMember
	}
	return HideFinancials, ReasonHidePlainMemberManager
}

// DecideCase decides a case action (ACC-2, ACC-3, CASE-1..13, JOIN-1..4, EXT-1). An allowed
// decision carries the financial mask that applies to the case's data for this subject
// (CASE-5..8); CaseEnterWork and CaseJoin decide no case data and carry none.
func DecideCase(s *Subject, a CaseAction, c CaseAttrs) Decision {
	switch a {
	case CaseCreate:
		return decideCaseCreate(s)
	case CaseEnterWork:
		return decideEnterWork(s, &c)
	case CaseJoin:
		return decideJoin(s, &c)
	}
	rel, why := relate(s, &c)
	if rel == relNone {
		return deny(why)
	}
	level := s.Rights.Cases
	var d Decision
	switch {
	case a == CaseView:
		d = allow(why)
	case rel != relOwnerLike:
		d = deny(ReasonCaseOwnerOnly)
	case a == CaseDelete && (!s.Rights.DeleteCases || level < CasesManagerNoFinancials):
		d = deny(ReasonCaseDeleteDenied)
	case a == CaseRecognizeRevenue && level == CasesManagerNoFinancials:
		d = deny(ReasonRevenueManagerNoFinancials)
	default:
		d = allow(why)
	}
	return d.masked(financialMask(level, rel))
}

// decideCaseCreate: cases are added from manager_no_financials up (CASE-3), never with
// Accounts none (ACC-2). The creator owns the new case, hence the owner's mask.
func decideCaseCreate(s *Subject) Decision {
	switch {
	case s.Rights.Accounts == AccountsNone:
		return deny(ReasonAccountsNoneCases)
	case s.Rights.Cases < CasesManagerNoFinancials:
		return deny(ReasonCaseCreateDenied)
	}
	return allow(ReasonCaseCreate).masked(financialMask(s.Rights.Cases, relOwnerLike))
}

// decideEnterWork: hours, travel and products need real membership or ownership (CASE-12),
// whatever the Accounts and Cases levels (ACC-3, CASE-1); owner-like access is not enough.
func decideEnterWork(s *Subject, c *CaseAttrs) Decision {
	if c.OwnerID == s.UserID || s.MemberOf.Has(c.ID) {
		return allow(ReasonEnterWork)
	}
	return deny(ReasonEnterWorkDenied)
}

// decideJoin applies JOIN-1..3 after the Accounts none override (JOIN-4, ACC-2).
func decideJoin(s *Subject, c *CaseAttrs) Decision {
	switch {
	case s.Rights.Accounts == AccountsNone:
		return deny(ReasonJoinAccountsNone)
	case s.Rights.Join == JoinAny:
		return allow(ReasonJoinAny)
	case s.Rights.Join == JoinOwnUnit && s.OwnUnits.Has(c.UnitID):
		return allow(ReasonJoinOwnUnit)
	case s.Rights.Join == JoinOwnUnit:
		return deny(ReasonJoinOutsideUnit)
	}
	return deny(ReasonJoinNo)
}

// AllocationAttrs are the attributes of a resource allocation: whose time, on which case.
type AllocationAttrs struct {
	UserID int64
	Case   CaseAttrs
}

// DecideAllocation decides adding, editing or deleting a resource allocation. Owner-likes manage
// every allocation of the case (CASE-4); own_resource_allocations lets a user manage their own
// on a case they can view (CASE-14); Accounts none closes resourcing (ACC-2).
func DecideAllocation(s *Subject, al AllocationAttrs) Decision {
	rel, why := relate(s, &al.Case)
	switch {
	case rel == relOwnerLike:
		return allow(why)
	case rel == relNone:
		return deny(why)
	case s.Rights.OwnResourceAllocations && al.UserID == s.UserID:
		return allow(ReasonOwnAllocation)
	}
	return deny(ReasonAllocationDenied)
}
