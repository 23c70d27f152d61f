package portal

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/work"
)

// A case page says what became of a form where the form was: a confirmation after the
// redirect of a successful post (?done=…&at=…#note), an error in the page re-rendered with
// the error's status. Either sits at the row or section acted on, with the id "note".

// note is the one message of a case page.
type note struct {
	At    string // the id of the row or section it belongs to
	Text  string
	Error bool
	// Focus marks a re-rendered page, which has no anchor to jump to: the note takes the
	// focus (autofocus), and the browser scrolls to it.
	Focus bool
	// Kept is what the failed form held, to fill it in again.
	Kept map[string]string
	Bulk *bulkResult
}

// doneKeys are the confirmations a redirect names (?done=key).
var doneKeys = map[string]string{
	"status":         "done.status",
	"hour-approved":  "done.hour_approved",
	"hour-rejected":  "done.hour_rejected",
	"phase-approved": "done.phase_approved",
	"phase-rejected": "done.phase_rejected",
	"comment":        "done.comment",
	"file":           "done.file",
	"link":           "done.link",
}

// spotPattern is the shape of a row or section id (?at=hour-12).
var spotPattern = regexp.MustCompile(`^[a-z]+(-[a-z]+)*(-[0-9]{1,19})?$`)

// queryNote reads the confirmation (or the refused upload) a redirect names.
func (h *handler) queryNote(c *fiber.Ctx) *note {
	l := h.locale(c)
	at := c.Query("at")
	if !spotPattern.MatchString(at) {
		at = "top"
	}
	if key, ok := doneKeys[c.Query("done")]; ok {
		return &note{At: at, Text: l.T(key)}
	}
	if c.Query("failed") == "too-large" {
		return &note{At: at, Text: l.T("error.too_large", "max", sizeText(l, h.deps.MaxUploadBytes)), Error: true}
	}
	return nil
}

// spotSections say where a note goes when its row is not on the page (it moved to another
// page, or left the list of what waits): to the row's section, else to the top.
var spotSections = []struct{ prefix, section string }{
	{"wait-", "waiting"}, {"hour-", "hours"}, {"phase-", "phases"}, {"file-", "files"}, {"upload-form", "files"},
	{"link-form", "files"}, {"comment-", "comments"}, {"status", "top"}, {"waiting", "top"}, {"hours", "top"},
	{"phases", "top"}, {"files", "top"}, {"comments", "top"}, {"billing", "top"},
}

// place puts n at its row when the page shows it, else at the nearest section shown.
func (d *caseData) place(n *note) *note {
	if n == nil {
		return nil
	}
	for !d.spots[n.At] {
		next := "top"
		for _, s := range spotSections {
			if strings.HasPrefix(n.At, s.prefix) {
				next = s.section
				break
			}
		}
		n.At = next
	}
	return n
}

// NoteAt returns the note when it belongs at id.
func (d *caseData) NoteAt(id string) *note {
	if d.Note != nil && d.Note.At == id {
		return d.Note
	}
	return nil
}

// Kept returns what field of the form at id held when it failed.
func (d *caseData) Kept(at, field string) string {
	if d.Note == nil || d.Note.At != at {
		return ""
	}
	return d.Note.Kept[field]
}

// Ticked reports whether pick ("ID:VERSION") was ticked in the waiting list's form when it
// was refused, to tick it again.
func (d *caseData) Ticked(pick string) bool {
	return slices.Contains(strings.Split(d.Kept("waiting", "hours"), ","), pick)
}

// formKey holds the formCtx of a form post, for showing its error in the case page.
const formKey = "form"

// formCtx is a form post of a case page: which case, where on the page, which kind of form,
// the reader's view and what the form held.
type formCtx struct {
	caseID int64
	at     string
	kind   string // hour, phase, status, comment, upload, link, bulk
	view   view
	kept   map[string]string
}

// inPage are the statuses of a form's error that the case page shows in words where the
// form was; any other (404, 401, 5xx) is its own page.
var inPage = map[int]bool{
	http.StatusBadRequest: true, http.StatusForbidden: true, http.StatusConflict: true,
	http.StatusPreconditionFailed: true, http.StatusRequestEntityTooLarge: true,
	http.StatusUnprocessableEntity: true, http.StatusTooManyRequests: true, http.StatusServiceUnavailable: true,
}

// formErrorPage shows err of the form f in the case page, with the status of the error;
// ok is false when the case page cannot be shown (the case went away meanwhile).
func (h *handler) formErrorPage(c *fiber.Ctx, f *formCtx, status int, err error) (ok bool) {
	l := h.locale(c)
	n := &note{At: f.at, Text: h.formErrorText(l, f.kind, err), Error: true, Focus: true, Kept: f.kept}
	if rerr := h.showCase(c, status, f.caseID, f.view, n); rerr != nil {
		return false
	}
	return true
}

// formErrorText says in the reader's words what went wrong with a form and what to do.
func (h *handler) formErrorText(l *i18n.Locale, kind string, err error) string {
	key := "error.form"
	switch apperr.CodeOf(err) {
	case apperr.Stale:
		key = "error.stale." + kind
	case apperr.Conflict:
		key = "error.conflict"
		if errors.Is(err, work.ErrInvoicedHour) {
			key = "error.invoiced"
		}
	case apperr.Forbidden:
		key = "error.forbidden." + kind
	case apperr.TooLarge:
		return l.T("error.too_large", "max", sizeText(l, h.deps.MaxUploadBytes))
	case apperr.Unavailable:
		key = "error.unavailable." + kind
	case apperr.RateLimited:
		key = "error.rate_limited"
	case apperr.Invalid:
		key = "error.invalid." + kind
		var ae *apperr.Error
		if errors.As(err, &ae) {
			if field, ok := strings.CutPrefix(ae.Pointer, "/data/attributes/"); ok && l.Has("error.invalid.field."+field) {
				key = "error.invalid.field." + field
			}
		}
	}
	if !l.Has(key) {
		key = key[:strings.LastIndex(key, ".")]
	}
	if !l.Has(key) {
		key = "error.form"
	}
	return l.T(key, "max", sizeText(l, h.deps.MaxUploadBytes))
}
