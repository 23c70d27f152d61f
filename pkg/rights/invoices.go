package rights

// InvoiceAttrs are the attributes of an invoice that rights depend on. StatusPos is the
// position of its current status in the StatusOrder (the same scale as InvoiceLimit.UpTo).
type InvoiceAttrs struct {
	Case      CaseAttrs
	StatusPos int
}

// InvoiceAction is something done to an invoice. Status changes use DecideInvoiceStatus.
type InvoiceAction uint8

// Invoice actions (INV-1..5).
const (
	InvoiceView     InvoiceAction = iota // also allowed beyond the status limit (INV-4)
	InvoiceCreate                        // StatusPos is the initial status (INV-3)
	InvoiceEdit                          // rows and settings (INV-4)
	InvoiceDelete                        // INV-4
	InvoiceCredit                        // INV-4
	InvoiceRemind                        // create a reminder (INV-4)
	InvoiceSchedule                      // automated invoicing for the case (INV-5)
)

// invoiceAccess decides whether the subject has invoice access to a case at all: owner-like
// (INV-1, CASE-4, CASE-8..11) and never with manager_no_financials (CASE-7).
func invoiceAccess(s *Subject, c *CaseAttrs) Decision {
	rel, why := relate(s, c)
	switch {
	case rel == relNone:
		return deny(why)
	case rel != relOwnerLike:
		return deny(ReasonInvoiceOwnerOnly)
	case s.Rights.Cases == CasesManagerNoFinancials:
		return deny(ReasonInvoiceManagerNoFinancials)
	}
	// member_no_financials keeps invoice access as owner (CASE-4) yet sees no amounts (CASE-5).
	return allow(why).masked(financialMask(s.Rights.Cases, rel))
}

// DecideInvoice decides an invoice action (INV-1, INV-3, INV-4, INV-5, CASE-7). Viewing needs
// invoice access only; every change needs the invoice's current status within the limit.
func DecideInvoice(s *Subject, a InvoiceAction, inv InvoiceAttrs) Decision {
	d := invoiceAccess(s, &inv.Case)
	if !d.Allow {
		return d
	}
	lim := s.Rights.Invoice
	switch a {
	case InvoiceView:
		return d
	case InvoiceCreate:
		if !lim.Allows(inv.StatusPos) {
			return deny(ReasonInvoiceTargetBeyondLimit)
		}
	case InvoiceSchedule:
		if !s.Rights.ScheduledInvoicing {
			return deny(ReasonScheduledInvoicingDenied)
		}
		d.Reason = ReasonScheduledInvoicing
		return d
	default:
		if !lim.Allows(inv.StatusPos) {
			return deny(ReasonInvoiceBeyondLimit)
		}
	}
	d.Reason = limitReason(lim)
	return d
}

// DecideInvoiceStatus decides moving an invoice to the status at position to: the current
// status must be within the limit (INV-4) and so must the target (INV-2, INV-3). Whether the
// target status is active is a validation the caller makes.
func DecideInvoiceStatus(s *Subject, inv InvoiceAttrs, to int) Decision {
	d := invoiceAccess(s, &inv.Case)
	lim := s.Rights.Invoice
	switch {
	case !d.Allow:
		return d
	case !lim.Allows(inv.StatusPos):
		return deny(ReasonInvoiceBeyondLimit)
	case !lim.Allows(to):
		return deny(ReasonInvoiceTargetBeyondLimit)
	}
	d.Reason = limitReason(lim)
	return d
}

func limitReason(l InvoiceLimit) Reason {
	if l.Any {
		return ReasonInvoiceAnyStatus
	}
	return ReasonInvoiceWithinLimit
}
