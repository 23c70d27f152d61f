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
		id, err := pathID(c, "work hour")
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		seen, err := h.work.Hour(ctx, caller(c).Actor(), id)
		if err != nil {
			return err // an invisible hour is 404 before the body is looked at
		}
		if err := seen.Grant.Check(sharing.ApproveHours, ""); err != nil {
			return err // a missing right is 403 before the body is looked at
		}
		if !approve {
			if err := requireBody(c, "A rejection needs a comment."); err != nil {
				return err
			}
		}
		comment, err := readDecision(c, !approve)
		if err != nil {
			return err
		}
		version, err := optionalVersion(c)
		if err != nil {
			return err
		}
		v, err := h.work.DecideHour(ctx, caller(c).Actor(), id, approve, comment, domain.Expect{Version: version})
		if err != nil {
			return err
		}
		return writeOne(c, http.StatusOK, jsonapi.Query{}, hourResource(v))
	}
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
