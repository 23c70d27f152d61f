package rights

// HistoryKind is the kind of record a change-history entry is about.
type HistoryKind uint8

// History kinds.
const (
	HistoryCase    HistoryKind = iota // a case and what hangs off it (CASE-16)
	HistoryInvoice                    // CASE-1, INV-1
	HistoryUser                       // user data, including rights changes (USR-1, USR-2, PRF-6)
	HistoryAccount                    // accounts, contacts, addresses (ACC-4)
	HistoryHours                      // a work-hour entry (USR-1, USR-2, WHA-3)
)

// HistoryAttrs are the attributes of a change-history entry that rights depend on.
type HistoryAttrs struct {
	Kind HistoryKind
	// Case is the case of a HistoryCase or HistoryInvoice entry.
	Case *CaseAttrs
	// UserID is the user a HistoryUser entry is about.
	UserID int64
	// Hour is the entry of a HistoryHours entry.
	Hour *HourAttrs
}

// DecideHistory decides whether the subject sees a change-history entry, and which of its
// values are hidden: entries show exactly what the subject may view of the record now.
// Decision: user data goes to edit_subordinates holders for themselves and their subordinates
// only, and to Users all for everyone (USR-1, USR-2, USR-4).
func DecideHistory(s *Subject, h HistoryAttrs) Decision {
	switch h.Kind {
	case HistoryCase:
		if h.Case == nil {
			return deny(ReasonCaseNotVisible)
		}
		d := DecideCase(s, CaseView, *h.Case)
		if d.Allow {
			d.Reason = ReasonHistoryCase
		}
		return d
	case HistoryInvoice:
		if h.Case == nil {
			return deny(ReasonInvoiceOwnerOnly)
		}
		return invoiceAccess(s, h.Case)
	case HistoryUser:
		switch {
		case s.Rights.Users == UsersNone:
			return deny(ReasonHistoryUsersNone)
		case h.UserID == s.UserID:
			return allow(ReasonHistoryOwnUser)
		}
		return manages(s, h.UserID)
	case HistoryAccount:
		return DecideAccount(s, AccountView, AccountAttrs{})
	case HistoryHours:
		if h.Hour == nil {
			return deny(ReasonHourNotVisible)
		}
		return DecideHours(s, HourView, *h.Hour)
	}
	return deny(ReasonNone)
}
