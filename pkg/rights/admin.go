package rights

// AdminAction is an organisation-level feature guarded by the Administrator right.
type AdminAction uint8

// Administrator actions (ADM-1..3).
const (
	AdminSettings       AdminAction = iota // view and edit settings, profiles, invoice statuses (ADM-2)
	AdminSubscription                      // subscription, upgrades and features (ADM-3)
	AdminExport                            // data transfer (ADM-3)
	AdminImportAccounts                    // ADM-3
	AdminImportItems                       // ADM-3
	AdminUserManagement                    // reach user management at all (ADM-1: via the Users right)
)

// DecideAdmin decides an organisation-level feature (ADM-1..3).
func DecideAdmin(s *Subject, a AdminAction) Decision {
	level := s.Rights.Admin
	switch {
	case a == AdminUserManagement && s.Rights.Users >= UsersEditSubordinates:
		return allow(ReasonUserManagement)
	case a == AdminUserManagement:
		return deny(ReasonUserManagementDenied)
	case level == AdminNone:
		return deny(ReasonAdminNone)
	case a == AdminSettings:
		return allow(ReasonAdminSettings)
	case level < AdminAll:
		return deny(ReasonAdminAllNeeded)
	}
	return allow(ReasonAdminAll)
}

// SharingAction is something done with shared reports and dashboards.
type SharingAction uint8

// Sharing actions (SHR-1, SHR-2).
const (
	SharedView     SharingAction = iota // SHR-1
	SharedCreate                        // create or edit shared reports and dashboards (SHR-2)
	SharedSettings                      // the sharing settings (SHR-2)
)

// DecideSharing decides a sharing action: everyone views what is shared (SHR-1); creating,
// editing and the settings need the sharing flag (SHR-2).
func DecideSharing(s *Subject, a SharingAction) Decision {
	switch {
	case a == SharedView:
		return allow(ReasonSharedView)
	case s.Rights.Sharing:
		return allow(ReasonSharing)
	}
	return deny(ReasonSharingDenied)
}
