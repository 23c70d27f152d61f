package portal

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/httpx"
)

// The forms of a case page. Each names its place on the page (at) and carries the reader's
// view, so that a success redirects to the confirmation at the row acted on (#note) on the
// same pages, and an error is shown in the case page where the form was (formErrorPage).

// doneURL is the page a successful form redirects to: the case at view v with the
// confirmation done at the row or section at.
func doneURL(caseID int64, v view, done, at string) string {
	u := casePath(caseID, v)
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	return u + sep + "done=" + done + "&at=" + at + "#note"
}

// startForm records the form being posted on case caseID (for its errors) and returns the
// reader's view it carries.
func startForm(c *fiber.Ctx, caseID int64, at, kind string, kept map[string]string) view {
	v := viewOf(httpx.FormValue(c, "view"))
	c.Locals(formKey, &formCtx{caseID: caseID, at: at, kind: kind, view: v, kept: kept})
	c.Locals(backKey, casePath(caseID, v)+"#"+at)
	return v
}

// statusForm changes the case status (EXT-6) from the status form.
func (h *handler) statusForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	v := startForm(c, id, "status", "status", nil)
	version, err := strconv.ParseInt(httpx.FormValue(c, "version"), 10, 64)
	if err != nil {
		return apperr.E(apperr.Invalid, "The form lacks the case version. Reload the page and try again.")
	}
	if _, err := h.cases.SetStatus(c.UserContext(), caller(c).Actor(), id, httpx.FormValue(c, "status"), domain.Version(version)); err != nil {
		return err
	}
	return seeOther(c, doneURL(id, v, "status", "status"))
}

// rowSpot is where on the page a decision on row kind/id was made: its row in the list of
// what waits (from=waiting) or in its own section.
func rowSpot(c *fiber.Ctx, kind string, id int64) string {
	if httpx.FormValue(c, "from") == "waiting" {
		return spot("wait-"+kind, id)
	}
	return spot(kind, id)
}

// hourForm approves or rejects a work hour (EXT-2, EXT-6) from its row's forms.
func (h *handler) hourForm(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		seen, err := h.pathHour(c)
		if err != nil {
			return err
		}
		return decisionForm(c, "hour", seen.ID, seen.CaseID, approve, func(comment string, expect domain.Expect) error {
			_, err := h.work.DecideHour(c.UserContext(), caller(c).Actor(), seen.ID, approve, comment, expect)
			return err
		})
	}
}

// phaseForm approves or rejects a phase (EXT-2, EXT-6) from its row's forms.
func (h *handler) phaseForm(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		seen, err := h.pathPhase(c)
		if err != nil {
			return err
		}
		return decisionForm(c, "phase", seen.ID, seen.CaseID, approve, func(comment string, expect domain.Expect) error {
			_, err := h.cases.DecidePhase(c.UserContext(), caller(c).Actor(), seen.ID, approve, comment, expect)
			return err
		})
	}
}

// decisionForm reads the form of row kind/id of case caseID, the caller having seen the row,
// decides it through decide with the form's comment and the version the page showed, and
// redirects to the confirmation at the row.
func decisionForm(c *fiber.Ctx, kind string, id, caseID int64, approve bool, decide func(comment string, expect domain.Expect) error) error {
	at := rowSpot(c, kind, id)
	comment := httpx.FormValue(c, "comment")
	v := startForm(c, caseID, at, kind, map[string]string{"comment": comment})
	version, err := formVersion(c)
	if err != nil {
		return err
	}
	if err := decide(comment, domain.Expect{Version: version}); err != nil {
		return err
	}
	return seeOther(c, doneURL(caseID, v, kind+"-"+verdict(approve), at))
}

// formVersion reads the version the page showed, so that a decision on a row an employee
// changed meanwhile is refused (412) instead of approving what the contact never saw.
func formVersion(c *fiber.Ctx) (*int64, error) {
	v, err := strconv.ParseInt(httpx.FormValue(c, "version"), 10, 64)
	if err != nil {
		return nil, apperr.E(apperr.Invalid, "The form lacks the version it showed. Reload the page and try again.")
	}
	return &v, nil
}

func verdict(approve bool) string {
	if approve {
		return "approved"
	}
	return "rejected"
}

// commentForm posts a comment on the case, a phase or a file (EXT-2, EXT-7). The target
// field is "case", "phase-ID" or "file-ID". Comments are listed newest first, so the new
// one is the first row of the first page.
func (h *handler) commentForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	body, target := httpx.FormValue(c, "body"), httpx.FormValue(c, "target")
	v := startForm(c, id, "comment-form", "comment", map[string]string{"body": body, "target": target})
	nc := cases.CommentInput{CaseID: id, TargetType: cases.TargetCase, Body: body}
	if target != "" && target != cases.TargetCase {
		kind, raw, _ := strings.Cut(target, "-")
		tid, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || (kind != cases.TargetPhase && kind != cases.TargetFile) {
			return apperr.E(apperr.Invalid, "Choose what the comment is about.")
		}
		nc.TargetType, nc.TargetID = kind, tid
	}
	m, err := h.cases.AddComment(c.UserContext(), caller(c).Actor(), nc)
	if err != nil {
		return err
	}
	return seeOther(c, doneURL(id, v.with("comments", 1), "comment", spot("comment", m.ID)))
}

// linkForm adds a link to the case's files & links (EXT-2, EXT-7): the Upload right, as for
// files (cases.Service.CreateLink decides).
func (h *handler) linkForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	address, name := strings.TrimSpace(httpx.FormValue(c, "url")), httpx.FormValue(c, "name")
	v := startForm(c, id, "link-form", "link", map[string]string{"url": address, "name": name})
	f, err := h.cases.CreateLink(c.UserContext(), caller(c).Actor(), cases.FileInput{CaseID: &id, URL: &address, Name: &name})
	if err != nil {
		return err
	}
	return seeOther(c, doneURL(id, v.with("files", 1), "link", spot("file", f.ID)))
}

// uploadForm stores a file from the upload form (EXT-2, EXT-7). The form is multipart and
// streamed, so the CSRF token and the view are read from the fields the form sends before
// the file.
func (h *handler) uploadForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	c.Locals(backKey, casePath(id, nil)+"#files")
	if err := h.checkOrigin(c); err != nil {
		return err // a post from another site gets the plain refusal, not the case page
	}
	// Nothing of the body is read before the checks (httpx.FormValue would read it whole):
	// the view comes with the fields before the file.
	c.Locals(formKey, &formCtx{caseID: id, at: "upload-form", kind: "upload", view: view{}})
	files := h.fileStore()
	part, fields, err := h.openUpload(c, files, id)
	if err != nil {
		return err
	}
	if err := h.checkCSRF(c, fields["csrf"]); err != nil {
		c.Locals(formKey, nil) // a forged post gets the plain refusal, not the case page
		return err
	}
	v := viewOf(fields["view"])
	c.Locals(formKey, &formCtx{caseID: id, at: "upload-form", kind: "upload", view: v})
	f, err := files.AddFile(c.UserContext(), caller(c).Actor(), uploadOf(id, part))
	if err != nil {
		return err
	}
	return seeOther(c, doneURL(id, v.with("files", 1), "file", spot("file", f.ID)))
}

// downloadPage downloads a file for the browser, like GET /portal/v1/files/:id/download.
func (h *handler) downloadPage(c *fiber.Ctx) error {
	id, err := pathID(c, "file")
	if err != nil {
		return err
	}
	return h.sendFile(c, caller(c), id)
}
