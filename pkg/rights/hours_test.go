package rights

import "testing"

// Work hours of the test organisation, seen from user 2.
var (
	hourOwn          = HourAttrs{ID: 1, UserID: 2, Case: caseOwn, UserUnitID: 2}
	hourOwnElsewhere = HourAttrs{ID: 2, UserID: 2, Case: caseElsewhere, UserUnitID: 2}
	hourSub          = HourAttrs{ID: 3, UserID: 3, Case: caseSub, UserUnitID: 3, UserIsMember: true}
	hourSubOtherUnit = HourAttrs{ID: 4, UserID: 4, Case: caseSubOtherUnit, UserUnitID: 4, UserIsMember: true}
	hourUnitNotSub   = HourAttrs{ID: 5, UserID: 5, Case: caseUnitNotSub, UserUnitID: 3, UserIsMember: true}
	hourOutsider     = HourAttrs{ID: 6, UserID: 1, Case: caseElsewhere, UserUnitID: 1, UserIsMember: true}
	hourOnOwnCase    = HourAttrs{ID: 7, UserID: 1, Case: caseOwn, UserUnitID: 1, UserIsMember: true}
	hourSubNotMember = HourAttrs{ID: 8, UserID: 3, Case: caseElsewhere, UserUnitID: 3}
)

