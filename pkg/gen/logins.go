package gen

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Callers are the addresses of the representative callers a benchmark signs in as.
type Callers struct {
	// Head tops the supervisor tree and holds the Administrator profile.
	Head string `json:"head"`
	// Supervisor500 is a project manager with about a tenth of the firm below them.
	Supervisor500 string `json:"supervisor500"`
	// OwnUnitManager is a project manager whose Cases right is own_unit, heading a unit with
	// sub-units.
	OwnUnitManager string `json:"ownUnitManager"`
	// Member is an employee with nobody below them, a member of a handful of cases.
	Member string `json:"member"`
	// AccountsNone is such an employee with Accounts none.
	AccountsNone string `json:"accountsNone"`
	// NoFinancials is such an employee with Cases member_no_financials.
	NoFinancials string `json:"noFinancials"`
}

// Logins are the generated organisation's shared password and its representative callers.
type Logins struct {
	Password string  `json:"password"`
	Callers  Callers `json:"callers"`
}

// Print writes the logins as a table.
func (l *Logins) Print(w io.Writer) {
	fmt.Fprintf(w, "\nGenerated organisation logins (password for all: %s)\n", l.Password)
	for _, c := range []struct{ role, email string }{
		{"head", l.Callers.Head}, {"supervisor500", l.Callers.Supervisor500},
		{"ownUnitManager", l.Callers.OwnUnitManager}, {"member", l.Callers.Member},
		{"accountsNone", l.Callers.AccountsNone}, {"noFinancials", l.Callers.NoFinancials},
	} {
		fmt.Fprintf(w, "%-16s %s\n", c.role, c.email)
	}
	fmt.Fprintln(w)
}

// WriteFile writes the logins as JSON to path, readable by its owner only (it holds a
// password).
func (l *Logins) WriteFile(path string) error {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return fmt.Errorf("encode logins: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write logins: %w", err)
	}
	return nil
}
