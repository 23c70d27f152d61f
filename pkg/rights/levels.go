package rights

import (
	"errors"
	"fmt"
)

// ErrInvalidValue is returned (wrapped) when a right's text value is not one of its levels.
var ErrInvalidValue = errors.New("rights: invalid value")

// AccountsLevel is the Accounts right (section 1). Levels are ordered (ORG-6).
type AccountsLevel uint8

// Accounts levels, lowest first (ACC-1, ACC-4, ACC-5, ACC-6).
const (
	AccountsNone AccountsLevel = iota
	AccountsReadOnly
	AccountsViewAndEdit
	AccountsAll
)

// CasesLevel is the Cases right (section 2). Levels are ordered (ORG-6).
type CasesLevel uint8

// Cases levels, lowest first (CASE-1 … CASE-11).
const (
	CasesNone CasesLevel = iota
	CasesMemberNoFinancials
	CasesMember
	CasesManagerNoFinancials
	CasesManager
	CasesOwnUnit
	CasesAll
)

// JoinLevel is the Join-cases right (section 3).
type JoinLevel uint8

// Join levels, lowest first (JOIN-1, JOIN-2, JOIN-3).
const (
	JoinNo JoinLevel = iota
	JoinOwnUnit
	JoinAny
)

// UsersLevel is the Users right (section 4).
type UsersLevel uint8

// Users levels, lowest first (USR-1 … USR-4).
const (
	UsersNone UsersLevel = iota
	UsersEditSubordinates
	UsersAddAndEditSubordinates
	UsersAll
)

// ApprovalLevel is the work-hour approval right (section 6).
type ApprovalLevel uint8

// Approval levels, lowest first (WHA-2 … WHA-6).
const (
	ApprovalNone ApprovalLevel = iota
	ApprovalSubordinates
	ApprovalSelfAndSubordinates
	ApprovalOwnUnit
	ApprovalAll
)

// TravelLevel is the travel-reimbursement right (section 7).
type TravelLevel uint8

// Travel levels, lowest first (TRV-1 … TRV-5).
const (
	TravelNone TravelLevel = iota
	TravelCreate
	TravelApproveSubordinates
	TravelApproveOwnUnit
	TravelApproveAll
)

// AdminLevel is the Administrator right (section 9).
type AdminLevel uint8

// Admin levels, lowest first (ADM-1, ADM-2, ADM-3).
const (
	AdminNone AdminLevel = iota
	AdminEditSettings
	AdminAll
)

// The text names are the snake_case names of RIGHTS.md; they are what the database stores.
var (
	accountsNames = []string{"none", "read_only", "view_and_edit", "all"}
	casesNames    = []string{"none", "member_no_financials", "member", "manager_no_financials", "manager", "own_unit", "all"}
	joinNames     = []string{"no", "own_unit", "any"}
	usersNames    = []string{"none", "edit_subordinates", "add_and_edit_subordinates", "all"}
	approvalNames = []string{"none", "subordinates", "self_and_subordinates", "own_unit", "all"}
	travelNames   = []string{"none", "create", "approve_subordinates", "approve_own_unit", "approve_all"}
	adminNames    = []string{"none", "edit_settings", "all"}
)

func levelName[T ~uint8](names []string, l T) string {
	if int(l) < len(names) {
		return names[l]
	}
	return fmt.Sprintf("level(%d)", uint8(l))
}

func parseLevel[T ~uint8](right string, names []string, s string) (T, error) {
	for i, n := range names {
		if n == s {
			return T(i), nil
		}
	}
	return 0, fmt.Errorf("%w: %s %q (want one of %v)", ErrInvalidValue, right, s, names)
}

// String returns the RIGHTS.md name of the level.
func (l AccountsLevel) String() string { return levelName(accountsNames, l) }

// String returns the RIGHTS.md name of the level.
func (l CasesLevel) String() string { return levelName(casesNames, l) }

// String returns the RIGHTS.md name of the level.
func (l JoinLevel) String() string { return levelName(joinNames, l) }

// String returns the RIGHTS.md name of the level.
func (l UsersLevel) String() string { return levelName(usersNames, l) }

// String returns the RIGHTS.md name of the level.
func (l ApprovalLevel) String() string { return levelName(approvalNames, l) }

// String returns the RIGHTS.md name of the level.
func (l TravelLevel) String() string { return levelName(travelNames, l) }

// String returns the RIGHTS.md name of the level.
func (l AdminLevel) String() string { return levelName(adminNames, l) }

// ParseAccountsLevel parses "none", "read_only", "view_and_edit" or "all"; other text wraps ErrInvalidValue.
func ParseAccountsLevel(s string) (AccountsLevel, error) {
	return parseLevel[AccountsLevel](ColAccounts, accountsNames, s)
}

// ParseCasesLevel parses a Cases level name of section 2; other text wraps ErrInvalidValue.
func ParseCasesLevel(s string) (CasesLevel, error) {
	return parseLevel[CasesLevel](ColCases, casesNames, s)
}

// ParseJoinLevel parses "no", "own_unit" or "any"; other text wraps ErrInvalidValue.
func ParseJoinLevel(s string) (JoinLevel, error) {
	return parseLevel[JoinLevel](ColJoinCases, joinNames, s)
}

// ParseUsersLevel parses a Users level name of section 4; other text wraps ErrInvalidValue.
func ParseUsersLevel(s string) (UsersLevel, error) {
	return parseLevel[UsersLevel](ColUsers, usersNames, s)
}

// ParseApprovalLevel parses a work-hour approval level name of section 6; other text wraps ErrInvalidValue.
func ParseApprovalLevel(s string) (ApprovalLevel, error) {
	return parseLevel[ApprovalLevel](ColApproval, approvalNames, s)
}

// ParseTravelLevel parses a travel level name of section 7; other text wraps ErrInvalidValue.
func ParseTravelLevel(s string) (TravelLevel, error) {
	return parseLevel[TravelLevel](ColTravel, travelNames, s)
}

// ParseAdminLevel parses "none", "edit_settings" or "all"; other text wraps ErrInvalidValue.
func ParseAdminLevel(s string) (AdminLevel, error) {
	return parseLevel[AdminLevel](ColAdmin, adminNames, s)
}

// ParseFlag parses a yes/no right (the delete_* flags, sharing, …). "yes"/"no" is the stored
// form; "true"/"false" are accepted too because bool columns are often stringified that way.
func ParseFlag(right, s string) (bool, error) {
	switch s {
	case "yes", "true":
		return true, nil
	case "no", "false":
		return false, nil
	}
	return false, fmt.Errorf("%w: %s %q (want yes or no)", ErrInvalidValue, right, s)
}

// FormatFlag returns the stored form of a yes/no right.
func FormatFlag(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
