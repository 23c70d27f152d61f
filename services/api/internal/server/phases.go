package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

func phaseResource(ph *cases.Phase) *jsonapi.Resource {
	id := strconv.FormatInt(ph.ID, 10)
	attrs := map[string]any{"name": ph.Name, "status": ph.Status, "startsOn": nullableDate(ph.StartsOn), "endsOn": nullableDate(ph.EndsOn),
		"approvalStatus": ph.ApprovalStatus, "approvalComment": ph.ApprovalComment, "approvedAt": nil, "version": ph.Version,
		"createdAt": ph.CreatedAt.UTC(), "updatedAt": ph.UpdatedAt.UTC()}
	if ph.ApprovedAt != nil {
		attrs["approvedAt"] = ph.ApprovedAt.UTC()
	}
	return &jsonapi.Resource{Type: "phases", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{
			"case":              toOne("phases", id, "case", "cases", ph.CaseID),
			"approvedByUser":    optRel("phases", id, "approvedByUser", "users", ph.ApprovedByUserID),
			"approvedByContact": optRel("phases", id, "approvedByContact", "contacts", ph.ApprovedByContactID),
		},
		Links: &jsonapi.Links{Self: apiBase + "/phases/" + id}}
}

// expectBound is expect for a change whose body may have failed to bind: that error is
// reported only once the object is found visible and actionable (domain.Expect.Err), so that
// an invisible object stays a plain 404 and a refused one a 403, whatever the body.
func expectBound(c *fiber.Ctx, bindErr error, attr *int64) domain.Expect {
	if bindErr != nil {
		return domain.Expect{Err: bindErr}
	}
	return expect(c, attr)
}

type phaseBody struct {
	Name     *string                       `jsonapi:"name"`
	Status   *string                       `jsonapi:"status"`
	StartsOn jsonapi.Nullable[string]      `jsonapi:"startsOn"`
	EndsOn   jsonapi.Nullable[string]      `jsonapi:"endsOn"`
	Version  *int64                        `jsonapi:"version"`
	Case     *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
}

// serverOwnedPhaseFields: a phase's approval changes only by a decision.
var serverOwnedPhaseFields = []string{"approvalStatus", "approvalComment", "approvedAt", "approvedByUser", "approvedByContact", "createdAt", "updatedAt"}

func (b *phaseBody) input() cases.PhaseInput {
	return cases.PhaseInput{Name: b.Name, Status: b.Status, StartsOn: b.StartsOn, EndsOn: b.EndsOn}
}

// createPhase answers POST /api/v1/phases (cases.Service.CreatePhase).
func (s *Server) createPhase(c *fiber.Ctx) error {
	var req phaseBody
	if err := bind(c, "phases", "", &req, append(serverOwnedPhaseFields, "version")...); err != nil {
		return err
	}
	in := req.input()
	var err error
	if in.CaseID, err = relRequired(req.Case, "cases", "/data/relationships/case"); err != nil {
		return err
	}
	ph, err := s.cases.CreatePhase(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, phaseResource(ph))
}

// updatePhase answers PATCH /api/v1/phases/:id (cases.Service.UpdatePhase).
func (s *Server) updatePhase(c *fiber.Ctx) error {
	id, err := pathID(c, "phase")
	if err != nil {
		return err
	}
	var req phaseBody
	bindErr := bind(c, "phases", strconv.FormatInt(id, 10), &req, append(serverOwnedPhaseFields, "case")...)
	ph, err := s.cases.UpdatePhase(c.UserContext(), actorOf(c), id, req.input(), expectBound(c, bindErr, req.Version))
	if err != nil {
		return err
	}
	tagVersion(c, ph.Version)
	return writeOne(c, fiber.StatusOK, phaseResource(ph))
}

// phaseKind is the phases type (pkg/cases).
func (s *Server) phaseKind() kind {
	return kind{name: "phases", list: lister(s, s.cases.PhaseList, phaseResource), create: s.createPhase, get: getter(s, "phase", s.cases.Phase, phaseResource), update: s.updatePhase, remove: remover("phase", s.cases.DeletePhase),
		batch: batchOf(s.cases.PhasesByID, phaseResource)}
}
