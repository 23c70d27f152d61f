package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/work"
)

func travelResource(t *work.Travel) *jsonapi.Resource {
	id := strconv.FormatInt(t.ID, 10)
	attrs := map[string]any{"travelDate": string(t.TravelDate), "description": t.Description, "amount": t.Amount,
		"status": t.Status, "approvedAt": nullableTime(t.ApprovedAt), "version": t.Version, "createdAt": t.CreatedAt.UTC(), "updatedAt": t.UpdatedAt.UTC()}
	return &jsonapi.Resource{Type: "travel-reimbursements", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{
			"user":           toOne("travel-reimbursements", id, "user", "users", t.UserID),
			"case":           optRel("travel-reimbursements", id, "case", "cases", t.CaseID),
			"approvedByUser": optRel("travel-reimbursements", id, "approvedByUser", "users", t.ApprovedByUserID),
		},
		Links: selfLink("travel-reimbursements", id)}
}

type travelBody struct {
	TravelDate  *string                       `jsonapi:"travelDate"`
	Description *string                       `jsonapi:"description"`
	Amount      *int64                        `jsonapi:"amount"`
	Version     *int64                        `jsonapi:"version"`
	Case        *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
}

// serverOwnedTravelFields: the claimant is the caller, the status comes from the approval
// actions.
var serverOwnedTravelFields = []string{"status", "approvedAt", "approvedByUser", "user", "createdAt", "updatedAt"}

// input converts the request to the service's input.
func (b *travelBody) input() (in work.TravelInput, err error) {
	in = work.TravelInput{TravelDate: b.TravelDate, Description: b.Description, Amount: b.Amount}
	in.CaseID, err = relRequired(b.Case, "cases", "/data/relationships/case")
	return in, err
}

func (b *travelBody) edited() *int64 { return b.Version }

// decideTravel answers POST …/approve and …/reject (work.Service.DecideTravel).
func (s *Server) decideTravel(approve bool) fiber.Handler {
	return acting("travel reimbursement", fiber.StatusOK, func(ctx context.Context, a domain.Actor, id int64) (*work.Travel, error) {
		return s.work.DecideTravel(ctx, a, id, approve)
	}, travelResource)
}

// travelKind is the travel-reimbursements type (pkg/work).
func (s *Server) travelKind() kind {
	return kind{
		name:   "travel-reimbursements",
		list:   lister(s, s.work.TravelList, travelResource),
		create: creator[travelBody]("travel-reimbursements", append(serverOwnedTravelFields, "version"), s.work.CreateTravel, travelResource),
		get:    getter(s, "travel reimbursement", s.work.Travel, travelResource),
		update: updater[travelBody]("travel-reimbursements", "travel reimbursement", append(serverOwnedTravelFields, "case"), s.work.UpdateTravel, travelResource),
		remove: remover("travel reimbursement", s.work.DeleteTravel),
		batch:  batchOf(s.work.TravelByID, travelResource),
	}
}
