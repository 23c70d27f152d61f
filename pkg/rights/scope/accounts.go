package scope

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// AccountView limits a query over accounts to those s may view, as rights.DecideAccount(s,
// rights.AccountView, …) decides: every account from read_only (ACC-4), none with Accounts
// none (ACC-1). No account attribute changes the decision, so alias is unused; it is kept so
// that every modifier of this package reads alike.
func AccountView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	if rights.DecideAccount(s, rights.AccountView, rights.AccountAttrs{}).Allow {
		return all
	}
	return nothing
}

// ContactView limits a query over contacts as AccountView does over accounts: contacts follow
// exactly the rules of their account (ACC-1, ACC-4).
func ContactView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return AccountView(s, alias)
}

// AddressView limits a query over addresses as AccountView does over accounts (ACC-1, ACC-4).
func AddressView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return AccountView(s, alias)
}
