package rights

import (
	"fmt"
	"slices"
)

// ActivityCategory is the category of a calendar activity (section 12).
type ActivityCategory uint8

// Activity categories.
const (
	ActivityWork ActivityCategory = iota
	ActivityTodo
	ActivityOutOfOffice
	ActivityPersonal
)

var categoryNames = []string{"work", "todo", "out_of_office", "personal"}

// String returns the stored name of the category.
func (c ActivityCategory) String() string { return levelName(categoryNames, c) }

// ParseActivityCategory parses "work", "todo", "out_of_office" or "personal".
func ParseActivityCategory(s string) (ActivityCategory, error) {
	i := slices.Index(categoryNames, s)
	if i < 0 {
		return 0, fmt.Errorf("%w: activity category %q", ErrInvalidValue, s)
	}
	return ActivityCategory(i), nil
}

// ActivityAttrs are the attributes of an activity that rights depend on.
type ActivityAttrs struct {
	OwnerID      int64
	Category     ActivityCategory
	Participants []int64
	// Case is the case the activity is added to, if any (CASE-15, ACT-6).
	Case *CaseAttrs
	// AccountID is the account the activity is linked to, 0 if none (ACC-8, ACT-7).
	AccountID int64
}

// Visibility is how much of an activity a subject may see. Everyone sees at least the
// label (ACT-1): activities are never invisible, only reduced.
type Visibility uint8

// Visibility levels, least first.
const (
	// VisibleLabel: only the category label, "out of office" or "Private" (ACT-2, ACT-4, ACT-5).
	VisibleLabel Visibility = iota
	// VisibleName: activity type and name (ACT-2, for work and todo).
	VisibleName
	// VisibleFull: the whole content.
	VisibleFull
)

// ActivityAction is something done to an activity.
type ActivityAction uint8

// Activity actions (ACT-3, ACT-4, CASE-15, USR-1, USR-2, USR-4).
const (
	ActivityCreate ActivityAction = iota // OwnerID is whom it is for
	ActivityEdit
	ActivityDelete
	ActivityLeave // a participant removes themself (ACT-3)
)

// ActivityVisibility decides how much of an activity the subject sees in calendars, lists and
// reports (ACT-1..7, ACC-8, CASE-15). VisibleFull means "may view".
func ActivityVisibility(s *Subject, a ActivityAttrs) (Visibility, Reason) {
	v, _, why := activityReach(s, &a)
	return v, why
}

// DecideActivity decides changing an activity (ACT-3..6, CASE-15, ACC-1, USR-1, USR-2, USR-4).
// Whoever may view an activity may edit and delete it, except that participants only leave
// (ACT-3) and account access only views (ACT-7). What an edit may change is decided by
// DecideActivityUpdate.
func DecideActivity(s *Subject, act ActivityAction, a ActivityAttrs) Decision {
	isOwner, isPart := a.OwnerID == s.UserID, slices.Contains(a.Participants, s.UserID)
	switch {
	case act == ActivityCreate:
		return decideActivityCreate(s, &a)
	case act == ActivityLeave && isPart:
		return allow(ReasonActivityParticipant)
	case act == ActivityLeave:
		return deny(ReasonActivityNotParticipant)
	case act == ActivityDelete && isPart && !isOwner:
		return deny(ReasonActivityParticipantDelete)
	}
	v, edit, why := activityReach(s, &a)
	switch {
	case edit:
		return allow(why)
	case v == VisibleLabel:
		return deny(why)
	}
	return deny(ReasonActivityEditDenied)
}

// DecideActivityUpdate decides changing an activity from before to after (ACT-3..6, CASE-15,
// USR-2, USR-4). Editing needs the edit grant on the activity as it is and as it will be, so a
// change cannot move it out of the caller's reach. Who sees it — its participants, category,
// case, account and owner — is the owner's to change (ACT-3, ACT-5), or their managers' through
// the same Users right that adds activities for them (USR-2, USR-4), except for personal
// activities. Participants edit the rest and only remove themselves (ActivityLeave).
func DecideActivityUpdate(s *Subject, before, after ActivityAttrs) Decision {
	if d := DecideActivity(s, ActivityEdit, before); !d.Allow {
		return d
	}
	if audienceChanged(&before, &after) {
		if d := decideActivityAudience(s, &before); !d.Allow {
			return d
		}
	}
	return DecideActivity(s, ActivityEdit, after)
}

