package rights

import "testing"

func TestDecideAccount(t *testing.T) {
	level := func(l AccountsLevel, del bool) Rights {
		return with(base(), func(r *Rights) { r.Accounts, r.DeleteAccounts = l, del })
	}
	tests := []struct {
		name   string
		rights Rights
		action AccountAction
		allow  bool
		reason Reason
	}{
		{"ACC-1 none cannot view", level(AccountsNone, false), AccountView, false, ReasonAccountsNone},
		{"ACC-1 none cannot add", level(AccountsNone, false), AccountCreate, false, ReasonAccountsNone},
		{"ACC-1 none cannot delete even with flag", level(AccountsNone, true), AccountDelete, false, ReasonAccountsNone},
		{"ACC-1 none cannot add activities to accounts", level(AccountsNone, false), AccountAddActivity, false, ReasonAccountsNone},
		{"ACC-4 read_only views", level(AccountsReadOnly, false), AccountView, true, ReasonAccountsView},
		{"ACC-4 read_only adds activities", level(AccountsReadOnly, false), AccountAddActivity, true, ReasonAccountsAddActivity},
		{"ACC-4 read_only cannot edit", level(AccountsReadOnly, false), AccountEdit, false, ReasonAccountsEditDenied},
		{"ACC-5 view_and_edit adds", level(AccountsViewAndEdit, false), AccountCreate, true, ReasonAccountsEdit},
		{"ACC-5 view_and_edit edits", level(AccountsViewAndEdit, false), AccountEdit, true, ReasonAccountsEdit},
		{"ACC-5 all edits (ORG-6)", level(AccountsAll, false), AccountEdit, true, ReasonAccountsEdit},
		{"ACC-7 view_and_edit without flag cannot delete", level(AccountsViewAndEdit, false), AccountDelete, false, ReasonAccountsDeleteDenied},
		{"ACC-7 read_only with flag cannot delete", level(AccountsReadOnly, true), AccountDelete, false, ReasonAccountsDeleteDenied},
		{"ACC-7 view_and_edit with flag deletes", level(AccountsViewAndEdit, true), AccountDelete, true, ReasonAccountsDelete},
		{"ACC-7 all with flag deletes", level(AccountsAll, true), AccountDelete, true, ReasonAccountsDelete},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecision(t, DecideAccount(subjectOf(2, tc.rights), tc.action, AccountAttrs{ID: 10}), tc.allow, tc.reason, 0)
		})
	}
}
