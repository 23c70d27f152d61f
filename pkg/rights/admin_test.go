package rights

import "testing"

func TestDecideAdmin(t *testing.T) {
	admin := func(l AdminLevel, u UsersLevel) Rights {
		return with(base(), func(r *Rights) { r.Admin, r.Users = l, u })
	}
	tests := []struct {
		name   string
		rights Rights
		action AdminAction
		allow  bool
		reason Reason
	}{
		{"ADM-1 none: no settings", admin(AdminNone, UsersAll), AdminSettings, false, ReasonAdminNone},
		{"ADM-1 none: no export", admin(AdminNone, UsersAll), AdminExport, false, ReasonAdminNone},
		{"ADM-1 none: no imports", admin(AdminNone, UsersAll), AdminImportAccounts, false, ReasonAdminNone},
		{"ADM-1 none: user management through Users", admin(AdminNone, UsersEditSubordinates), AdminUserManagement, true, ReasonUserManagement},
		{"ADM-1 all without Users right: no user management", admin(AdminAll, UsersNone), AdminUserManagement, false, ReasonUserManagementDenied},
		{"ADM-2 edit_settings edits settings", admin(AdminEditSettings, UsersNone), AdminSettings, true, ReasonAdminSettings},
		{"ADM-2 edit_settings: no subscription", admin(AdminEditSettings, UsersNone), AdminSubscription, false, ReasonAdminAllNeeded},
		{"ADM-2 edit_settings: no export", admin(AdminEditSettings, UsersNone), AdminExport, false, ReasonAdminAllNeeded},
		{"ADM-3 all: settings (ORG-6)", admin(AdminAll, UsersNone), AdminSettings, true, ReasonAdminSettings},
		{"ADM-3 all: subscription", admin(AdminAll, UsersNone), AdminSubscription, true, ReasonAdminAll},
		{"ADM-3 all: export", admin(AdminAll, UsersNone), AdminExport, true, ReasonAdminAll},
		{"ADM-3 all: account import", admin(AdminAll, UsersNone), AdminImportAccounts, true, ReasonAdminAll},
		{"ADM-3 all: item import", admin(AdminAll, UsersNone), AdminImportItems, true, ReasonAdminAll},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecision(t, DecideAdmin(subjectOf(2, tc.rights), tc.action), tc.allow, tc.reason, 0)
		})
	}
}

func TestDecideSharing(t *testing.T) {
	yes := with(base(), func(r *Rights) { r.Sharing = true })
	tests := []struct {
		name   string
		rights Rights
		action SharingAction
		allow  bool
		reason Reason
	}{
		{"SHR-1 everyone sees shared reports", base(), SharedView, true, ReasonSharedView},
		{"SHR-2 no: cannot create", base(), SharedCreate, false, ReasonSharingDenied},
		{"SHR-2 no: no sharing settings", base(), SharedSettings, false, ReasonSharingDenied},
		{"SHR-2 yes: creates and edits", yes, SharedCreate, true, ReasonSharing},
		{"SHR-2 yes: sharing settings", yes, SharedSettings, true, ReasonSharing},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecision(t, DecideSharing(subjectOf(2, tc.rights), tc.action), tc.allow, tc.reason, 0)
		})
	}
}
