package server

import (
	"strconv"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

func phaseResource(ph *cases.Phase) *jsonapi.Resource {
	id := strconv.FormatInt(ph.ID, 10)
	attrs := map[string]any{"name": ph.Name, "status": ph.Status, "startsOn": nullableDate(ph.StartsOn), "endsOn": nullableDate(ph.EndsOn),
		"approvalStatus": ph.ApprovalStatus, "approvalComment": ph.ApprovalComment, "approvedAt": nullableTime(ph.ApprovedAt), "version": ph.Version,
		"createdAt": ph.CreatedAt.UTC(), "updatedAt": ph.UpdatedAt.UTC()}
	return &jsonapi.Resource{Type: "phases", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{
			"case":              toOne("phases", id, "case", "cases", ph.CaseID),
			"approvedByUser":    optRel("phases", id, "approvedByUser", "users", ph.ApprovedByUserID),
			"approvedByContact": optRel("phases", id, "approvedByContact", "contacts", ph.ApprovedByContactID),
		},
		Links: selfLink("phases", id)}
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

func (b *phaseBody) input() (in cases.PhaseInput, err error) {
	in = cases.PhaseInput{Name: b.Name, Status: b.Status, StartsOn: b.StartsOn, EndsOn: b.EndsOn}
	in.CaseID, err = relRequired(b.Case, "cases", "/data/relationships/case")
	return in, err
}

func (b *phaseBody) edited() *int64 { return b.Version }

// phaseKind is the phases type (pkg/cases).
func (s *Server) phaseKind() kind {
	return kind{
		name:   "phases",
		list:   lister(s, s.cases.PhaseList, phaseResource),
		create: creator[phaseBody]("phases", append(serverOwnedPhaseFields, "version"), s.cases.CreatePhase, phaseResource),
		get:    getter(s, "phase", s.cases.Phase, phaseResource),
		update: updater[phaseBody]("phases", "phase", append(serverOwnedPhaseFields, "case"), s.cases.UpdatePhase, phaseResource),
		remove: remover("phase", s.cases.DeletePhase),
		batch:  batchOf(s.cases.PhasesByID, phaseResource),
	}
}
