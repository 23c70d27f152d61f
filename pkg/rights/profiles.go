package rights

import (
	"errors"
	"fmt"
)

// Keys of the default profiles (PRF-1). They are stable: the database stores them.
const (
	ProfileAdministrator      = "administrator"
	ProfileBusinessController = "business_controller"
	ProfileProjectManager     = "project_manager"
	ProfileEmployee           = "employee"
)

// Profile is a default access-rights profile (PRF-1).
type Profile struct {
	Key    string
	Name   string
	Rights Rights
}

// AdministratorRights are every right at its top level with every flag (PRF-1).
func AdministratorRights() Rights {
	return Rights{
		Accounts: AccountsAll, DeleteAccounts: true,
		Cases: CasesAll, DeleteCases: true, OwnResourceAllocations: true,
		Join: JoinAny, Users: UsersAll,
		Invoice: InvoiceLimit{Any: true}, ScheduledInvoicing: true,
		Approval: ApprovalAll, ApproveOwnCases: true,
		Travel: TravelApproveAll, Sharing: true, Admin: AdminAll,
	}
}

// DefaultProfiles returns the profiles the product ships (PRF-1); the first user gets the
// Administrator one. The business controller runs the finances of every case and marks
// invoices paid; the project manager runs own cases and sends invoices; the employee works on
// cases and sees the prices of own hours.
func DefaultProfiles() []Profile {
	return []Profile{
		{Key: ProfileAdministrator, Name: "Administrator", Rights: AdministratorRights()},
		{Key: ProfileBusinessController, Name: "Business controller", Rights: Rights{
			Accounts: AccountsAll, DeleteAccounts: true,
			Cases: CasesAll, DeleteCases: true, OwnResourceAllocations: true,
			Join: JoinAny, Users: UsersAll,
			Invoice: InvoiceLimit{Any: true}, ScheduledInvoicing: true,
			Approval: ApprovalAll, ApproveOwnCases: true,
			Travel: TravelApproveAll, Sharing: true, Admin: AdminNone,
		}},
		{Key: ProfileProjectManager, Name: "Project manager", Rights: Rights{
			Accounts: AccountsViewAndEdit,
			Cases:    CasesManager, DeleteCases: true, OwnResourceAllocations: true,
			Join: JoinAny, Users: UsersEditSubordinates,
			Invoice:  InvoiceLimit{UpTo: 1}, // Sent
			Approval: ApprovalSubordinates, ApproveOwnCases: true,
			Travel: TravelApproveSubordinates, Sharing: true, Admin: AdminNone,
		}},
		{Key: ProfileEmployee, Name: "Employee", Rights: Rights{
			Accounts: AccountsReadOnly,
			Cases:    CasesMember,
			Join:     JoinOwnUnit, Users: UsersNone,
			Invoice:  InvoiceLimit{UpTo: 0}, // Draft
			Approval: ApprovalNone,
			Travel:   TravelCreate, Admin: AdminNone,
		}},
	}
}

// Errors of profile management (PRF-1, PRF-2, PRF-4).
var (
	ErrProfileInUse            = errors.New("rights: profile is in use")
	ErrLastAdministrator       = errors.New("rights: no active user would hold the Administrator profile")
	ErrAdministratorProfileCut = errors.New("rights: the Administrator profile keeps every right at its top level")
)

// ProfileAction is something done to an access-rights profile.
type ProfileAction uint8

// Profile actions (ADM-2, PRF-2, PRF-3).
const (
	ProfileView ProfileAction = iota
	ProfileCreate
	ProfileEdit
	ProfileDelete
)

// DecideProfile decides a profile action: profiles are settings (ADM-2), and nobody edits or
// deletes the profile they use (PRF-3). Deleting also needs CheckProfileDelete (PRF-2).
func DecideProfile(s *Subject, a ProfileAction, profileID int64) Decision {
	d := DecideAdmin(s, AdminSettings)
	if d.Allow && (a == ProfileEdit || a == ProfileDelete) && profileID == s.ProfileID {
		return deny(ReasonOwnProfile)
	}
	return d
}

// CheckProfileDelete refuses to delete a profile that users still hold (PRF-2).
func CheckProfileDelete(usersHoldingIt int) error {
	if usersHoldingIt > 0 {
		return fmt.Errorf("delete profile: %w by %d users", ErrProfileInUse, usersHoldingIt)
	}
	return nil
}

// CheckAdministratorsRemain refuses a change (profile switch, deactivation, deletion) after
// which no active user would hold the Administrator profile (PRF-4).
func CheckAdministratorsRemain(activeAdministratorsAfter int) error {
	if activeAdministratorsAfter < 1 {
		return fmt.Errorf("check administrators: %w", ErrLastAdministrator)
	}
	return nil
}

// CheckProfileRights refuses to save the Administrator profile with less than every right at
// its top level (PRF-1), which would empty PRF-4 of meaning. Other profiles take any rights.
func CheckProfileRights(key string, r Rights) error {
	if key == ProfileAdministrator && r != AdministratorRights() {
		return fmt.Errorf("save profile %s: %w", key, ErrAdministratorProfileCut)
	}
	return nil
}
