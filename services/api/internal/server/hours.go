package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/work"
)

func optRel(typ, id, name, target string, ref *int64) jsonapi.Relationship {
	if ref == nil {
		return jsonapi.Relationship{Data: jsonapi.ToOneNull(), Links: jsonapi.RelationshipLinks(apiBase, typ, id, name)}
	}
	return toOne(typ, id, name, target, *ref)
}

// hourResource renders an entry, masked as its decision says (CASE-5..8).
func hourResource(h *work.Hour) *jsonapi.Resource {
	id := strconv.FormatInt(h.ID, 10)
	attrs := map[string]any{"workDate": string(h.WorkDate), "minutes": h.Minutes, "description": h.Description,
		"billable": h.Billable, "approvalStatus": h.ApprovalStatus, "rejectComment": h.RejectComment,
		"unitPrice": h.UnitPrice, "unitCost": h.UnitCost, "price": h.Price(), "cost": h.Cost(),
		"invoiced": h.InvoiceID != nil, "version": h.Version, "createdAt": h.CreatedAt.UTC(), "updatedAt": h.UpdatedAt.UTC(),
		"approvedAt": nullableTime(h.ApprovedAt)}
	res := &jsonapi.Resource{Type: "work-hours", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{
			"case":              toOne("work-hours", id, "case", "cases", h.CaseID),
			"user":              toOne("work-hours", id, "user", "users", h.UserID),
			"phase":             optRel("work-hours", id, "phase", "phases", h.PhaseID),
			"approvedByUser":    optRel("work-hours", id, "approvedByUser", "users", h.ApprovedByUserID),
			"approvedByContact": optRel("work-hours", id, "approvedByContact", "contacts", h.ApprovedByContactID),
		},
		Links: selfLink("work-hours", id)}
	res.Hide(h.Decision.Hidden.Fields()...)
	return res
}

type hourBody struct {
	WorkDate    *string                       `jsonapi:"workDate"`
	Minutes     *int                          `jsonapi:"minutes"`
	Description *string                       `jsonapi:"description"`
	Billable    *bool                         `jsonapi:"billable"`
	Version     *int64                        `jsonapi:"version"`
	Case        *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
	Phase       *jsonapi.IncomingRelationship `jsonapi:"phase,rel"`
	User        *jsonapi.IncomingRelationship `jsonapi:"user,rel"`
}

// serverOwnedHourFields: prices come from the user's rates, approval from the approval
// actions, invoicing from invoices.
var serverOwnedHourFields = []string{"unitPrice", "unitCost", "price", "cost", "approvalStatus", "rejectComment",
	"approvedAt", "invoiced", "approvedByUser", "approvedByContact", "createdAt", "updatedAt"}

// input converts the request to the service's input.
func (b *hourBody) input() (in work.HourInput, err error) {
	in = work.HourInput{WorkDate: b.WorkDate, Minutes: b.Minutes, Description: b.Description, Billable: b.Billable}
	if in.CaseID, err = relRequired(b.Case, "cases", "/data/relationships/case"); err != nil {
		return in, err
	}
	if in.UserID, err = relRequired(b.User, "users", "/data/relationships/user"); err != nil {
		return in, err
	}
	in.PhaseID, err = relRef(b.Phase, "phases", "/data/relationships/phase")
	return in, err
}

func (b *hourBody) edited() *int64 { return b.Version }

type decisionBody struct {
	Comment *string `jsonapi:"comment"`
}

// decisionComment reads the optional comment of an approve or reject request; the service
// trims it and requires it for a rejection (domain.Decision).
func decisionComment(c *fiber.Ctx) (string, error) {
	var req decisionBody
	if len(c.Body()) > 0 {
		if err := bind(c, "approval-decisions", "", &req); err != nil {
			return "", err
		}
	}
	if req.Comment == nil {
		return "", nil
	}
	return *req.Comment, nil
}

// decideHour answers POST /api/v1/work-hours/:id/approve and …/reject
// (work.Service.DecideHour, the same action as the portal's).
func (s *Server) decideHour(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := pathID(c, "work hour")
		if err != nil {
			return err
		}
		comment, err := decisionComment(c)
		if err != nil {
			return err
		}
		h, err := s.work.DecideHour(c.UserContext(), actorOf(c), id, approve, comment, domain.AnyVersion)
		if err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, hourResource(h))
	}
}

// hourKind is the work-hours type (pkg/work).
func (s *Server) hourKind() kind {
	return kind{
		name:    "work-hours",
		list:    lister(s, s.work.HourList, hourResource),
		create:  creator[hourBody]("work-hours", append(serverOwnedHourFields, "version"), s.work.CreateHour, hourResource),
		get:     getter(s, "work hour", s.work.Hour, hourResource, "case", "user", "phase"),
		update:  updater[hourBody]("work-hours", "work hour", append(serverOwnedHourFields, "case", "user"), s.work.UpdateHour, hourResource),
		remove:  remover("work hour", s.work.DeleteHour),
		batch:   batchOf(s.work.HoursByID, hourResource),
		explain: s.work.ExplainHour,
	}
}
