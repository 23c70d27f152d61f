// Package sharing decides what a portal contact may see and do on a case shared with them
// (EXT-2, EXT-3, EXT-5, EXT-6, EXT-8, EXT-9): the grant of their share, loaded on every request.
package sharing

import (
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// Grant is what one contact may do on one shared case: the sections the share shows
// (EXT-3) and the contact's own rights (EXT-2, EXT-6). It is loaded from share_contacts
// and extranet_shares on every request (EXT-9) and decides without I/O.
type Grant struct {
	ShareID        int64
	CaseID         int64
	ShowFinancials bool // billing: invoices and hour prices
	ShowPhases     bool
	ShowOther      bool // case status, work hours, files & links
	// The kinds of data the firm hides within a shared section (EXT-3 at the granularity
	// of the sharing guide): a kind shows when its section is shared and it is not hidden.
	HideBilling    bool // Financials: budget, invoiced total, invoices
	HideHourPrices bool // Financials: the price of each work hour
	HideStatus     bool // Other: the case status
	HideHours      bool // Other: work hours
	HideFiles      bool // Other: files & links

	CanApprove      bool
	CanComment      bool
	CanUpload       bool
	CanChangeStatus bool
	ExpiresAt       *time.Time
}

// Action is something a contact may try on a shared case.
type Action int

// The actions. Viewing the case itself needs no action: a Grant exists only for a case
// that is shared with the contact and not expired (EXT-5).
const (
	ViewStatus     Action = iota // the case status (Other section)
	ChangeStatus                 // set the case status (EXT-6 decision: its own right)
	ViewHours                    // work hours (Other section)
	ApproveHours                 // approve or reject an hour (Approve right)
	ViewPhases                   // phases (Phases section)
	ApprovePhases                // approve or reject a phase (Approve right)
	ViewFinancials               // budget, invoiced total and invoices (Financials section)
	ViewFiles                    // files & links (Other section, or the Upload right)
	UploadFiles                  // add a file (Upload right)
	ViewComments                 // comments (Comment right)
	AddComment                   // add a comment (Comment right)
	ViewHourPrices               // the prices of work hours (Financials section)
)

// Decision is the answer for one action: Visible says whether the contact may see the
// object the action is about, Allow whether they may do it, Rules which rules decided.
type Decision struct {
	Visible bool
	Allow   bool
	Rules   string
}

// Decide answers whether the contact may take action a on the granted case. It does no I/O.
//
// Sections decide visibility (EXT-3): an unshared section does not exist for the contact,
// so acting in it is NotFound (EXT-8). Rights decide permission (EXT-2, EXT-6): a visible
// object without the right is Forbidden. Files are visible with the Other section or with
// the Upload right, which includes viewing (EXT-2). Comments follow the Comment right
// alone, which includes viewing them (EXT-2); without it the case stays visible, so the
// comment collection answers Forbidden.
func (g Grant) Decide(a Action) Decision {
	status, hours, files := g.ShowOther && !g.HideStatus, g.ShowOther && !g.HideHours, g.ShowOther && !g.HideFiles
	switch a {
	case ViewStatus:
		return Decision{Visible: status, Allow: status, Rules: "EXT-3"}
	case ChangeStatus:
		return Decision{Visible: true, Allow: status && g.CanChangeStatus, Rules: "EXT-3,EXT-6"}
	case ViewHours:
		return Decision{Visible: hours, Allow: hours, Rules: "EXT-3"}
	case ApproveHours:
		return Decision{Visible: hours, Allow: hours && g.CanApprove, Rules: "EXT-2,EXT-3,EXT-6"}
	case ViewPhases:
		return Decision{Visible: g.ShowPhases, Allow: g.ShowPhases, Rules: "EXT-3"}
	case ApprovePhases:
		return Decision{Visible: g.ShowPhases, Allow: g.ShowPhases && g.CanApprove, Rules: "EXT-2,EXT-3,EXT-6"}
	case ViewFinancials:
		v := g.ShowFinancials && !g.HideBilling
		return Decision{Visible: v, Allow: v, Rules: "EXT-3"}
	case ViewHourPrices:
		v := g.ShowFinancials && !g.HideHourPrices && hours
		return Decision{Visible: v, Allow: v, Rules: "EXT-3"}
	case ViewFiles:
		v := files || g.CanUpload
		return Decision{Visible: v, Allow: v, Rules: "EXT-2,EXT-3"}
	case UploadFiles:
		return Decision{Visible: files || g.CanUpload, Allow: g.CanUpload, Rules: "EXT-2,EXT-6"}
	case ViewComments, AddComment:
		return Decision{Visible: true, Allow: g.CanComment, Rules: "EXT-2,EXT-6"}
	}
	return Decision{Rules: "EXT-6"} // nothing else is writable or visible
}

// Can reports whether the action is allowed.
func (g Grant) Can(a Action) bool { return g.Decide(a).Allow }

// Check returns nil when the action is allowed, apperr.NotFound (with notFound as the
// caller-facing text) when its object is invisible, and apperr.Forbidden naming the rules
// otherwise.
func (g Grant) Check(a Action, notFound string) error {
	d := g.Decide(a)
	switch {
	case !d.Visible:
		return apperr.E(apperr.NotFound, "%s", notFound)
	case !d.Allow:
		return apperr.E(apperr.Forbidden, "%s", forbiddenText[a]).Because(d.Rules)
	}
	return nil
}

var forbiddenText = map[Action]string{
	ChangeStatus:  "You may not change the status of this case.",
	ApproveHours:  "You may not approve work hours of this case.",
	ApprovePhases: "You may not approve phases of this case.",
	UploadFiles:   "You may not add files to this case.",
	ViewComments:  "You may not view or add comments on this case.",
	AddComment:    "You may not view or add comments on this case.",
}
