package portal

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/sharing"
	"github.com/caseroom/caseroom/pkg/work"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// caseRow is one case of the case list, with what waits there for the contact.
type caseRow struct {
	cases.SharedCase
	ShowStatus    bool
	WaitingHours  int64
	WaitingPhases int64
}

// casesPage lists the contact's shared cases (EXT-5), each with how many hours and phases
// wait for their approval: the counts of all cases are one query each, not one per case.
func (h *handler) casesPage(c *fiber.Ctx) error {
	ctx, a, l := c.UserContext(), caller(c).Actor(), h.locale(c)
	views, err := h.cases.SharedCases(ctx, a)
	if err != nil {
		return err
	}
	hours, err := h.work.WaitingCounts(ctx, a)
	if err != nil {
		return err
	}
	phases, err := h.cases.WaitingPhaseCounts(ctx, a)
	if err != nil {
		return err
	}
	rows := make([]caseRow, len(views))
	for i, v := range views {
		rows[i] = caseRow{SharedCase: v, ShowStatus: v.Grant.Can(sharing.ViewStatus),
			WaitingHours: int64(hours[v.Case.ID]), WaitingPhases: int64(phases[v.Case.ID])}
	}
	d := &pageData{Title: l.T("cases.title"), Contact: caller(c), Data: rows}
	if key := c.Query("done"); key == "password" {
		d.Flash = l.T("done.password")
	}
	return h.render(c, http.StatusOK, "cases", d)
}

// caseData is the content of a case page: only the sections the grant shows are loaded,
// each list one page at a time.
type caseData struct {
	View      cases.SharedCase
	Can       map[string]bool
	Statuses  []string
	MaxUpload int64
	// ViewQuery is where the reader is in the paged lists; every form carries it back.
	ViewQuery string
	Pagers    map[string]*pager

	Waiting      []work.Hour
	WaitingTotal int64
	// WaitingSeen is the snapshot of every hour the page shows as waiting, on all its pages:
	// "approve all" approves them only while it holds (bulkApproveForm).
	WaitingSeen   work.Snapshot
	WaitPhases    []*cases.Phase
	Phases        []*cases.Phase
	Hours         []work.Hour
	Totals        work.HourTotals
	Files         []*cases.File
	Comments      []cases.NamedComment
	Invoices      []billing.Invoice
	TargetOptions []option

	// Note is the one message of the page (a confirmation or an error), at the row or section
	// it is about.
	Note  *note
	spots map[string]bool // the ids of the rows and sections shown, where a note may sit
}

// option is a choice of what a comment is about: the case, a phase or a file.
type option struct{ Value, Kind, Name string }

// casePath is the address of a case page at view v.
func casePath(id int64, v view) string {
	u := "/cases/" + strconv.FormatInt(id, 10)
	if q := v.Query(); q != "" {
		u += "?" + q
	}
	return u
}

// casePage shows one shared case with its shared sections and the forms the contact's
// rights allow (EXT-3, EXT-6); a case not shared with them is a 404 page (EXT-8). The
// query names the page of each list (?hours=3) and the confirmation of a form just posted
// (done, at).
func (h *handler) casePage(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	return h.showCase(c, http.StatusOK, id, parseView(func(k string) string { return c.Query(k) }), h.queryNote(c))
}

// showCase renders case id at view v with status and note: the page itself, and the page
// a failed form shows its error on.
func (h *handler) showCase(c *fiber.Ctx, status int, id int64, v view, n *note) error {
	ctx, who, l := c.UserContext(), caller(c), h.locale(c)
	sc, err := h.cases.SharedCase(ctx, who.Actor(), id)
	if err != nil {
		return err
	}
	g := sc.Grant
	d := &caseData{View: sc, Statuses: cases.Statuses, MaxUpload: h.deps.MaxUploadBytes, ViewQuery: v.Query(),
		Pagers: map[string]*pager{},
		Can: map[string]bool{
			"ViewStatus": g.Can(sharing.ViewStatus), "ChangeStatus": g.Can(sharing.ChangeStatus),
			"ViewFinancials": g.Can(sharing.ViewFinancials), "ViewPhases": g.Can(sharing.ViewPhases),
			"ApprovePhases": g.Can(sharing.ApprovePhases), "ViewHours": g.Can(sharing.ViewHours),
			"ApproveHours": g.Can(sharing.ApproveHours), "ViewFiles": g.Can(sharing.ViewFiles),
			"Upload": g.Can(sharing.UploadFiles), "ViewComments": g.Can(sharing.ViewComments),
			"HourPrices": g.Can(sharing.ViewHourPrices),
		}}
	d.Can["Waiting"] = d.Can["ApproveHours"] || d.Can["ApprovePhases"]
	base := func(v view) string { return casePath(id, v) }
	for s, key := range map[string]string{"waiting": "pager.waiting", "wphases": "pager.wphases", "phases": "pager.phases",
		"hours": "pager.hours", "files": "pager.files", "comments": "pager.comments", "invoices": "pager.invoices"} {
		d.Pagers[s] = newPager(l, s, l.T(key), v, base)
	}
	if err := h.loadSections(ctx, who, d); err != nil {
		return err
	}
	d.Note = d.place(n)
	return h.render(c, status, "case", &pageData{Title: sc.Case.Name, Contact: who, Path: casePath(id, v), Data: d})
}

