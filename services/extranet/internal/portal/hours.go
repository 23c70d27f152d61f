package portal

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/sharing"
	"github.com/caseroom/caseroom/pkg/work"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// listHours answers GET /portal/v1/cases/:id/work-hours: the Other section (EXT-3).
func (h *handler) listHours(c *fiber.Ctx) error {
	return caseParts(c, h.caseHours, hourResource)
}

// getHour answers GET /portal/v1/work-hours/:id (404 unless visible, EXT-8).
func (h *handler) getHour(c *fiber.Ctx) error {
	return casePart(c, "work hour", h.hour, hourResource)
}

// decideHour answers POST /portal/v1/work-hours/:id/approve and …/reject (EXT-2, EXT-6): the
// Approve right; a rejection needs a comment. If-Match, when sent, must name the version.
func (h *handler) decideHour(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		seen, err := h.pathHour(c)
		if err != nil {
			return err // an invisible hour is 404 before the body is looked at
		}
		comment, expect, err := readDecisionAction(c, seen.Grant, sharing.ApproveHours, approve, approvalTakesNoComment)
		if err != nil {
			return err
		}
		v, err := h.work.DecideHour(c.UserContext(), caller(c).Actor(), seen.ID, approve, comment, expect)
		if err != nil {
			return err
		}
		return writeOne(c, http.StatusOK, jsonapi.Query{}, hourResource(v))
	}
}

// pathHour returns the work hour the path names as the caller sees it (404 unless visible,
// EXT-8).
func (h *handler) pathHour(c *fiber.Ctx) (*work.Hour, error) {
	id, err := pathID(c, "work hour")
	if err != nil {
		return nil, err
	}
	return h.hour(c.UserContext(), caller(c), id)
}

func (h *handler) caseHours(ctx context.Context, who *extranet.Contact, caseID int64, p domain.Window) ([]*work.Hour, int64, error) {
	rows, n, err := h.work.CaseHours(ctx, who.Actor(), caseID, p)
	out := make([]*work.Hour, len(rows))
	for i := range rows {
		out[i] = &rows[i]
	}
	return out, n, err
}

func (h *handler) hour(ctx context.Context, who *extranet.Contact, id int64) (*work.Hour, error) {
	return h.work.Hour(ctx, who.Actor(), id)
}
