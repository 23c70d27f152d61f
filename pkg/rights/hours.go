package rights

// HourAttrs are the attributes of a work-hour entry that rights depend on.
type HourAttrs struct {
	ID     int64
	UserID int64
	Case   CaseAttrs
	// UserUnitID is the unit of the hours' user (WHA-5).
	UserUnitID int64
	// UserIsMember: the hours' user is a member of Case (needed when entering hours for
	// someone else, CASE-12). For the subject's own hours Subject.MemberOf is used instead.
	UserIsMember bool
}

// HourAction is something done to a work-hour entry.
type HourAction uint8

// Work-hour actions.
const (
	HourView    HourAction = iota // USR-1, USR-2, USR-4, WHA-3, WHA-7
	HourCreate                    // CASE-12, ACC-3, USR-2, USR-4
	HourEdit                      // as HourCreate
	HourDelete                    // as HourCreate
	HourApprove                   // WHA-1..7
	HourBill                      // put the hours on an invoice (INV-1, WHA-8)
)

// DecideHours decides a work-hour action. Viewing is granted by the Users right, and, when
// approval is on, by the approval rights, which override Users for visibility (WHA-3, WHA-7).
// Entering, editing and deleting need the Users right for others' hours and membership for
// the hours' user (CASE-12). Billing depends on invoice access only, never on approval (WHA-8).
func DecideHours(s *Subject, a HourAction, h HourAttrs) Decision {
	var d Decision
	switch a {
	case HourView:
		d = decideHourView(s, &h)
	case HourApprove:
		d = decideHourApprove(s, &h)
	case HourBill:
		if d = invoiceAccess(s, &h.Case); d.Allow {
			d.Reason = ReasonHourBillable
		}
		return d
	default:
		d = decideHourChange(s, &h)
	}
	return d.masked(hourMask(s, &h))
}

func decideHourView(s *Subject, h *HourAttrs) Decision {
	if ok, why := usersCover(s, h.UserID); ok {
		return allow(why)
	}
	if ok, why := approvalCovers(s, h); ok {
		return allow(why)
	}
	if approvesOwnCase(s, h) {
		return allow(ReasonApprovalOwnCase)
	}
	return deny(ReasonHourNotVisible)
}

func decideHourApprove(s *Subject, h *HourAttrs) Decision {
	ok, why := approvalCovers(s, h)
	switch {
	case ok:
		return allow(why)
	case approvesOwnCase(s, h):
		return allow(ReasonApprovalOwnCase)
	}
	return deny(why)
}

func decideHourChange(s *Subject, h *HourAttrs) Decision {
	if h.UserID == s.UserID {
		return decideEnterWork(s, &h.Case)
	}
	ok, why := usersCover(s, h.UserID)
	switch {
	case !ok:
		return deny(why)
	case h.Case.OwnerID != h.UserID && !h.UserIsMember:
		return deny(ReasonEnterWorkDenied)
	}
	return allow(why)
}

// usersCover reports whether the Users right reaches userID's hours, activities and absences:
// one's own always (USR-1), subordinates' from edit_subordinates (USR-2), everyone's with all (USR-4).
func usersCover(s *Subject, userID int64) (bool, Reason) {
	switch {
	case userID == s.UserID:
		return true, ReasonOwnData
	case s.Rights.Users == UsersAll:
		return true, ReasonUsersAll
	case s.Rights.Users >= UsersEditSubordinates && s.Subordinates.Has(userID):
		return true, ReasonUsersSubordinate
	case s.Rights.Users >= UsersEditSubordinates:
		return false, ReasonUserNotSubordinate
	}
	return false, ReasonUsersNone
}

// approvalCovers applies the approval level to the hours' user (WHA-1..6).
func approvalCovers(s *Subject, h *HourAttrs) (bool, Reason) {
	own := h.UserID == s.UserID
	if !s.Settings.ApprovalEnabled {
		return false, ReasonApprovalDisabled
	}
	switch s.Rights.Approval {
	case ApprovalAll:
		return true, ReasonApprovalAll
	case ApprovalOwnUnit:
		if own || s.OwnUnits.Has(h.UserUnitID) {
			return true, ReasonApprovalOwnUnit
		}
		return false, ReasonApprovalOutsideUnit
	case ApprovalSelfAndSubordinates, ApprovalSubordinates:
		switch {
		case own && s.Rights.Approval == ApprovalSelfAndSubordinates:
			return true, ReasonApprovalSelf
		case own:
			return false, ReasonApprovalSelfDenied
		case s.Subordinates.Has(h.UserID):
			return true, ReasonApprovalSubordinate
		}
		return false, ReasonApprovalNotSubordinate
	}
	return false, ReasonApprovalNone
}

// approvesOwnCase: approve_own_cases covers the hours of others on cases the subject really
// owns (WHA-7). Decision: not owner-like cases, and not one's own hours (self-approval comes
// only from the approval level, WHA-4..6).
func approvesOwnCase(s *Subject, h *HourAttrs) bool {
	return s.Settings.ApprovalEnabled && s.Rights.ApproveOwnCases &&
		h.Case.OwnerID == s.UserID && h.UserID != s.UserID
}

// hourMask hides price and cost: always with member_no_financials, even of one's own hours
// (CASE-5), and with manager_no_financials (CASE-7); others' hours show them only on a case
// where the subject is owner-like (CASE-6, CASE-8). Decision: Cases none hides them too (CASE-1).
func hourMask(s *Subject, h *HourAttrs) (FieldMask, Reason) {
	level := s.Rights.Cases
	if h.UserID == s.UserID && level >= CasesMember && level != CasesManagerNoFinancials {
		return 0, ReasonNone
	}
	rel, _ := relate(s, &h.Case)
	return financialMask(level, rel)
}