// loadSections loads one page of each list the grant shows, and marks where on the page a
// note may sit.
func (h *handler) loadSections(ctx context.Context, who *extranet.Contact, d *caseData) error {
	id, a := d.View.Case.ID, who.Actor()
	var err error
	if d.Can["Waiting"] {
		if err := h.loadWaiting(ctx, a, d); err != nil {
			return err
		}
	}
	if d.Can["ViewFinancials"] {
		if d.Invoices, err = loadList(ctx, a, d, "invoices", h.billing.CaseInvoices); err != nil {
			return err
		}
	}
	if d.Can["ViewPhases"] {
		if d.Phases, err = loadList(ctx, a, d, "phases", h.cases.CasePhases); err != nil {
			return err
		}
	}
	if d.Can["ViewHours"] {
		if d.Hours, err = loadList(ctx, a, d, "hours", h.work.CaseHours); err != nil {
			return err
		}
		if d.Totals, err = h.work.CaseHourTotals(ctx, a, id); err != nil {
			return err
		}
	}
	if d.Can["ViewFiles"] {
		if d.Files, err = loadList(ctx, a, d, "files", h.cases.CaseFiles); err != nil {
			return err
		}
	}
	if d.Can["ViewComments"] {
		if d.Comments, err = loadList(ctx, a, d, "comments", h.cases.RecentComments); err != nil {
			return err
		}
		if d.TargetOptions, err = h.targetOptions(ctx, who, id); err != nil {
			return err
		}
	}
	d.markSpots()
	return nil
}

// loadList loads the page of section s of the case from list, one of the services' lists
// of a case's rows as a shows them (cases.Service.CasePhases, work.Service.CaseHours, …).
func loadList[T any](ctx context.Context, a domain.Actor, d *caseData, s string,
	list func(context.Context, domain.Actor, int64, domain.Window) ([]T, int64, error)) ([]T, error) {
	return loadPage(d.Pagers[s], func(w domain.Window) ([]T, int64, error) {
		return list(ctx, a, d.View.Case.ID, w)
	})
}

// markSpots marks the sections and the rows the page shows: the places a note may sit
// (place).
func (d *caseData) markSpots() {
	can := d.Can
	d.spots = map[string]bool{"top": true, "status": can["ViewStatus"], "waiting": can["Waiting"],
		"billing": can["ViewFinancials"], "phases": can["ViewPhases"], "hours": can["ViewHours"],
		"files": can["ViewFiles"], "upload-form": can["ViewFiles"] && can["Upload"], "link-form": can["ViewFiles"] && can["Upload"],
		"comments": can["ViewComments"], "comment-form": can["ViewComments"]}
	for _, w := range d.Waiting {
		d.spots[spot("wait-hour", w.ID)] = true
	}
	for _, p := range d.WaitPhases {
		d.spots[spot("wait-phase", p.ID)] = true
	}
	for _, p := range d.Phases {
		d.spots[spot("phase", p.ID)] = true
	}
	for _, w := range d.Hours {
		d.spots[spot("hour", w.ID)] = true
	}
	for _, f := range d.Files {
		d.spots[spot("file", f.ID)] = true
	}
	for _, m := range d.Comments {
		d.spots[spot("comment", m.ID)] = true
	}
}

// spot is the id of row id of kind on a case page (hour-12, wait-phase-3).
func spot(kind string, id int64) string { return fmt.Sprintf("%s-%d", kind, id) }

// targetOptions are the choices of what a new comment is about: the case, and every phase
// and file the contact sees, whichever page of its list it is on (cases.CommentTargets).
func (h *handler) targetOptions(ctx context.Context, who *extranet.Contact, caseID int64) ([]option, error) {
	targets, err := h.cases.CommentTargets(ctx, who.Actor(), caseID)
	if err != nil {
		return nil, err
	}
	out := make([]option, 0, len(targets)+1)
	out = append(out, option{cases.TargetCase, cases.TargetCase, ""})
	for _, t := range targets {
		out = append(out, option{fmt.Sprintf("%s-%d", t.Type, t.ID), t.Type, t.Name})
	}
	return out, nil
}

// loadWaiting loads what waits for the contact's approval: hours and phases.
func (h *handler) loadWaiting(ctx context.Context, a domain.Actor, d *caseData) error {
	var err error
	if d.Can["ApproveHours"] {
		if d.Waiting, err = loadList(ctx, a, d, "waiting", h.work.WaitingHours); err != nil {
			return err
		}
		d.WaitingTotal = d.Pagers["waiting"].Total
		if d.WaitingTotal > 0 {
			if d.WaitingSeen, err = h.work.WaitingSnapshot(ctx, a, d.View.Case.ID); err != nil {
				return err
			}
		}
	}
	if d.Can["ApprovePhases"] {
		if d.WaitPhases, err = loadList(ctx, a, d, "wphases", h.cases.WaitingPhases); err != nil {
			return err
		}
	}
	return nil
}

// hourName names an hour for the words of its controls: "4.00 h on 30 Nov 2026 by Erik".
func hourName(l *i18n.Locale, h work.Hour) string {
	return l.T("hour.name", "hours", l.Hours(h.Minutes), "date", l.Date(string(h.WorkDate)), "person", h.Person)
}
