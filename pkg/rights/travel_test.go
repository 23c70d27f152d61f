package rights

import "testing"

func TestDecideTravel(t *testing.T) {
	level := func(l TravelLevel) Rights { return with(base(), func(r *Rights) { r.Travel = l }) }
	own := TravelAttrs{UserID: 2, UserUnitID: 2}
	ownOnCase := func(c CaseAttrs) TravelAttrs { return TravelAttrs{UserID: 2, UserUnitID: 2, Case: &c} }
	sub := TravelAttrs{UserID: 3, UserUnitID: 3}
	subOtherUnit := TravelAttrs{UserID: 4, UserUnitID: 4}
	unitNotSub := TravelAttrs{UserID: 5, UserUnitID: 3}
	outsider := TravelAttrs{UserID: 1, UserUnitID: 1}

	tests := []struct {
		name   string
		rights Rights
		off    bool
		member []int64
		action TravelAction
		t      TravelAttrs
		allow  bool
		reason Reason
	}{
		{"TRV-1 feature off", level(TravelApproveAll), true, nil, TravelAdd, own, false, ReasonTravelDisabled},
		{"TRV-1 none cannot add", level(TravelNone), false, nil, TravelAdd, own, false, ReasonTravelNone},
		{"TRV-1 none cannot view own", level(TravelNone), false, nil, TravelView, own, false, ReasonTravelNone},
		{"TRV-1 none cannot approve", level(TravelNone), false, nil, TravelApprove, sub, false, ReasonTravelNone},
		{"TRV-2 create adds own", level(TravelCreate), false, nil, TravelAdd, own, true, ReasonTravelOwn},
		{"TRV-2 create views own", level(TravelCreate), false, nil, TravelView, own, true, ReasonTravelOwn},
		{"TRV-2 create edits own", level(TravelCreate), false, nil, TravelEdit, own, true, ReasonTravelOwn},
		{"TRV-2 create approves nothing", level(TravelCreate), false, nil, TravelApprove, sub, false, ReasonTravelCreateOnly},
		{"TRV-2 create cannot approve own", level(TravelCreate), false, nil, TravelApprove, own, false, ReasonTravelSelfApproval},
		{"TRV-2 create does not view a subordinate's", level(TravelCreate), false, nil, TravelView, sub, false, ReasonTravelCreateOnly},
		{"TRV-2 nobody adds for someone else", level(TravelApproveAll), false, nil, TravelAdd, sub, false, ReasonTravelOnlyOwn},
		{"TRV-2 approvers do not edit others'", level(TravelApproveAll), false, nil, TravelEdit, sub, false, ReasonTravelOnlyOwn},
		{"TRV-2 CASE-12 travel on a member case", level(TravelCreate), false, []int64{105}, TravelAdd, ownOnCase(caseElsewhere), true, ReasonEnterWork},
		{"TRV-2 CASE-12 no travel on a case without membership", level(TravelCreate), false, nil, TravelAdd, ownOnCase(caseElsewhere), false, ReasonEnterWorkDenied},
		{"TRV-3 approves a subordinate's", level(TravelApproveSubordinates), false, nil, TravelApprove, sub, true, ReasonTravelSubordinate},
		{"TRV-3 reports an indirect subordinate's in another unit", level(TravelApproveSubordinates), false, nil, TravelView, subOtherUnit, true, ReasonTravelSubordinate},
		{"TRV-3 not a non-subordinate", level(TravelApproveSubordinates), false, nil, TravelApprove, unitNotSub, false, ReasonTravelNotSubordinate},
		{"TRV-3 not own", level(TravelApproveSubordinates), false, nil, TravelApprove, own, false, ReasonTravelSelfApproval},
		{"TRV-4 approves a unit colleague", level(TravelApproveOwnUnit), false, nil, TravelApprove, unitNotSub, true, ReasonTravelOwnUnit},
		{"TRV-4 reports a subordinate in the unit", level(TravelApproveOwnUnit), false, nil, TravelView, sub, true, ReasonTravelOwnUnit},
		{"TRV-4 not a subordinate outside the unit", level(TravelApproveOwnUnit), false, nil, TravelView, subOtherUnit, false, ReasonTravelOutsideUnit},
		{"TRV-4 not own", level(TravelApproveOwnUnit), false, nil, TravelApprove, own, false, ReasonTravelSelfApproval},
		{"TRV-5 approves anyone", level(TravelApproveAll), false, nil, TravelApprove, outsider, true, ReasonTravelAll},
		{"TRV-5 approves own", level(TravelApproveAll), false, nil, TravelApprove, own, true, ReasonTravelAll},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := subjectOf(2, tc.rights, tc.member...)
			s.Settings.TravelEnabled = !tc.off
			mustDecision(t, DecideTravel(s, tc.action, tc.t), tc.allow, tc.reason, 0)
		})
	}
}
