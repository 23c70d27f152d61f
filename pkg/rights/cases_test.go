package rights

import "testing"

func TestDecideCase(t *testing.T) {
	manager := with(base(), func(r *Rights) { r.Cases = CasesManager })
	memberNoFin := with(base(), func(r *Rights) { r.Cases = CasesMemberNoFinancials })
	managerNoFin := with(base(), func(r *Rights) { r.Cases = CasesManagerNoFinancials })
	ownUnit := with(base(), func(r *Rights) { r.Cases = CasesOwnUnit })
	all := with(base(), func(r *Rights) { r.Cases = CasesAll })
	accountsNone := func(c CasesLevel) Rights {
		return with(base(), func(r *Rights) { r.Accounts, r.Cases, r.Join = AccountsNone, c, JoinAny })
	}
	casesNone := with(base(), func(r *Rights) { r.Cases = CasesNone })
	withDelete := func(r Rights) Rights { return with(r, func(r *Rights) { r.DeleteCases = true }) }

	tests := []struct {
		name   string
		rights Rights
		member []int64
		action CaseAction
		c      CaseAttrs
		allow  bool
		reason Reason
		hidden FieldMask
	}{
		// rule ACC-2: Accounts none closes every case, even owned ones and with Cases all.
		{"ACC-2 owner with cases all cannot view", accountsNone(CasesAll), nil, CaseView, caseOwn, false, ReasonAccountsNoneCases, 0},
		{"ACC-2 member cannot view", accountsNone(CasesManager), []int64{103}, CaseView, caseUnitNotSub, false, ReasonAccountsNoneCases, 0},
		{"ACC-2 owner cannot edit", accountsNone(CasesManager), nil, CaseEdit, caseOwn, false, ReasonAccountsNoneCases, 0},
		{"ACC-2 cannot manage resourcing", accountsNone(CasesAll), nil, CaseManageResourcing, caseOwn, false, ReasonAccountsNoneCases, 0},
		{"ACC-2 cannot add cases", accountsNone(CasesAll), nil, CaseCreate, CaseAttrs{}, false, ReasonAccountsNoneCases, 0},
		// rule ACC-3: … but still enters work where member or owner.
		{"ACC-3 member enters work", accountsNone(CasesManager), []int64{103}, CaseEnterWork, caseUnitNotSub, true, ReasonEnterWork, 0},
		{"ACC-3 owner enters work", accountsNone(CasesManager), nil, CaseEnterWork, caseOwn, true, ReasonEnterWork, 0},
		// rule CASE-1: Cases none enters work on own cases and nothing else.
		{"CASE-1 owner enters work", casesNone, nil, CaseEnterWork, caseOwn, true, ReasonEnterWork, 0},
		{"CASE-1 owner cannot view", casesNone, nil, CaseView, caseOwn, false, ReasonCasesNone, 0},
		{"CASE-1 member cannot view", casesNone, []int64{103}, CaseView, caseUnitNotSub, false, ReasonCasesNone, 0},
		{"CASE-1 no phases", casesNone, nil, CaseManagePhases, caseOwn, false, ReasonCasesNone, 0},
		{"CASE-1 no revenue", casesNone, nil, CaseRecognizeRevenue, caseOwn, false, ReasonCasesNone, 0},
		{"CASE-1 no proposals", casesNone, nil, CaseManageProposals, caseOwn, false, ReasonCasesNone, 0},
		// rule CASE-2: members view; others don't.
		{"CASE-2 member views", base(), []int64{103}, CaseView, caseUnitNotSub, true, ReasonCaseMember, HideFinancials},
		{"CASE-2 member_no_financials member views", memberNoFin, []int64{103}, CaseView, caseUnitNotSub, true, ReasonCaseMember, HideFinancials},
		{"CASE-2 non-member cannot view", base(), nil, CaseView, caseElsewhere, false, ReasonCaseNotVisible, 0},
		// rule ORG-4: the owner counts as a member without a membership row.
		{"ORG-4 owner views without membership row", base(), nil, CaseView, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"ORG-4 owner enters work without membership row", manager, nil, CaseEnterWork, caseOwn, true, ReasonEnterWork, 0},
		// rule CASE-3: adding cases from manager_no_financials up.
		{"CASE-3 member_no_financials cannot add", memberNoFin, nil, CaseCreate, CaseAttrs{}, false, ReasonCaseCreateDenied, 0},
		{"CASE-3 member cannot add", base(), nil, CaseCreate, CaseAttrs{}, false, ReasonCaseCreateDenied, 0},
		{"CASE-3 manager_no_financials adds", managerNoFin, nil, CaseCreate, CaseAttrs{}, true, ReasonCaseCreate, HideFinancials},
		{"CASE-3 manager adds", manager, nil, CaseCreate, CaseAttrs{}, true, ReasonCaseCreate, 0},
		// rule CASE-4: member levels act as owner on owned cases.
		{"CASE-4 member owner views", base(), nil, CaseView, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-4 member owner edits", base(), nil, CaseEdit, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-4 member owner manages members", base(), nil, CaseManageMembers, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-4 member owner manages phases", base(), nil, CaseManagePhases, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-4 member owner manages files", base(), nil, CaseManageFiles, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-4 member owner manages proposals", base(), nil, CaseManageProposals, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-4 member owner manages resourcing", base(), nil, CaseManageResourcing, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-4 member owner recognizes revenue", base(), nil, CaseRecognizeRevenue, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-4 member_no_financials owner recognizes revenue", memberNoFin, nil, CaseRecognizeRevenue, caseOwn, true, ReasonCaseOwnerMemberLevel, HideFinancials},
		// rule CASE-12: plain members neither edit nor manage.
		{"CASE-12 plain member cannot edit", manager, []int64{103}, CaseEdit, caseUnitNotSub, false, ReasonCaseOwnerOnly, 0},
		{"CASE-12 plain member cannot manage phases", base(), []int64{103}, CaseManagePhases, caseUnitNotSub, false, ReasonCaseOwnerOnly, 0},
		{"CASE-12 owner-like non-member cannot enter work", all, nil, CaseEnterWork, caseElsewhere, false, ReasonEnterWorkDenied, 0},
		{"CASE-12 non-member cannot enter work", base(), nil, CaseEnterWork, caseElsewhere, false, ReasonEnterWorkDenied, 0},
		{"CASE-12 member enters work", base(), []int64{105}, CaseEnterWork, caseElsewhere, true, ReasonEnterWork, 0},
		// rule CASE-5: member_no_financials sees no financial data even as owner.
		{"CASE-5 owner sees no financials", memberNoFin, nil, CaseView, caseOwn, true, ReasonCaseOwnerMemberLevel, HideFinancials},
		// rule CASE-6: member sees financials as owner, not as plain member.
		{"CASE-6 member owner sees financials", base(), nil, CaseView, caseOwn, true, ReasonCaseOwnerMemberLevel, 0},
		{"CASE-6 plain member sees no financials", base(), []int64{103}, CaseView, caseUnitNotSub, true, ReasonCaseMember, HideFinancials},
		// rule CASE-7: manager_no_financials: owned cases without financials, no revenue.
		{"CASE-7 owner views without financials", managerNoFin, nil, CaseView, caseOwn, true, ReasonCaseOwner, HideFinancials},
		{"CASE-7 owner edits", managerNoFin, nil, CaseEdit, caseOwn, true, ReasonCaseOwner, HideFinancials},
		{"CASE-7 no revenue recognition", managerNoFin, nil, CaseRecognizeRevenue, caseOwn, false, ReasonRevenueManagerNoFinancials, 0},
		// rule CASE-8: manager sees everything as owner, no financials as plain member.
		{"CASE-8 owner sees financials", manager, nil, CaseView, caseOwn, true, ReasonCaseOwner, 0},
		{"CASE-8 owner edits", manager, nil, CaseEdit, caseOwn, true, ReasonCaseOwner, 0},
		{"CASE-8 owner recognizes revenue", manager, nil, CaseRecognizeRevenue, caseOwn, true, ReasonCaseOwner, 0},
		{"CASE-8 plain member sees no financials", manager, []int64{103}, CaseView, caseUnitNotSub, true, ReasonCaseMember, HideFinancials},
		// rule CASE-9: a subordinate's case counts as owned, whatever its unit.
		{"CASE-9 subordinate's case in own unit", memberNoFin, nil, CaseEdit, caseSub, true, ReasonCaseSubordinateOwner, HideFinancials},
		{"CASE-9 subordinate's case in another unit", manager, nil, CaseEdit, caseSubOtherUnit, true, ReasonCaseSubordinateOwner, 0},
		{"CASE-9 indirect subordinate (ORG-2)", base(), nil, CaseManagePhases, caseSubOtherUnit, true, ReasonCaseSubordinateOwner, 0},
		{"CASE-9 not a subordinate", manager, nil, CaseView, CaseAttrs{ID: 104, OwnerID: 6, UnitID: 2}, false, ReasonCaseNotVisible, 0},
		// rule CASE-10: own_unit is owner-like on the unit and its sub-units.
		{"CASE-10 case in sub-unit", ownUnit, nil, CaseEdit, caseUnitNotSub, true, ReasonCaseOwnUnit, 0},
		{"CASE-10 case in own unit", ownUnit, nil, CaseRecognizeRevenue, CaseAttrs{ID: 104, OwnerID: 6, UnitID: 2}, true, ReasonCaseOwnUnit, 0},
		{"CASE-10 case in parent unit", ownUnit, nil, CaseView, caseElsewhere, false, ReasonCaseNotVisible, 0},
		{"CASE-10 plain member outside unit sees no financials", ownUnit, []int64{105}, CaseView, caseElsewhere, true, ReasonCaseMember, HideFinancials},
		{"CASE-10 subordinate outside unit still via CASE-9", ownUnit, nil, CaseEdit, caseSubOtherUnit, true, ReasonCaseSubordinateOwner, 0},
		// rule CASE-11: all is owner-like everywhere.
		{"CASE-11 any case", all, nil, CaseEdit, caseElsewhere, true, ReasonCasesAll, 0},
		{"CASE-11 manages resourcing", all, nil, CaseManageResourcing, caseElsewhere, true, ReasonCasesAll, 0},
		// rule CASE-13: delete needs the flag, manager_no_financials or higher, and owner-like access.
		{"CASE-13 manager owner with flag deletes", withDelete(manager), nil, CaseDelete, caseOwn, true, ReasonCaseOwner, 0},
		{"CASE-13 manager_no_financials owner with flag deletes", withDelete(managerNoFin), nil, CaseDelete, caseOwn, true, ReasonCaseOwner, HideFinancials},
		{"CASE-13 all with flag deletes any", withDelete(all), nil, CaseDelete, caseElsewhere, true, ReasonCasesAll, 0},
		{"CASE-13 manager owner without flag", manager, nil, CaseDelete, caseOwn, false, ReasonCaseDeleteDenied, 0},
		{"CASE-13 member owner with flag", withDelete(base()), nil, CaseDelete, caseOwn, false, ReasonCaseDeleteDenied, 0},
		{"CASE-13 plain member with flag", withDelete(manager), []int64{103}, CaseDelete, caseUnitNotSub, false, ReasonCaseOwnerOnly, 0},
		// rule JOIN-1..4.
		{"JOIN-1 no", with(base(), func(r *Rights) { r.Join = JoinNo }), nil, CaseJoin, caseElsewhere, false, ReasonJoinNo, 0},
		{"JOIN-2 own unit sub-unit", with(base(), func(r *Rights) { r.Join = JoinOwnUnit }), nil, CaseJoin, caseUnitNotSub, true, ReasonJoinOwnUnit, 0},
		{"JOIN-2 outside unit", with(base(), func(r *Rights) { r.Join = JoinOwnUnit }), nil, CaseJoin, caseElsewhere, false, ReasonJoinOutsideUnit, 0},
		{"JOIN-3 any", with(base(), func(r *Rights) { r.Join = JoinAny }), nil, CaseJoin, caseElsewhere, true, ReasonJoinAny, 0},
		{"JOIN-3 any with Cases none", with(casesNone, func(r *Rights) { r.Join = JoinAny }), nil, CaseJoin, caseElsewhere, true, ReasonJoinAny, 0},
		{"JOIN-4 accounts none overrides", accountsNone(CasesAll), nil, CaseJoin, caseOwn, false, ReasonJoinAccountsNone, 0},
		// rule EXT-1: sharing is owner-like.
		{"EXT-1 owner-like shares", manager, nil, CaseShare, caseSub, true, ReasonCaseSubordinateOwner, 0},
		{"EXT-1 plain member cannot share", manager, []int64{103}, CaseShare, caseUnitNotSub, false, ReasonCaseOwnerOnly, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := subjectOf(2, tc.rights, tc.member...)
			mustDecision(t, DecideCase(s, tc.action, tc.c), tc.allow, tc.reason, tc.hidden)
		})
	}
}

