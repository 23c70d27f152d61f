package rights

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Column names of the profile table, which are also the right names of per-user overrides (ORG-5).
const (
	ColAccounts               = "accounts"
	ColDeleteAccounts         = "delete_accounts"
	ColCases                  = "cases"
	ColDeleteCases            = "delete_cases"
	ColOwnResourceAllocations = "own_resource_allocations"
	ColJoinCases              = "join_cases"
	ColUsers                  = "users"
	ColInvoiceStatus          = "invoice_status"
	ColScheduledInvoicing     = "scheduled_invoicing"
	ColApproval               = "approval"
	ColApproveOwnCases        = "approve_own_cases"
	ColTravel                 = "travel"
	ColSharing                = "sharing"
	ColAdmin                  = "admin"
)

// columns lists every right in the order of RIGHTS.md.
var columns = []string{
	ColAccounts, ColDeleteAccounts, ColCases, ColDeleteCases, ColOwnResourceAllocations,
	ColJoinCases, ColUsers, ColInvoiceStatus, ColScheduledInvoicing, ColApproval,
	ColApproveOwnCases, ColTravel, ColSharing, ColAdmin,
}

// Columns returns the right names in RIGHTS.md order: the profile columns and the only
// names a per-user override may use (ORG-5, PRF-5).
func Columns() []string { return append([]string(nil), columns...) }

// Errors of parsing and formatting rights; they are wrapped with the offending name or value.
var (
	ErrUnknownRight  = errors.New("rights: unknown right")
	ErrMissingRight  = errors.New("rights: missing right")
	ErrUnknownStatus = errors.New("rights: unknown invoice status")
)

// Rights is one set of effective rights: a profile's, or a user's after overrides (ORG-5).
// The zero value is the lowest level of every right.
type Rights struct {
	Accounts               AccountsLevel
	DeleteAccounts         bool
	Cases                  CasesLevel
	DeleteCases            bool
	OwnResourceAllocations bool
	Join                   JoinLevel
	Users                  UsersLevel
	Invoice                InvoiceLimit
	ScheduledInvoicing     bool
	Approval               ApprovalLevel
	ApproveOwnCases        bool
	Travel                 TravelLevel
	Sharing                bool
	Admin                  AdminLevel
}

// InvoiceLimit is the invoice-status right (INV-2, INV-3): Any, or up to the status at
// position UpTo of the ordered status list. The zero value allows only the first status.
type InvoiceLimit struct {
	Any  bool
	UpTo int
}

// Allows reports whether an invoice may be set to (or edited at) status position pos (INV-2, INV-3).
func (l InvoiceLimit) Allows(pos int) bool { return l.Any || pos <= l.UpTo }

// StatusOrder is the ordered list of invoice status ids from settings (section 5). A status's
// position is its index here; InvoiceLimit.UpTo and InvoiceAttrs.StatusPos use that position.
type StatusOrder []int64

// Position returns the index of status id in the list.
func (o StatusOrder) Position(id int64) (int, bool) {
	for i, s := range o {
		if s == id {
			return i, true
		}
	}
	return 0, false
}

