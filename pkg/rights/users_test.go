package rights

import "testing"

func TestDecideUser(t *testing.T) {
	users := func(l UsersLevel) Rights { return with(base(), func(r *Rights) { r.Users = l }) }
	self, sub, indirect, other := UserAttrs{ID: 2, UnitID: 2}, UserAttrs{ID: 3, UnitID: 3}, UserAttrs{ID: 4, UnitID: 4}, UserAttrs{ID: 5, UnitID: 3}

	tests := []struct {
		name   string
		rights Rights
		api    bool
		action UserAction
		u      UserAttrs
		allow  bool
		reason Reason
	}{
		{"USR-1 none edits nobody", users(UsersNone), false, UserEdit, sub, false, ReasonUsersNone},
		{"USR-1 none adds nobody", users(UsersNone), false, UserCreate, UserAttrs{}, false, ReasonUsersAddDenied},
		{"USR-2 edits a subordinate's details", users(UsersEditSubordinates), false, UserEdit, sub, true, ReasonUsersSubordinate},
		{"USR-2 edits an indirect subordinate's details", users(UsersEditSubordinates), false, UserEdit, indirect, true, ReasonUsersSubordinate},
		{"USR-2 not a non-subordinate", users(UsersEditSubordinates), false, UserEdit, other, false, ReasonUserNotSubordinate},
		{"USR-2 does not add users", users(UsersEditSubordinates), false, UserCreate, UserAttrs{}, false, ReasonUsersAddDenied},
		{"USR-3 add_and_edit_subordinates adds users", users(UsersAddAndEditSubordinates), false, UserCreate, UserAttrs{}, true, ReasonUsersAdd},
		{"USR-3 still only subordinates' details", users(UsersAddAndEditSubordinates), false, UserEdit, other, false, ReasonUserNotSubordinate},
		{"USR-4 all adds users", users(UsersAll), false, UserCreate, UserAttrs{}, true, ReasonUsersAdd},
		{"USR-4 all edits anyone", users(UsersAll), false, UserEdit, other, true, ReasonUsersAll},
		{"USR-4 all edits own details", users(UsersAll), false, UserEdit, self, true, ReasonUsersAll},
		{"USR-5 all cannot edit own rights", users(UsersAll), false, UserEditRights, self, false, ReasonOwnRights},
		{"USR-5 administrator cannot edit own rights", AdministratorRights(), false, UserEditRights, self, false, ReasonOwnRights},
		{"USR-5 edits a subordinate's rights", users(UsersEditSubordinates), false, UserEditRights, sub, true, ReasonUsersSubordinate},
		{"API-1 API-2 switches a subordinate's API access", users(UsersEditSubordinates), false, UserSetAPIAccess, sub, true, ReasonAPISwitch},
		{"API-2 not for users one does not manage", users(UsersEditSubordinates), false, UserSetAPIAccess, other, false, ReasonUserNotSubordinate},
		{"API-2 USR-5 not one's own switch", users(UsersAll), false, UserSetAPIAccess, self, false, ReasonOwnRights},
		{"API-2 managers do not create others' keys", users(UsersAll), true, UserCreateAPIKey, sub, false, ReasonAPIKeyOthers},
		{"API-3 own key while the switch is on", users(UsersNone), true, UserCreateAPIKey, self, true, ReasonAPIKeyOwn},
		{"API-3 no own key while the switch is off", users(UsersAll), false, UserCreateAPIKey, self, false, ReasonAPIAccessOff},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := subjectOf(2, tc.rights)
			s.APIAccess = tc.api
			mustDecision(t, DecideUser(s, tc.action, tc.u), tc.allow, tc.reason, 0)
		})
	}
}

func TestDecideRightsChange(t *testing.T) {
	pm := DefaultProfiles()[2].Rights
	employee := DefaultProfiles()[3].Rights
	settingsAdmin := with(pm, func(r *Rights) { r.Admin = AdminEditSettings })
	tests := []struct {
		name   string
		rights Rights
		target UserAttrs
		next   Rights
		allow  bool
		reason Reason
	}{
		{"PRF-5 grants a profile within own rights", pm, UserAttrs{ID: 3}, employee, true, ReasonUsersSubordinate},
		{"PRF-5 decision: no grant above own rights", pm, UserAttrs{ID: 3}, AdministratorRights(), false, ReasonRightsEscalation},
		{"PRF-5 decision: a single raised override counts", pm, UserAttrs{ID: 3}, with(employee, func(r *Rights) { r.Admin = AdminEditSettings }), false, ReasonRightsEscalation},
		{"PRF-5 ADM-2 edit_settings may grant more", settingsAdmin, UserAttrs{ID: 3}, AdministratorRights(), true, ReasonUsersSubordinate},
		{"USR-5 never one's own, even within own rights", AdministratorRights(), UserAttrs{ID: 2}, employee, false, ReasonOwnRights},
		{"USR-2 only users one manages", pm, UserAttrs{ID: 5}, employee, false, ReasonUserNotSubordinate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecision(t, DecideRightsChange(subjectOf(2, tc.rights), tc.target, tc.next), tc.allow, tc.reason, 0)
		})
	}
}

func TestDecideAPIRequest(t *testing.T) {
	t.Run("API-1 switch off refuses the key", func(t *testing.T) {
		s := subjectOf(3, DefaultProfiles()[3].Rights)
		mustDecision(t, DecideAPIRequest(s), false, ReasonAPIAccessOff, 0)
	})
	// rule API-4: a key's request is decided with its user's own Subject: no more, no less.
	t.Run("API-4 a key has exactly its user's rights", func(t *testing.T) {
		session := subjectOf(3, DefaultProfiles()[3].Rights, 101)
		key := subjectOf(3, DefaultProfiles()[3].Rights, 101)
		key.APIAccess = true
		mustDecision(t, DecideAPIRequest(key), true, ReasonAPIRequest, 0)
		for a := CaseView; a <= CaseShare; a++ {
			for _, c := range []CaseAttrs{caseOwn, caseSub, caseElsewhere} {
				if DecideCase(key, a, c) != DecideCase(session, a, c) {
					t.Fatalf("action %d on case %d differs between key and session", a, c.ID)
				}
			}
		}
		if DecideAdmin(key, AdminExport).Allow {
			t.Fatal("an employee's key must not export data")
		}
	})
}
