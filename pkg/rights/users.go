package rights

// UserAttrs identify a user being managed. No Users rule depends on the unit; UnitID is kept
// for explain output and for callers that pass whole rows.
type UserAttrs struct {
	ID     int64
	UnitID int64
}

// UserAction is something done to a user in user management.
type UserAction uint8

// User-management actions (USR-2..5, API-2, API-3, PRF-5).
const (
	UserCreate       UserAction = iota // USR-3, USR-4
	UserEdit                           // user details (USR-2, USR-4)
	UserEditRights                     // profile or overrides (USR-5, PRF-5); see DecideRightsChange
	UserSetAPIAccess                   // the API switch (API-1, API-2, USR-5)
	UserCreateAPIKey                   // create or revoke the user's own key (API-3)
)

// DecideUser decides a user-management action. Managing reaches subordinates from
// edit_subordinates and everyone with all (USR-2, USR-4); nobody changes their own rights or
// API switch (USR-5); only the user creates their key, and only while the switch is on (API-3).
// Decision: editing one's own details in user management needs Users all, like any other user.
func DecideUser(s *Subject, a UserAction, u UserAttrs) Decision {
	self := u.ID == s.UserID
	switch a {
	case UserCreate:
		if s.Rights.Users < UsersAddAndEditSubordinates {
			return deny(ReasonUsersAddDenied)
		}
		return allow(ReasonUsersAdd)
	case UserCreateAPIKey:
		switch {
		case !self:
			return deny(ReasonAPIKeyOthers)
		case !s.APIAccess:
			return deny(ReasonAPIAccessOff)
		}
		return allow(ReasonAPIKeyOwn)
	case UserEditRights, UserSetAPIAccess:
		if self {
			return deny(ReasonOwnRights)
		}
	}
	d := manages(s, u.ID)
	if d.Allow && a == UserSetAPIAccess {
		d.Reason = ReasonAPISwitch
	}
	return d
}

// manages decides whether the Users right reaches another user's details (USR-2, USR-4).
func manages(s *Subject, userID int64) Decision {
	switch {
	case s.Rights.Users == UsersAll:
		return allow(ReasonUsersAll)
	case s.Rights.Users >= UsersEditSubordinates && s.Subordinates.Has(userID):
		return allow(ReasonUsersSubordinate)
	case s.Rights.Users >= UsersEditSubordinates:
		return deny(ReasonUserNotSubordinate)
	}
	return deny(ReasonUsersNone)
}

// DecideRightsChange decides giving user u the effective rights next (a new profile or new
// overrides; PRF-5). It is UserEditRights (USR-5, USR-2, USR-4) plus a guard. Decision (beyond
// the source): without Admin edit_settings, nobody grants a right above their own, so that a
// supervisor cannot lift a subordinate, or through them an API key, over themself.
func DecideRightsChange(s *Subject, u UserAttrs, next Rights) Decision {
	d := DecideUser(s, UserEditRights, u)
	if d.Allow && s.Rights.Admin < AdminEditSettings && !s.Rights.Covers(next) {
		return deny(ReasonRightsEscalation)
	}
	return d
}

// DecideAPIRequest decides whether a request signed with the user's API key is accepted: only
// while the user's switch is on (API-1, API-3). An accepted request is then decided with this
// same Subject, so a key has exactly its user's rights (API-4).
func DecideAPIRequest(s *Subject) Decision {
	if !s.APIAccess {
		return deny(ReasonAPIAccessOff)
	}
	return allow(ReasonAPIRequest)
}