func TestDecideAllocation(t *testing.T) {
	flag := func(r Rights) Rights { return with(r, func(r *Rights) { r.OwnResourceAllocations = true }) }
	tests := []struct {
		name   string
		rights Rights
		member []int64
		al     AllocationAttrs
		allow  bool
		reason Reason
	}{
		{"CASE-14 own allocation with flag", flag(base()), []int64{103}, AllocationAttrs{UserID: 2, Case: caseUnitNotSub}, true, ReasonOwnAllocation},
		{"CASE-14 own allocation without flag", base(), []int64{103}, AllocationAttrs{UserID: 2, Case: caseUnitNotSub}, false, ReasonAllocationDenied},
		{"CASE-14 flag does not reach others' allocations", flag(base()), []int64{103}, AllocationAttrs{UserID: 5, Case: caseUnitNotSub}, false, ReasonAllocationDenied},
		{"CASE-14 flag needs a case one can view", flag(base()), nil, AllocationAttrs{UserID: 2, Case: caseElsewhere}, false, ReasonCaseNotVisible},
		{"CASE-4 owner-like manages every allocation", base(), nil, AllocationAttrs{UserID: 5, Case: caseSub}, true, ReasonCaseSubordinateOwner},
		{"ACC-2 closes resourcing even with the flag", flag(with(base(), func(r *Rights) { r.Accounts = AccountsNone })), []int64{103}, AllocationAttrs{UserID: 2, Case: caseUnitNotSub}, false, ReasonAccountsNoneCases},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecision(t, DecideAllocation(subjectOf(2, tc.rights, tc.member...), tc.al), tc.allow, tc.reason, 0)
		})
	}
}
