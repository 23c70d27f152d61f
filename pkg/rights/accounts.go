package rights

// AccountAttrs identify an account (customer). The Accounts right covers every account alike
// (ACC-4, ACC-5), so no attribute changes a decision; the id is kept for explain output.
type AccountAttrs struct {
	ID int64
}

// AccountAction is something done to an account, or to its contacts or addresses, which
// follow exactly the same rules.
type AccountAction uint8

// Account actions (ACC-1, ACC-4, ACC-5, ACC-7).
const (
	AccountView        AccountAction = iota // ACC-4
	AccountCreate                           // ACC-5
	AccountEdit                             // ACC-5
	AccountDelete                           // ACC-7
	AccountAddActivity                      // ACC-1, ACC-4
)

// DecideAccount decides an action on an account, contact or address (ACC-1, ACC-4, ACC-5, ACC-7).
func DecideAccount(s *Subject, a AccountAction, _ AccountAttrs) Decision {
	level := s.Rights.Accounts
	if level == AccountsNone {
		return deny(ReasonAccountsNone)
	}
	switch a {
	case AccountView:
		return allow(ReasonAccountsView)
	case AccountAddActivity:
		return allow(ReasonAccountsAddActivity)
	case AccountDelete:
		if !s.Rights.DeleteAccounts || level < AccountsViewAndEdit {
			return deny(ReasonAccountsDeleteDenied)
		}
		return allow(ReasonAccountsDelete)
	}
	if level < AccountsViewAndEdit {
		return deny(ReasonAccountsEditDenied)
	}
	return allow(ReasonAccountsEdit)
}
