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
		seen, err := h.pathPhase(c)
		if err != nil {
			return err // an invisible phase is 404 before the body is looked at
		}
		comment, expect, err := readDecisionAction(c, seen.Grant, sharing.ApprovePhases, approve, approvalTakesComment)
		if err != nil {
			return err
		}
		v, err := h.cases.DecidePhase(c.UserContext(), caller(c).Actor(), seen.ID, approve, comment, expect)
		if err != nil {
			return err
		}
		return writeOne(c, http.StatusOK, jsonapi.Query{}, phaseResource(v))
	}
}

// pathPhase returns the phase the path names as the caller sees it (404 unless visible,
// EXT-8).
func (h *handler) pathPhase(c *fiber.Ctx) (*cases.Phase, error) {
	id, err := pathID(c, "phase")
	if err != nil {
		return nil, err
	}
	return h.phase(c.UserContext(), caller(c), id)
}

func (h *handler) casePhases(ctx context.Context, who *extranet.Contact, caseID int64, p domain.Window) ([]*cases.Phase, int64, error) {
	return h.cases.CasePhases(ctx, who.Actor(), caseID, p)
}

func (h *handler) phase(ctx context.Context, who *extranet.Contact, id int64) (*cases.Phase, error) {
	return h.cases.Phase(ctx, who.Actor(), id)
}
