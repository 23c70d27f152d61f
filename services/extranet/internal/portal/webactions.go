package portal

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/httpx"
)

// caseURL is the page of a case, optionally with a confirmation and an anchor.
func caseURL(caseID int64, done, anchor string) string {
	u := "/cases/" + strconv.FormatInt(caseID, 10)
	if done != "" {
		u += "?done=" + done
	}
	if anchor != "" {
		u += "#" + anchor
	}
	return u
}

// statusForm changes the case status (EXT-6) from the status form.
func (h *handler) statusForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	c.Locals(backKey, caseURL(id, "", "status"))
	version, err := strconv.ParseInt(httpx.FormValue(c, "version"), 10, 64)
	if err != nil {
		return apperr.E(apperr.Invalid, "The form lacks the case version. Reload the page and try again.")
	}
	if _, err := h.cases.SetStatus(c.UserContext(), caller(c).Actor(), id, httpx.FormValue(c, "status"), domain.Version(version)); err != nil {
		return err
	}
	return seeOther(c, caseURL(id, "status", "status"))
}

// hourForm approves or rejects a work hour (EXT-2, EXT-6) from its row's forms.
func (h *handler) hourForm(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "work hour")
		if err != nil {
			return err
		}
		ctx, who := c.UserContext(), caller(c)
		seen, err := h.work.Hour(ctx, who.Actor(), id)
		if err != nil {
			return err
		}
		c.Locals(backKey, caseURL(seen.CaseID, "", "hours"))
		version, err := formVersion(c)
		if err != nil {
			return err
		}
		if _, err := h.work.DecideHour(ctx, who.Actor(), id, approve, httpx.FormValue(c, "comment"), domain.Expect{Version: version}); err != nil {
			return err
		}
		return seeOther(c, caseURL(seen.CaseID, "hour-"+verdict(approve), "hour-"+strconv.FormatInt(id, 10)))
	}
}

// phaseForm approves or rejects a phase (EXT-2, EXT-6) from its row's forms.
func (h *handler) phaseForm(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "phase")
		if err != nil {
			return err
		}
		ctx, a := c.UserContext(), caller(c).Actor()
		seen, err := h.cases.Phase(ctx, a, id)
		if err != nil {
			return err
		}
		c.Locals(backKey, caseURL(seen.CaseID, "", "phases"))
		version, err := formVersion(c)
		if err != nil {
			return err
		}
		if _, err := h.cases.DecidePhase(ctx, a, id, approve, httpx.FormValue(c, "comment"), domain.Expect{Version: version}); err != nil {
			return err
		}
		return seeOther(c, caseURL(seen.CaseID, "phase-"+verdict(approve), "phase-"+strconv.FormatInt(id, 10)))
	}
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
// field is "case", "phase-ID" or "file-ID".
func (h *handler) commentForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	c.Locals(backKey, caseURL(id, "", "comments"))
	nc := cases.CommentInput{CaseID: id, TargetType: cases.TargetCase, Body: httpx.FormValue(c, "body")}
	if t := httpx.FormValue(c, "target"); t != "" && t != cases.TargetCase {
		kind, raw, _ := strings.Cut(t, "-")
		tid, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || (kind != cases.TargetPhase && kind != cases.TargetFile) {
			return apperr.E(apperr.Invalid, "Choose what the comment is about.")
		}
		nc.TargetType, nc.TargetID = kind, tid
	}
	if _, err := h.cases.AddComment(c.UserContext(), caller(c).Actor(), nc); err != nil {
		return err
	}
	return seeOther(c, caseURL(id, "comment", "comments"))
}

// uploadForm stores a file from the upload form (EXT-2, EXT-7). The form is multipart and
// streamed, so the CSRF token is read from the field the form sends before the file.
func (h *handler) uploadForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	c.Locals(backKey, caseURL(id, "", "files"))
	if err := h.checkOrigin(c); err != nil {
		return err
	}
	ctx, a, files := c.UserContext(), caller(c).Actor(), h.fileStore()
	if err := files.CheckUpload(ctx, a, id); err != nil {
		return err
	}
	part, fields, err := httpx.OpenUpload(c)
	if err != nil {
		return err
	}
	if err := h.checkCSRF(c, fields["csrf"]); err != nil {
		return err
	}
	v, err := files.AddFile(ctx, a, uploadOf(id, part))
	if err != nil {
		return err
	}
	return seeOther(c, caseURL(id, "file", fmt.Sprintf("file-%d", v.ID)))
}

// downloadPage downloads a file for the browser, like GET /portal/v1/files/:id/download.
func (h *handler) downloadPage(c *fiber.Ctx) error {
	id, err := pathID(c, "file")
	if err != nil {
		return err
	}
	return h.sendFile(c, caller(c), id)
}