// ParseInvoiceLimit parses "any" or "up_to:<statusID>", resolving the id against order (INV-2, INV-3).
func ParseInvoiceLimit(s string, order StatusOrder) (InvoiceLimit, error) {
	if s == "any" {
		return InvoiceLimit{Any: true}, nil
	}
	idText, ok := strings.CutPrefix(s, "up_to:")
	if !ok {
		return InvoiceLimit{}, fmt.Errorf("%w: %s %q (want any or up_to:<status id>)", ErrInvalidValue, ColInvoiceStatus, s)
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil {
		return InvoiceLimit{}, fmt.Errorf("%w: %s %q", ErrInvalidValue, ColInvoiceStatus, s)
	}
	pos, ok := order.Position(id)
	if !ok {
		return InvoiceLimit{}, fmt.Errorf("%w: %s %q", ErrUnknownStatus, ColInvoiceStatus, s)
	}
	return InvoiceLimit{UpTo: pos}, nil
}

// Format returns the stored form of the limit: "any" or "up_to:<statusID>".
func (l InvoiceLimit) Format(order StatusOrder) (string, error) {
	if l.Any {
		return "any", nil
	}
	if l.UpTo < 0 || l.UpTo >= len(order) {
		return "", fmt.Errorf("%w: position %d of %d statuses", ErrUnknownStatus, l.UpTo, len(order))
	}
	return "up_to:" + strconv.FormatInt(order[l.UpTo], 10), nil
}

// Set applies one right given as text, as an override does (ORG-5, PRF-5). Unknown names wrap
// ErrUnknownRight; bad values wrap ErrInvalidValue or ErrUnknownStatus. r is unchanged on error.
func (r *Rights) Set(name, value string, order StatusOrder) error {
	var err error
	switch name {
	case ColAccounts:
		r.Accounts, err = setLevel(r.Accounts, value, ParseAccountsLevel)
	case ColCases:
		r.Cases, err = setLevel(r.Cases, value, ParseCasesLevel)
	case ColJoinCases:
		r.Join, err = setLevel(r.Join, value, ParseJoinLevel)
	case ColUsers:
		r.Users, err = setLevel(r.Users, value, ParseUsersLevel)
	case ColApproval:
		r.Approval, err = setLevel(r.Approval, value, ParseApprovalLevel)
	case ColTravel:
		r.Travel, err = setLevel(r.Travel, value, ParseTravelLevel)
	case ColAdmin:
		r.Admin, err = setLevel(r.Admin, value, ParseAdminLevel)
	case ColInvoiceStatus:
		r.Invoice, err = setLevel(r.Invoice, value, func(s string) (InvoiceLimit, error) { return ParseInvoiceLimit(s, order) })
	default:
		f := r.flag(name)
		if f == nil {
			return fmt.Errorf("%w: %q", ErrUnknownRight, name)
		}
		*f, err = setLevel(*f, value, func(s string) (bool, error) { return ParseFlag(name, s) })
	}
	return err
}

func setLevel[T any](old T, value string, parse func(string) (T, error)) (T, error) {
	v, err := parse(value)
	if err != nil {
		return old, err
	}
	return v, nil
}

// flag returns the address of the yes/no right called name, or nil.
func (r *Rights) flag(name string) *bool {
	switch name {
	case ColDeleteAccounts:
		return &r.DeleteAccounts
	case ColDeleteCases:
		return &r.DeleteCases
	case ColOwnResourceAllocations:
		return &r.OwnResourceAllocations
	case ColScheduledInvoicing:
		return &r.ScheduledInvoicing
	case ColApproveOwnCases:
		return &r.ApproveOwnCases
	case ColSharing:
		return &r.Sharing
	}
	return nil
}

// Value returns the stored text of one right (the inverse of Set).
func (r Rights) Value(name string, order StatusOrder) (string, error) {
	switch name {
	case ColAccounts:
		return r.Accounts.String(), nil
	case ColCases:
		return r.Cases.String(), nil
	case ColJoinCases:
		return r.Join.String(), nil
	case ColUsers:
		return r.Users.String(), nil
	case ColApproval:
		return r.Approval.String(), nil
	case ColTravel:
		return r.Travel.String(), nil
	case ColAdmin:
		return r.Admin.String(), nil
	case ColInvoiceStatus:
		return r.Invoice.Format(order)
	}
	if f := r.flag(name); f != nil {
		return FormatFlag(*f), nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownRight, name)
}

// Values returns every right as stored text, keyed by column name (for writing a profile row).
func (r Rights) Values(order StatusOrder) (map[string]string, error) {
	out := make(map[string]string, len(columns))
	for _, c := range columns {
		v, err := r.Value(c, order)
		if err != nil {
			return nil, err
		}
		out[c] = v
	}
	return out, nil
}

// ParseProfile builds a profile's Rights from its stored text values, one per column. Every
// column must be present (ErrMissingRight) and no other name may appear (ErrUnknownRight).
func ParseProfile(values map[string]string, order StatusOrder) (Rights, error) {
	for _, c := range columns {
		if _, ok := values[c]; !ok {
			return Rights{}, fmt.Errorf("parse profile: %w: %q", ErrMissingRight, c)
		}
	}
	var r Rights
	for name, v := range values {
		if err := r.Set(name, v, order); err != nil {
			return Rights{}, fmt.Errorf("parse profile: %w", err)
		}
	}
	return r, nil
}

// Effective returns a user's effective rights: the profile with each override applied on top
// (ORG-5, PRF-5). An override with an unknown name or value is an error, never silently dropped.
func Effective(profile Rights, overrides map[string]string, order StatusOrder) (Rights, error) {
	r := profile
	for name, v := range overrides {
		if err := r.Set(name, v, order); err != nil {
			return Rights{}, fmt.Errorf("apply override: %w", err)
		}
	}
	return r, nil
}

// Covers reports whether r holds every right of o at the same level or higher (ORG-6). It is
// the guard against granting more than one holds (see DecideRightsChange).
func (r Rights) Covers(o Rights) bool {
	return r.Accounts >= o.Accounts && covers(r.DeleteAccounts, o.DeleteAccounts) &&
		r.Cases >= o.Cases && covers(r.DeleteCases, o.DeleteCases) &&
		covers(r.OwnResourceAllocations, o.OwnResourceAllocations) &&
		r.Join >= o.Join && r.Users >= o.Users &&
		(r.Invoice.Any || (!o.Invoice.Any && r.Invoice.UpTo >= o.Invoice.UpTo)) &&
		covers(r.ScheduledInvoicing, o.ScheduledInvoicing) &&
		r.Approval >= o.Approval && covers(r.ApproveOwnCases, o.ApproveOwnCases) &&
		r.Travel >= o.Travel && covers(r.Sharing, o.Sharing) && r.Admin >= o.Admin
}

func covers(have, want bool) bool { return have || !want }
