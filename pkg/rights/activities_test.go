package rights

import (
	"errors"
	"slices"
	"testing"
)

func TestActivityVisibility(t *testing.T) {
	users := func(l UsersLevel) Rights { return with(base(), func(r *Rights) { r.Users = l }) }
	act := func(owner int64, c ActivityCategory) ActivityAttrs { return ActivityAttrs{OwnerID: owner, Category: c} }
	onCase := func(a ActivityAttrs, c CaseAttrs) ActivityAttrs { a.Case = &c; return a }
	withParticipant := func(a ActivityAttrs, id int64) ActivityAttrs { a.Participants = []int64{id}; return a }
	onAccount := func(a ActivityAttrs) ActivityAttrs { a.AccountID = 10; return a }

	tests := []struct {
		name   string
		rights Rights
		member []int64
		a      ActivityAttrs
		want   Visibility
		reason Reason
	}{
		// rule ACT-1 and ACT-2: never invisible; work and todo show type and name.
		{"ACT-1 ACT-2 work of a stranger shows name", base(), nil, act(1, ActivityWork), VisibleName, ReasonActivityNameOnly},
		{"ACT-1 ACT-2 todo of a stranger shows name", base(), nil, act(1, ActivityTodo), VisibleName, ReasonActivityNameOnly},
		{"ACT-1 ACT-2 absence of a stranger shows the label", base(), nil, act(1, ActivityOutOfOffice), VisibleLabel, ReasonActivityAbsence},
		// rule ACT-3.
		{"ACT-3 owner views", base(), nil, act(2, ActivityPersonal), VisibleFull, ReasonActivityOwnerOrParticipant},
		{"ACT-3 participant views", base(), nil, withParticipant(act(1, ActivityWork), 2), VisibleFull, ReasonActivityOwnerOrParticipant},
		// rule ACT-4.
		{"ACT-4 Users none sees out of office only", users(UsersNone), nil, act(3, ActivityOutOfOffice), VisibleLabel, ReasonActivityAbsence},
		{"ACT-4 edit_subordinates views a subordinate's absence", users(UsersEditSubordinates), nil, act(4, ActivityOutOfOffice), VisibleFull, ReasonAbsenceSubordinate},
		{"ACT-4 edit_subordinates not others' absences", users(UsersEditSubordinates), nil, act(5, ActivityOutOfOffice), VisibleLabel, ReasonActivityAbsence},
		{"ACT-4 all views every absence", users(UsersAll), nil, act(1, ActivityOutOfOffice), VisibleFull, ReasonAbsenceAll},
		{"ACT-4 case membership does not open absences", base(), []int64{105}, onCase(act(1, ActivityOutOfOffice), caseElsewhere), VisibleLabel, ReasonActivityAbsence},
		// rule ACT-5.
		{"ACT-5 personal is Private even for Users all", users(UsersAll), nil, act(3, ActivityPersonal), VisibleLabel, ReasonActivityPrivate},
		{"ACT-5 personal is Private for case members", base(), []int64{105}, onCase(act(1, ActivityPersonal), caseElsewhere), VisibleLabel, ReasonActivityPrivate},
		{"ACT-5 participants of a personal activity view it", base(), nil, withParticipant(act(1, ActivityPersonal), 2), VisibleFull, ReasonActivityOwnerOrParticipant},
		// rule ACT-6 and CASE-15.
		{"ACT-6 case member views case activities", base(), []int64{105}, onCase(act(1, ActivityWork), caseElsewhere), VisibleFull, ReasonActivityCaseMember},
		{"CASE-15 owner-like views case activities", base(), nil, onCase(act(5, ActivityTodo), caseSub), VisibleFull, ReasonActivityCaseOwnerLike},
		{"CASE-15 ACC-2 no case activities with Accounts none", with(base(), func(r *Rights) { r.Accounts = AccountsNone }), []int64{105}, onCase(act(1, ActivityWork), caseElsewhere), VisibleName, ReasonActivityNameOnly},
		{"CASE-1 no case activities with Cases none", with(base(), func(r *Rights) { r.Cases = CasesNone }), []int64{105}, onCase(act(1, ActivityWork), caseElsewhere), VisibleName, ReasonActivityNameOnly},
		// rule ACT-7 and ACC-8.
		{"ACT-7 ACC-8 account access views account activities", base(), nil, onAccount(act(1, ActivityWork)), VisibleFull, ReasonActivityAccount},
		{"ACT-7 Accounts none does not", with(base(), func(r *Rights) { r.Accounts = AccountsNone }), nil, onAccount(act(1, ActivityWork)), VisibleName, ReasonActivityNameOnly},
		// rule USR-2, USR-4 for work activities.
		{"USR-2 views a subordinate's activities", users(UsersEditSubordinates), nil, act(3, ActivityWork), VisibleFull, ReasonUsersSubordinate},
		{"USR-4 views everyone's activities", users(UsersAll), nil, act(1, ActivityTodo), VisibleFull, ReasonUsersAll},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, why := ActivityVisibility(subjectOf(2, tc.rights, tc.member...), tc.a)
			if got != tc.want || why != tc.reason {
				t.Fatalf("got %d (%v), want %d (%v)", got, why, tc.want, tc.reason)
			}
		})
	}
}

