package portal

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/work"
)

// maxPicks bounds the hours one "approve selected" names; "approve all" has no bound but the
// hours that wait on the case.
const maxPicks = 5000

// bulkResult is what one bulk decision did.
type bulkResult struct {
	Decided int
	Skipped []skippedHour
	// SkippedText says how many were skipped.
	SkippedText string
	// Stopped says why the rest were not decided, when something failed half-way.
	Stopped string
}

// skippedHour is an hour a bulk decision left as it was, and why.
type skippedHour struct {
	ID     int64
	Hour   *work.Hour // as it is now; nil when it is no longer shown
	Name   string     // names the hour in the reader's words
	Reason string
}

// bulkApproveForm approves many hours of a case at once (EXT-2, EXT-6): those ticked
// ("which=selected", each hour=ID:VERSION as the page showed it) or all that wait
// ("which=all"). "All" means all the page showed as waiting, on every one of its pages: the
// form carries their snapshot (seen), and when the hours that wait now are not exactly
// those at those versions (one was added, changed or decided since), nothing is approved
// and the page says so with 412, showing what waits now. Each is decided through the one
// shared decision, work.Service.DecideHour, so a bulk approval is exactly a series of
// single ones; an hour changed meanwhile, invoiced or already decided is skipped and said
// so. The page is shown at once with the result at the list of what waits (reloading it
// would only skip what is decided).
func (h *handler) bulkApproveForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	v := startForm(c, id, "waiting", "bulk", nil)
	ctx, a, l := c.UserContext(), caller(c).Actor(), h.locale(c)
	waiting, err := h.work.WaitingVersions(ctx, a, id)
	if err != nil {
		return err
	}
	picks := waiting
	if httpx.FormValue(c, "which") == "all" {
		if work.SnapshotOf(waiting) != work.Snapshot(httpx.FormValue(c, "seen")) {
			return h.showCase(c, http.StatusPreconditionFailed, id, v, &note{At: "waiting", Focus: true, Error: true,
				Text: waitingChanged(l, len(waiting))})
		}
	} else if picks, err = formPicks(c); err != nil {
		return err
	}
	return h.showBulk(c, id, v, "bulk.approved", h.decideHours(ctx, a, l, id, picks, waiting, true, ""))
}

// bulkRejectForm rejects the ticked hours of a case at once, all for the one reason the
// form gives (EXT-2, EXT-6), each through work.Service.DecideHour with the version the page
// showed, skipping and saying what changed meanwhile, is invoiced or already decided, as
// bulkApproveForm does. There is no "reject all": a rejection is a choice made hour by hour.
// A blank reason is refused before anything is decided, in place, with the reason and the
// ticks kept.
func (h *handler) bulkRejectForm(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	reason := httpx.FormValue(c, "reason")
	v := startForm(c, id, "waiting", "bulk-reject", map[string]string{"reason": reason, "hours": ticked(c)})
	ctx, a, l := c.UserContext(), caller(c).Actor(), h.locale(c)
	waiting, err := h.work.WaitingVersions(ctx, a, id) // 404 or 403 before anything the form says
	if err != nil {
		return err
	}
	picks, err := formPicks(c)
	if err != nil {
		return err
	}
	if _, _, err := domain.Decision(false, reason); err != nil {
		return err
	}
	return h.showBulk(c, id, v, "bulk.rejected", h.decideHours(ctx, a, l, id, picks, waiting, false, reason))
}

// showBulk shows the case with what a bulk decision did at the list of what waits; done is
// the catalogue key of how many were decided.
func (h *handler) showBulk(c *fiber.Ctx, id int64, v view, done string, res *bulkResult) error {
	l := h.locale(c)
	res.SkippedText = l.N("bulk.skipped", int64(len(res.Skipped)))
	n := &note{At: "waiting", Focus: true, Bulk: res, Text: l.N(done, int64(res.Decided))}
	if res.Stopped != "" && res.Decided == 0 {
		n.Error = true
	}
	return h.showCase(c, http.StatusOK, id, v, n)
}

// waitingChanged says that the hours waiting changed since the page was opened, and how
// many wait now.
func waitingChanged(l *i18n.Locale, n int) string {
	if n == 0 {
		return l.T("bulk.changed.none")
	}
	return l.N("bulk.changed", int64(n))
}