// decideActivityAudience: the owner decides who sees an activity (ACT-3); nobody else does for
// a personal one, whose content is the owner's and the participants' alone (ACT-5); managers
// of the owner do for the rest (USR-2, USR-4, ACT-4).
func decideActivityAudience(s *Subject, a *ActivityAttrs) Decision {
	switch {
	case a.OwnerID == s.UserID:
		return allow(ReasonActivityAudienceOwner)
	case a.Category == ActivityPersonal:
		return deny(ReasonActivityPrivateAudience)
	}
	if ok, why := usersCover(s, a.OwnerID); ok {
		return allow(why)
	}
	return deny(ReasonActivityAudienceDenied)
}

// audienceChanged reports whether the change touches what decides who sees the activity:
// participants (ACT-3, ACT-5), category (ACT-2, ACT-4, ACT-5), case (ACT-6), account (ACT-7)
// or owner.
func audienceChanged(before, after *ActivityAttrs) bool {
	caseID := func(a *ActivityAttrs) int64 {
		if a.Case == nil {
			return 0
		}
		return a.Case.ID
	}
	return before.OwnerID != after.OwnerID || before.Category != after.Category || caseID(before) != caseID(after) ||
		before.AccountID != after.AccountID || !sameIDs(before.Participants, after.Participants)
}

// sameIDs reports whether a and b hold the same ids, in any order; it allocates nothing.
func sameIDs(a, b []int64) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	for _, x := range b {
		if !slices.Contains(a, x) {
			return false
		}
	}
	return true
}

// activityReach decides how much of a's content the subject sees and whether the same grant
// lets them edit it: owner and participants (ACT-3); personal content for nobody else (ACT-5);
// absences for the owner's managers (ACT-4); work and todo for the owner's managers (USR-2,
// USR-4), the case's members and owner-likes (ACT-6, CASE-15) and, view only, account access
// (ACT-7, ACC-8); everyone else sees type and name (ACT-2) or the label, never nothing (ACT-1).
func activityReach(s *Subject, a *ActivityAttrs) (v Visibility, edit bool, why Reason) {
	if a.OwnerID == s.UserID || slices.Contains(a.Participants, s.UserID) {
		return VisibleFull, true, ReasonActivityOwnerOrParticipant
	}
	switch a.Category {
	case ActivityPersonal:
		return VisibleLabel, false, ReasonActivityPrivate
	case ActivityOutOfOffice:
		if ok, why := absenceManager(s, a.OwnerID); ok {
			return VisibleFull, true, why
		}
		return VisibleLabel, false, ReasonActivityAbsence
	}
	if ok, why := usersCover(s, a.OwnerID); ok {
		return VisibleFull, true, why
	}
	if a.Case != nil {
		if rel, _ := relate(s, a.Case); rel != relNone {
			return VisibleFull, true, caseActivityReason(rel)
		}
	}
	if a.AccountID != 0 && s.Rights.Accounts >= AccountsReadOnly {
		return VisibleFull, false, ReasonActivityAccount
	}
	return VisibleName, false, ReasonActivityNameOnly
}

// decideActivityCreate: one's own activities always (USR-1), others' through the Users right
// (USR-2, USR-4); on a case only as member or owner-like (CASE-15), on an account only with
// account access, and never with Accounts none (ACC-1, ACC-4).
func decideActivityCreate(s *Subject, a *ActivityAttrs) Decision {
	ok, why := usersCover(s, a.OwnerID)
	if !ok {
		return deny(why)
	}
	if a.Case != nil || a.AccountID != 0 {
		if s.Rights.Accounts == AccountsNone {
			return deny(ReasonActivityAccountsNone)
		}
	}
	if a.Case != nil {
		rel, caseWhy := relate(s, a.Case)
		if rel == relNone {
			return deny(caseWhy)
		}
		return allow(caseActivityReason(rel))
	}
	if a.AccountID != 0 {
		return allow(ReasonAccountsAddActivity)
	}
	return allow(why)
}

// absenceManager: absences of others are viewed and edited with Users edit_subordinates (for
// subordinates) or all (ACT-4).
func absenceManager(s *Subject, ownerID int64) (bool, Reason) {
	switch {
	case s.Rights.Users == UsersAll:
		return true, ReasonAbsenceAll
	case s.Rights.Users >= UsersEditSubordinates && s.Subordinates.Has(ownerID):
		return true, ReasonAbsenceSubordinate
	}
	return false, ReasonActivityAbsence
}

// caseActivityReason: members (ACT-6) and owner-likes (CASE-15) handle their cases' activities.
func caseActivityReason(rel relation) Reason {
	if rel == relMember {
		return ReasonActivityCaseMember
	}
	return ReasonActivityCaseOwnerLike
}