func TestDecideActivity(t *testing.T) {
	users := func(l UsersLevel) Rights { return with(base(), func(r *Rights) { r.Users = l }) }
	act := func(owner int64, c ActivityCategory, participants ...int64) ActivityAttrs {
		return ActivityAttrs{OwnerID: owner, Category: c, Participants: participants}
	}
	onCase := func(a ActivityAttrs, c CaseAttrs) ActivityAttrs { a.Case = &c; return a }

	tests := []struct {
		name   string
		rights Rights
		member []int64
		action ActivityAction
		a      ActivityAttrs
		allow  bool
		reason Reason
	}{
		{"ACT-3 owner edits", base(), nil, ActivityEdit, act(2, ActivityWork), true, ReasonActivityOwnerOrParticipant},
		{"ACT-3 owner deletes", base(), nil, ActivityDelete, act(2, ActivityWork), true, ReasonActivityOwnerOrParticipant},
		{"ACT-3 participant edits", base(), nil, ActivityEdit, act(1, ActivityWork, 2), true, ReasonActivityOwnerOrParticipant},
		{"ACT-3 participant cannot delete", base(), nil, ActivityDelete, act(1, ActivityWork, 2), false, ReasonActivityParticipantDelete},
		{"ACT-3 participant removes self", base(), nil, ActivityLeave, act(1, ActivityWork, 2), true, ReasonActivityParticipant},
		{"ACT-3 non-participant cannot leave", base(), nil, ActivityLeave, act(1, ActivityWork), false, ReasonActivityNotParticipant},
		{"ACT-3 stranger cannot edit", base(), nil, ActivityEdit, act(1, ActivityWork), false, ReasonActivityEditDenied},
		{"ACT-4 edit_subordinates edits a subordinate's absence", users(UsersEditSubordinates), nil, ActivityEdit, act(3, ActivityOutOfOffice), true, ReasonAbsenceSubordinate},
		{"ACT-4 edit_subordinates deletes a subordinate's absence (USR-2)", users(UsersEditSubordinates), nil, ActivityDelete, act(3, ActivityOutOfOffice), true, ReasonAbsenceSubordinate},
		{"ACT-4 Users none cannot edit an absence", users(UsersNone), nil, ActivityEdit, act(3, ActivityOutOfOffice), false, ReasonActivityAbsence},
		{"ACT-4 all edits any absence", users(UsersAll), nil, ActivityEdit, act(1, ActivityOutOfOffice), true, ReasonAbsenceAll},
		{"ACT-5 Users all cannot edit a personal activity", users(UsersAll), nil, ActivityEdit, act(3, ActivityPersonal), false, ReasonActivityPrivate},
		{"CASE-15 case member edits case activities", base(), []int64{105}, ActivityEdit, onCase(act(1, ActivityWork), caseElsewhere), true, ReasonActivityCaseMember},
		{"CASE-15 owner-like deletes case activities", base(), nil, ActivityDelete, onCase(act(5, ActivityWork), caseSub), true, ReasonActivityCaseOwnerLike},
		{"CASE-15 member adds an activity to the case", base(), []int64{105}, ActivityCreate, onCase(act(2, ActivityWork), caseElsewhere), true, ReasonActivityCaseMember},
		{"CASE-15 non-member cannot add to the case", base(), nil, ActivityCreate, onCase(act(2, ActivityWork), caseElsewhere), false, ReasonCaseNotVisible},
		{"ACC-1 Accounts none adds no case activity", with(base(), func(r *Rights) { r.Accounts = AccountsNone }), []int64{105}, ActivityCreate, onCase(act(2, ActivityWork), caseElsewhere), false, ReasonActivityAccountsNone},
		{"ACC-1 Accounts none adds no account activity", with(base(), func(r *Rights) { r.Accounts = AccountsNone }), nil, ActivityCreate, ActivityAttrs{OwnerID: 2, AccountID: 10}, false, ReasonActivityAccountsNone},
		{"ACC-4 read_only adds account activities", base(), nil, ActivityCreate, ActivityAttrs{OwnerID: 2, AccountID: 10}, true, ReasonAccountsAddActivity},
		{"USR-1 adds own activities", users(UsersNone), nil, ActivityCreate, act(2, ActivityPersonal), true, ReasonOwnData},
		{"USR-1 cannot add for others", users(UsersNone), nil, ActivityCreate, act(3, ActivityWork), false, ReasonUsersNone},
		{"USR-2 adds for a subordinate", users(UsersEditSubordinates), nil, ActivityCreate, act(3, ActivityOutOfOffice), true, ReasonUsersSubordinate},
		{"USR-2 edits a subordinate's activity", users(UsersEditSubordinates), nil, ActivityEdit, act(4, ActivityTodo), true, ReasonUsersSubordinate},
		{"USR-4 deletes anyone's work activity", users(UsersAll), nil, ActivityDelete, act(1, ActivityWork), true, ReasonUsersAll},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecision(t, DecideActivity(subjectOf(2, tc.rights, tc.member...), tc.action, tc.a), tc.allow, tc.reason, 0)
		})
	}
}

