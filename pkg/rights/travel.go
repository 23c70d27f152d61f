package rights

// TravelAttrs are the attributes of a travel reimbursement that rights depend on.
type TravelAttrs struct {
	UserID     int64
	UserUnitID int64
	// Case is the case the travel is entered on, if any (CASE-12: membership needed to enter it).
	Case *CaseAttrs
}

// TravelAction is something done to a travel reimbursement.
type TravelAction uint8

// Travel actions (TRV-1..5). Report rows follow TravelView.
const (
	TravelAdd     TravelAction = iota // for oneself only (TRV-2)
	TravelView                        // also the travel report's rows (TRV-2..5)
	TravelEdit                        // one's own (TRV-2)
	TravelDelete                      // one's own (TRV-2)
	TravelApprove                     // TRV-3..5
)

// DecideTravel decides a travel action (TRV-1..5). Nothing is allowed while the feature is off.
func DecideTravel(s *Subject, a TravelAction, t TravelAttrs) Decision {
	own := t.UserID == s.UserID
	switch {
	case !s.Settings.TravelEnabled:
		return deny(ReasonTravelDisabled)
	case s.Rights.Travel == TravelNone:
		return deny(ReasonTravelNone)
	}
	switch a {
	case TravelView:
		if own {
			return allow(ReasonTravelOwn)
		}
		return travelCovers(s, &t)
	case TravelApprove:
		if own && s.Rights.Travel != TravelApproveAll {
			return deny(ReasonTravelSelfApproval)
		}
		return travelCovers(s, &t)
	}
	switch {
	case !own:
		return deny(ReasonTravelOnlyOwn)
	case t.Case != nil && a == TravelAdd:
		return decideEnterWork(s, t.Case)
	}
	return allow(ReasonTravelOwn)
}

// travelCovers applies the approving levels to another user's travel (TRV-3, TRV-4, TRV-5).
func travelCovers(s *Subject, t *TravelAttrs) Decision {
	switch s.Rights.Travel {
	case TravelApproveAll:
		return allow(ReasonTravelAll)
	case TravelApproveOwnUnit:
		if s.OwnUnits.Has(t.UserUnitID) {
			return allow(ReasonTravelOwnUnit)
		}
		return deny(ReasonTravelOutsideUnit)
	case TravelApproveSubordinates:
		if s.Subordinates.Has(t.UserID) {
			return allow(ReasonTravelSubordinate)
		}
		return deny(ReasonTravelNotSubordinate)
	}
	return deny(ReasonTravelCreateOnly)
}