// ticked is the ticked hours as the form sent them ("ID:VERSION,..."), kept to tick them
// again when the form is refused.
func ticked(c *fiber.Ctx) string {
	raw := c.Request().PostArgs().PeekMulti("hour")
	out := make([]string, 0, min(len(raw), maxPicks))
	for _, r := range raw[:min(len(raw), maxPicks)] {
		out = append(out, string(r))
	}
	return strings.Join(out, ",")
}

// formPicks reads the ticked hours: "ID:VERSION" each.
func formPicks(c *fiber.Ctx) ([]work.HourVersion, error) {
	raw := c.Request().PostArgs().PeekMulti("hour")
	if len(raw) == 0 {
		return nil, apperr.E(apperr.Invalid, "Tick the hours to decide.")
	}
	if len(raw) > maxPicks {
		return nil, apperr.E(apperr.Invalid, "At most %d hours at once.", maxPicks).AtPointer("/data/attributes/hour")
	}
	out := make([]work.HourVersion, 0, len(raw))
	for _, r := range raw {
		ids, vs, _ := strings.Cut(string(r), ":")
		id, err1 := strconv.ParseInt(ids, 10, 64)
		version, err2 := strconv.ParseInt(vs, 10, 64)
		if err1 != nil || err2 != nil || id <= 0 {
			return nil, apperr.E(apperr.Invalid, "The form names an hour it cannot have shown. Reload the page and try again.").
				AtPointer("/data/attributes/hour")
		}
		out = append(out, work.HourVersion{ID: id, Version: version})
	}
	return out, nil
}

// decideHours approves each pick, or rejects it for comment, through DecideHour with the
// version it names. A pick that no longer waits is looked at to say why; one that does is
// decided, and a refusal of the decision (changed meanwhile, invoiced) is said as well. An
// error that is not about the hour itself (the rights ended, the database went away) stops
// the rest.
func (h *handler) decideHours(ctx context.Context, a domain.Actor, l *i18n.Locale, caseID int64, picks, waiting []work.HourVersion,
	approve bool, comment string) *bulkResult {
	res := &bulkResult{}
	waits := make(map[int64]bool, len(waiting))
	for _, w := range waiting {
		waits[w.ID] = true
	}
	seen := make(map[int64]bool, len(picks))
	for _, p := range picks {
		if seen[p.ID] {
			continue
		}
		seen[p.ID] = true
		var err error
		if waits[p.ID] {
			_, err = h.work.DecideHour(ctx, a, p.ID, approve, comment, domain.Version(p.Version))
			if err == nil {
				res.Decided++
				continue
			}
		}
		switch {
		case err == nil: // it no longer waits
			res.Skipped = append(res.Skipped, h.skipped(ctx, a, l, caseID, p, nil))
		case apperr.CodeOf(err) == apperr.Stale, apperr.CodeOf(err) == apperr.Conflict, apperr.CodeOf(err) == apperr.NotFound:
			res.Skipped = append(res.Skipped, h.skipped(ctx, a, l, caseID, p, err))
		default:
			res.Stopped = h.formErrorText(l, "bulk", err)
			return res
		}
	}
	return res
}

// skipped says why pick was not decided, from the hour as it is now.
func (h *handler) skipped(ctx context.Context, a domain.Actor, l *i18n.Locale, caseID int64, p work.HourVersion, err error) skippedHour {
	out := skippedHour{ID: p.ID, Name: l.T("bulk.unknown_hour", "id", p.ID), Reason: l.T("bulk.skip.gone")}
	now, lerr := h.work.Hour(ctx, a, p.ID)
	if lerr != nil || now.CaseID != caseID {
		return out
	}
	out.Hour, out.Name = now, hourName(l, *now)
	switch {
	case now.InvoiceID != nil:
		out.Reason = l.T("bulk.skip.invoiced")
	case now.ApprovalStatus != domain.Pending:
		out.Reason = l.T("bulk.skip.decided", "status", l.Word("approval", now.ApprovalStatus))
	case now.Version != p.Version || apperr.CodeOf(err) == apperr.Stale:
		out.Reason = l.T("bulk.skip.changed")
	}
	return out
}