// TestDecideActivityUpdate: rule ACT-3 (participants edit but only remove themselves; the owner
// decides who takes part) and ACT-5 (nobody but the owner widens who sees a personal activity).
func TestDecideActivityUpdate(t *testing.T) {
	users := func(l UsersLevel) Rights { return with(base(), func(r *Rights) { r.Users = l }) }
	act := func(owner int64, c ActivityCategory, participants ...int64) ActivityAttrs {
		return ActivityAttrs{OwnerID: owner, Category: c, Participants: participants}
	}
	change := func(a ActivityAttrs, f func(*ActivityAttrs)) ActivityAttrs {
		a.Participants = slices.Clone(a.Participants)
		f(&a)
		return a
	}
	category := func(c ActivityCategory) func(*ActivityAttrs) { return func(a *ActivityAttrs) { a.Category = c } }
	participants := func(ids ...int64) func(*ActivityAttrs) { return func(a *ActivityAttrs) { a.Participants = ids } }
	onCase := func(c CaseAttrs) func(*ActivityAttrs) { return func(a *ActivityAttrs) { a.Case = &c } }
	onAccount := func(a *ActivityAttrs) { a.AccountID = 10 }
	same := func(*ActivityAttrs) {}

	personalOf1 := act(1, ActivityPersonal, 2)
	workOf1 := act(1, ActivityWork, 2, 6)
	tests := []struct {
		name   string
		rights Rights
		member []int64
		before ActivityAttrs
		change func(*ActivityAttrs)
		allow  bool
		reason Reason
	}{
		{"ACT-5 ACT-3 participant cannot add someone to a personal activity", base(), nil, personalOf1, participants(2, 6), false, ReasonActivityPrivateAudience},
		{"ACT-5 participant cannot make a personal activity work", base(), nil, personalOf1, category(ActivityWork), false, ReasonActivityPrivateAudience},
		{"ACT-5 participant cannot put a personal activity on a case", base(), []int64{105}, personalOf1, onCase(caseElsewhere), false, ReasonActivityPrivateAudience},
		{"ACT-3 participant cannot add someone to a work activity", base(), nil, workOf1, participants(2, 6, 5), false, ReasonActivityAudienceDenied},
		{"ACT-3 participant cannot remove another participant", base(), nil, workOf1, participants(2), false, ReasonActivityAudienceDenied},
		{"ACT-3 participant removes themself only by leaving", base(), nil, workOf1, participants(6), false, ReasonActivityAudienceDenied},
		{"ACT-3 participant cannot change the category", base(), nil, workOf1, category(ActivityTodo), false, ReasonActivityAudienceDenied},
		{"ACT-6 participant cannot move an activity onto a case", base(), []int64{105}, workOf1, onCase(caseElsewhere), false, ReasonActivityAudienceDenied},
		{"ACT-7 participant cannot link an activity to an account", base(), nil, workOf1, onAccount, false, ReasonActivityAudienceDenied},
		{"ACT-3 participant edits the rest", base(), nil, personalOf1, same, true, ReasonActivityOwnerOrParticipant},
		{"ACT-3 participants sent back in another order are no change", base(), nil, workOf1, participants(6, 2), true, ReasonActivityOwnerOrParticipant},
		{"ACT-3 owner adds participants to a personal activity", base(), nil, act(2, ActivityPersonal), participants(6), true, ReasonActivityOwnerOrParticipant},
		{"ACT-3 owner changes the category", base(), nil, act(2, ActivityPersonal, 6), category(ActivityWork), true, ReasonActivityOwnerOrParticipant},
		{"ACT-3 owner puts the activity on a case", base(), []int64{105}, act(2, ActivityTodo), onCase(caseElsewhere), true, ReasonActivityOwnerOrParticipant},
		{"USR-2 manager changes a subordinate's participants", users(UsersEditSubordinates), nil, act(3, ActivityWork), participants(6), true, ReasonUsersSubordinate},
		{"USR-2 manager changes a subordinate's category", users(UsersEditSubordinates), nil, act(3, ActivityWork), category(ActivityTodo), true, ReasonUsersSubordinate},
		{"ACT-4 manager changes a subordinate's absence", users(UsersEditSubordinates), nil, act(3, ActivityOutOfOffice), category(ActivityTodo), true, ReasonUsersSubordinate},
		{"ACT-5 a manager taking part cannot widen a subordinate's personal activity", users(UsersEditSubordinates), nil, act(3, ActivityPersonal, 2), participants(2, 6), false, ReasonActivityPrivateAudience},
		{"ACT-5 a manager cannot make an activity personal and keep editing it", users(UsersEditSubordinates), nil, act(3, ActivityWork), category(ActivityPersonal), false, ReasonActivityPrivate},
		{"CASE-15 case member edits the rest of a case activity", base(), []int64{105}, change(act(1, ActivityWork), onCase(caseElsewhere)), same, true, ReasonActivityCaseMember},
		{"CASE-15 case member cannot change who takes part", base(), []int64{105}, change(act(1, ActivityWork), onCase(caseElsewhere)), participants(2), false, ReasonActivityAudienceDenied},
		{"ACT-3 a stranger edits nothing", base(), nil, act(1, ActivityWork), same, false, ReasonActivityEditDenied},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			after := change(tc.before, tc.change)
			mustDecision(t, DecideActivityUpdate(subjectOf(2, tc.rights, tc.member...), tc.before, after), tc.allow, tc.reason, 0)
		})
	}
	t.Run("deciding allocates nothing", func(t *testing.T) {
		s, before := subjectOf(2, base()), act(1, ActivityPersonal, 2, 6)
		after := change(before, participants(6, 2))
		if n := testing.AllocsPerRun(100, func() { DecideActivityUpdate(s, before, after) }); n != 0 {
			t.Fatalf("%v allocations", n)
		}
	})
}

func TestActivityCategory(t *testing.T) {
	for _, name := range categoryNames {
		t.Run(name, func(t *testing.T) {
			c, err := ParseActivityCategory(name)
			if err != nil || c.String() != name {
				t.Fatalf("round trip %q: %v %v", name, c, err)
			}
		})
	}
	t.Run("unknown", func(t *testing.T) {
		if _, err := ParseActivityCategory("holiday"); !errors.Is(err, ErrInvalidValue) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestAccountAccessOnlyViewsActivities(t *testing.T) {
	// rule ACT-7: account access views account activities but does not edit them.
	a := ActivityAttrs{OwnerID: 1, Category: ActivityWork, AccountID: 10}
	if v, _ := ActivityVisibility(subjectOf(2, base()), a); v != VisibleFull {
		t.Fatalf("ACT-7: got visibility %d", v)
	}
	mustDecision(t, DecideActivity(subjectOf(2, base()), ActivityEdit, a), false, ReasonActivityEditDenied, 0)
}