func TestDecideHours(t *testing.T) {
	users := func(l UsersLevel) Rights { return with(base(), func(r *Rights) { r.Users = l }) }
	approval := func(l ApprovalLevel) Rights { return with(base(), func(r *Rights) { r.Approval = l }) }
	ownCases := with(base(), func(r *Rights) { r.ApproveOwnCases = true })
	cases := func(l CasesLevel) Rights { return with(base(), func(r *Rights) { r.Cases = l }) }

	tests := []struct {
		name        string
		rights      Rights
		member      []int64
		approvalOff bool
		action      HourAction
		h           HourAttrs
		allow       bool
		reason      Reason
		hidden      FieldMask
	}{
		// rule USR-1: own hours only.
		{"USR-1 views own hours with prices", users(UsersNone), nil, false, HourView, hourOwn, true, ReasonOwnData, 0},
		{"USR-1 enters own hours on member case", users(UsersNone), []int64{105}, false, HourCreate, hourOwnElsewhere, true, ReasonEnterWork, 0},
		{"USR-1 CASE-12 no own hours on a case without membership", users(UsersNone), nil, false, HourCreate, hourOwnElsewhere, false, ReasonEnterWorkDenied, 0},
		{"USR-1 cannot view a subordinate's hours", users(UsersNone), nil, false, HourView, hourSub, false, ReasonHourNotVisible, 0},
		{"USR-1 cannot edit a subordinate's hours", users(UsersNone), nil, false, HourEdit, hourSub, false, ReasonUsersNone, 0},
		// rule USR-2: subordinates' hours, direct and indirect (ORG-2).
		{"USR-2 views a subordinate's hours", users(UsersEditSubordinates), nil, false, HourView, hourSub, true, ReasonUsersSubordinate, 0},
		{"USR-2 views an indirect subordinate's hours", users(UsersEditSubordinates), nil, false, HourView, hourSubOtherUnit, true, ReasonUsersSubordinate, 0},
		{"USR-2 edits a subordinate's hours", users(UsersEditSubordinates), nil, false, HourEdit, hourSub, true, ReasonUsersSubordinate, 0},
		{"USR-2 deletes a subordinate's hours", users(UsersEditSubordinates), nil, false, HourDelete, hourSub, true, ReasonUsersSubordinate, 0},
		{"USR-2 adds hours for a subordinate", users(UsersEditSubordinates), nil, false, HourCreate, hourSub, true, ReasonUsersSubordinate, 0},
		{"USR-2 CASE-12 not for a subordinate outside the case", users(UsersEditSubordinates), nil, false, HourCreate, hourSubNotMember, false, ReasonEnterWorkDenied, 0},
		{"USR-2 does not reach non-subordinates", users(UsersEditSubordinates), nil, false, HourView, hourUnitNotSub, false, ReasonHourNotVisible, 0},
		{"USR-2 cannot edit non-subordinates", users(UsersAddAndEditSubordinates), nil, false, HourEdit, hourUnitNotSub, false, ReasonUserNotSubordinate, 0},
		// rule USR-4: everyone's hours; prices only where owner-like (CASE-6).
		{"USR-4 views anyone's hours", users(UsersAll), nil, false, HourView, hourOutsider, true, ReasonUsersAll, HideFinancials},
		{"USR-4 edits anyone's hours", users(UsersAll), nil, false, HourEdit, hourOutsider, true, ReasonUsersAll, HideFinancials},
		{"USR-4 prices shown on an owner-like case", users(UsersAll), nil, false, HourView, hourOnOwnCase, true, ReasonUsersAll, 0},
		// rule WHA-1: no approval while it is off, and no visibility from it.
		{"WHA-1 approval off: nothing to approve", approval(ApprovalAll), nil, true, HourApprove, hourSub, false, ReasonApprovalDisabled, 0},
		{"WHA-1 approval off: approval gives no visibility", approval(ApprovalAll), nil, true, HourView, hourSub, false, ReasonHourNotVisible, 0},
		{"WHA-1 approval off: approve_own_cases gives nothing", ownCases, nil, true, HourApprove, hourOnOwnCase, false, ReasonApprovalDisabled, 0},
		// rule WHA-2.
		{"WHA-2 none approves nothing", approval(ApprovalNone), nil, false, HourApprove, hourSub, false, ReasonApprovalNone, 0},
		// rule WHA-3: subordinates, and visibility overriding Users none.
		{"WHA-3 approves a subordinate's hours", approval(ApprovalSubordinates), nil, false, HourApprove, hourSub, true, ReasonApprovalSubordinate, 0},
		{"WHA-3 overrides Users none for visibility", approval(ApprovalSubordinates), nil, false, HourView, hourSubOtherUnit, true, ReasonApprovalSubordinate, 0},
		{"WHA-3 visibility does not allow editing", approval(ApprovalSubordinates), nil, false, HourEdit, hourSub, false, ReasonUsersNone, 0},
		{"WHA-3 not own hours", approval(ApprovalSubordinates), nil, false, HourApprove, hourOwn, false, ReasonApprovalSelfDenied, 0},
		{"WHA-3 not a non-subordinate", approval(ApprovalSubordinates), nil, false, HourApprove, hourUnitNotSub, false, ReasonApprovalNotSubordinate, 0},
		// rule WHA-4.
		{"WHA-4 approves own hours", approval(ApprovalSelfAndSubordinates), nil, false, HourApprove, hourOwn, true, ReasonApprovalSelf, 0},
		{"WHA-4 approves a subordinate's hours", approval(ApprovalSelfAndSubordinates), nil, false, HourApprove, hourSubOtherUnit, true, ReasonApprovalSubordinate, 0},
		// rule WHA-5: own unit and own hours, not subordinates outside the unit.
		{"WHA-5 approves a unit colleague", approval(ApprovalOwnUnit), nil, false, HourApprove, hourUnitNotSub, true, ReasonApprovalOwnUnit, HideFinancials},
		{"WHA-5 approves own hours", approval(ApprovalOwnUnit), nil, false, HourApprove, hourOwn, true, ReasonApprovalOwnUnit, 0},
		{"WHA-5 not a subordinate outside the unit", approval(ApprovalOwnUnit), nil, false, HourApprove, hourSubOtherUnit, false, ReasonApprovalOutsideUnit, 0},
		{"WHA-5 sees unit colleagues' hours", approval(ApprovalOwnUnit), nil, false, HourView, hourUnitNotSub, true, ReasonApprovalOwnUnit, HideFinancials},
		// rule WHA-6.
		{"WHA-6 approves anyone", approval(ApprovalAll), nil, false, HourApprove, hourOutsider, true, ReasonApprovalAll, HideFinancials},
		// rule WHA-7: hours on cases the subject owns, overriding Users none.
		{"WHA-7 approves hours on an owned case", ownCases, nil, false, HourApprove, hourOnOwnCase, true, ReasonApprovalOwnCase, 0},
		{"WHA-7 overrides Users none for visibility", ownCases, nil, false, HourView, hourOnOwnCase, true, ReasonApprovalOwnCase, 0},
		{"WHA-7 not on owner-like cases that are not owned", ownCases, nil, false, HourApprove, hourSub, false, ReasonApprovalNone, 0},
		{"WHA-7 not one's own hours", ownCases, nil, false, HourApprove, hourOwn, false, ReasonApprovalNone, 0},
		// rule WHA-8: billing needs invoice access only, with approval on and nobody approving.
		{"WHA-8 unapproved hours are billable", with(base(), func(r *Rights) { r.Cases = CasesManager }), nil, false, HourBill, hourOnOwnCase, true, ReasonHourBillable, 0},
		{"WHA-8 INV-1 billing still needs invoice access", base(), []int64{105}, false, HourBill, hourOutsider, false, ReasonInvoiceOwnerOnly, 0},
		// rule CASE-5: not even own hours' prices.
		{"CASE-5 own hours without price and cost", cases(CasesMemberNoFinancials), nil, false, HourView, hourOwn, true, ReasonOwnData, HideFinancials},
		{"CASE-7 own hours without price and cost", cases(CasesManagerNoFinancials), nil, false, HourView, hourOwn, true, ReasonOwnData, HideFinancials},
		{"CASE-1 decision: Cases none hides own prices", cases(CasesNone), nil, false, HourView, hourOwn, true, ReasonOwnData, HideFinancials},
		{"CASE-8 manager sees own hours' prices on others' cases", cases(CasesManager), nil, false, HourView, hourOwnElsewhere, true, ReasonOwnData, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := subjectOf(2, tc.rights, tc.member...)
			s.Settings.ApprovalEnabled = !tc.approvalOff
			mustDecision(t, DecideHours(s, tc.action, tc.h), tc.allow, tc.reason, tc.hidden)
		})
	}
}

func TestHourMaskReasons(t *testing.T) {
	// rule CASE-5 and CASE-6 name different rules for what they hide.
	d := DecideHours(subjectOf(2, with(base(), func(r *Rights) { r.Cases = CasesMemberNoFinancials })), HourView, hourOwn)
	if d.HiddenBy != ReasonHideMemberNoFinancials || !d.Hidden.Hides("price") || !d.Hidden.Hides("cost") {
		t.Fatalf("CASE-5: got %v", d)
	}
	d = DecideHours(subjectOf(2, with(base(), func(r *Rights) { r.Users = UsersAll })), HourView, hourOutsider)
	if d.HiddenBy != ReasonHidePlainMember {
		t.Fatalf("CASE-6: got %v", d)
	}
}
