package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// listPhases answers GET /portal/v1/cases/:id/phases: the Phases section (EXT-3).
func (h *handler) listPhases(c *fiber.Ctx) error {
	return caseParts(c, h.svc.Phases, phaseResource)
}

// getPhase answers GET /portal/v1/phases/:id (404 unless visible, EXT-8).
func (h *handler) getPhase(c *fiber.Ctx) error {
	return casePart(c, "phase", h.svc.Phase, phaseResource)
}

// decidePhase answers POST /portal/v1/phases/:id/approve and …/reject (EXT-2, EXT-6): the
// Approve right; a rejection needs a comment, an approval may have one.
func (h *handler) decidePhase(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "phase")
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		seen, err := h.svc.Phase(ctx, caller(c), id)
		if err != nil {
			return err
		}
		if err := seen.Grant.Check(extranet.ApprovePhases, ""); err != nil {
			return err // a missing right is 403 before the body is looked at
		}
		if !approve {
			if err := requireBody(c, "A rejection needs a comment."); err != nil {
				return err
			}
		}
		comment, err := readDecision(c, true)
		if err != nil {
			return err
		}
		version, err := optionalVersion(c)
		if err != nil {
			return err
		}
		v, err := h.svc.DecidePhase(ctx, caller(c), id, approve, comment, version)
		if err != nil {
			return err
		}
		return writeOne(c, http.StatusOK, jsonapi.Query{}, phaseResource(v))
	}
}
