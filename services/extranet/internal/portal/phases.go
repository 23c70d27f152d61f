package portal

import (
	"context"
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/sharing"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// listPhases answers GET /portal/v1/cases/:id/phases: the Phases section (EXT-3).
func (h *handler) listPhases(c *fiber.Ctx) error {
	return caseParts(c, h.casePhases, phaseResource)
}

// getPhase answers GET /portal/v1/phases/:id (404 unless visible, EXT-8).
func (h *handler) getPhase(c *fiber.Ctx) error {
	return casePart(c, "phase", h.phase, phaseResource)
}

// decidePhase answers POST /portal/v1/phases/:id/approve and …/reject (EXT-2, EXT-6;
// cases.Service.DecidePhase): the Approve right; a rejection needs a comment, an approval may
// have one. If-Match, when sent, must name the version.
func (h *handler) decidePhase(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "phase")
		if err != nil {
			return err
		}
		ctx, a := c.UserContext(), caller(c).Actor()
		seen, err := h.cases.Phase(ctx, a, id)
		if err != nil {
			return err // an invisible phase is 404 before the body is looked at
		}
		if err := seen.Grant.Check(sharing.ApprovePhases, ""); err != nil {
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
		v, err := h.cases.DecidePhase(ctx, a, id, approve, comment, domain.Expect{Version: version})
		if err != nil {
			return err
		}
		return writeOne(c, http.StatusOK, jsonapi.Query{}, phaseResource(v))
	}
}

func (h *handler) casePhases(ctx context.Context, who *extranet.Contact, caseID int64, p domain.Window) ([]*cases.Phase, int64, error) {
	return h.cases.CasePhases(ctx, who.Actor(), caseID, p)
}

func (h *handler) phase(ctx context.Context, who *extranet.Contact, id int64) (*cases.Phase, error) {
	return h.cases.Phase(ctx, who.Actor(), id)
}
