package portal

import (
	"context"
	"fmt"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/sharing"
	"github.com/caseroom/caseroom/pkg/work"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// pageRows is how many rows of a list one case page shows.
const pageRows = 200

// doneText are the confirmations shown after a successful form post.
var doneText = map[string]string{
	"password":       "Your password is saved.",
	"status":         "The status is changed.",
	"hour-approved":  "The work hour is approved.",
	"hour-rejected":  "The work hour is rejected.",
	"phase-approved": "The phase is approved.",
	"phase-rejected": "The phase is rejected.",
	"comment":        "Your comment is posted.",
	"file":           "The file is uploaded.",
}

// casesPage lists the contact's shared cases (EXT-5).
func (h *handler) casesPage(c *fiber.Ctx) error {
	views, err := h.cases.SharedCases(c.UserContext(), caller(c).Actor())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "cases", &pageData{Title: "My cases", Contact: caller(c),
		Flash: doneText[c.Query("done")], Data: views})
}

// caseData is the content of a case page: only the sections the grant shows are loaded.
type caseData struct {
	View          cases.SharedCase
	Can           map[string]bool
	Statuses      []string
	Hours         []*work.Hour
	HoursTotal    int64
	HoursMore     bool
	Phases        []*cases.Phase
	Files         []*cases.File
	Comments      []*cases.Comment
	Invoices      []billing.Invoice
	Targets       map[string]string // "phase-3" → "phase Discovery", for comment lines
	TargetOptions []option
	MaxUpload     int64
}

type option struct{ Value, Label string }

// casePage shows one shared case with its shared sections and the forms the contact's
// rights allow (EXT-3, EXT-6); a case not shared with them is a 404 page (EXT-8).
func (h *handler) casePage(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), caller(c)
	v, err := h.cases.SharedCase(ctx, who.Actor(), id)
	if err != nil {
		return err
	}
	g := v.Grant
	d := &caseData{View: v, Statuses: cases.Statuses, MaxUpload: h.deps.MaxUploadBytes,
		Targets: map[string]string{fmt.Sprintf("%s-%d", cases.TargetCase, id): "the case"},
		Can: map[string]bool{
			"ViewStatus": g.Can(sharing.ViewStatus), "ChangeStatus": g.Can(sharing.ChangeStatus),
			"ViewFinancials": g.Can(sharing.ViewFinancials), "ViewPhases": g.Can(sharing.ViewPhases),
			"ApprovePhases": g.Can(sharing.ApprovePhases), "ViewHours": g.Can(sharing.ViewHours),
			"ApproveHours": g.Can(sharing.ApproveHours), "ViewFiles": g.Can(sharing.ViewFiles),
			"Upload": g.Can(sharing.UploadFiles), "ViewComments": g.Can(sharing.ViewComments),
		}}
	if err := h.loadSections(ctx, who, d); err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "case", &pageData{Title: v.Case.Name, Contact: who,
		Flash: doneText[c.Query("done")], Data: d})
}

// loadSections loads the lists of the sections the grant shows, with the comment targets.
func (h *handler) loadSections(ctx context.Context, who *extranet.Contact, d *caseData) error {
	id, all := d.View.Case.ID, domain.Window{Limit: pageRows}
	var err error
	d.TargetOptions = []option{{cases.TargetCase, "The case in general"}}
	if d.Can["ViewFinancials"] {
		if d.Invoices, _, err = h.caseInvoices(ctx, who, id, all); err != nil {
			return err
		}
	}
	if d.Can["ViewPhases"] {
		if d.Phases, _, err = h.cases.CasePhases(ctx, who.Actor(), id, all); err != nil {
			return err
		}
		for _, p := range d.Phases {
			key := fmt.Sprintf("%s-%d", cases.TargetPhase, p.ID)
			d.Targets[key] = "phase " + p.Name
			d.TargetOptions = append(d.TargetOptions, option{key, "Phase: " + p.Name})
		}
	}
	if d.Can["ViewHours"] {
		if d.Hours, d.HoursTotal, err = h.caseHours(ctx, who, id, all); err != nil {
			return err
		}
		d.HoursMore = d.HoursTotal > int64(len(d.Hours))
	}
	if d.Can["ViewFiles"] {
		if d.Files, _, err = h.cases.CaseFiles(ctx, who.Actor(), id, all); err != nil {
			return err
		}
		for _, f := range d.Files {
			key := fmt.Sprintf("%s-%d", cases.TargetFile, f.ID)
			d.Targets[key] = "file " + f.Name
			d.TargetOptions = append(d.TargetOptions, option{key, "File: " + f.Name})
		}
	}
	if d.Can["ViewComments"] {
		if d.Comments, _, err = h.cases.CaseComments(ctx, who.Actor(), id, all); err != nil {
			return err
		}
	}
	return nil
}
