package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/calendar"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/rights"
)

// activityResource renders an activity at its visibility: the label and the time always
// (ACT-1), the name from VisibleName (ACT-2), everything from VisibleFull.
func activityResource(a *calendar.Activity) *jsonapi.Resource {
	id := idString(a.ID)
	v := a.Visibility
	attrs := map[string]any{"category": a.Category, "label": calendar.Labels[a.Category], "startsAt": a.StartsAt.UTC(),
		"endsAt": a.EndsAt.UTC(), "visibility": []string{"label", "name", "full"}[v]}
	rels := map[string]jsonapi.Relationship{"owner": toOne("activities", id, "owner", "users", a.OwnerID)}
	if v >= rights.VisibleName {
		attrs["name"] = a.Name
	}
	if v == rights.VisibleFull {
		attrs["description"], attrs["version"] = a.Description, a.Version
		rels["case"] = optRel("activities", id, "case", "cases", a.CaseID)
		rels["account"] = optRel("activities", id, "account", "accounts", a.AccountID)
		ids := make([]string, 0, len(a.Participants))
		for _, p := range a.Participants {
			ids = append(ids, idString(p))
		}
		rels["participants"] = jsonapi.Relationship{Data: jsonapi.ToMany(jsonapi.Identifiers("users", ids...))}
	}
	return &jsonapi.Resource{Type: "activities", ID: id, Attributes: attrs, Relationships: rels,
		Links: selfLink("activities", id)}
}

type activityBody struct {
	Category     *string                       `jsonapi:"category"`
	Name         *string                       `jsonapi:"name"`
	Description  *string                       `jsonapi:"description"`
	StartsAt     *time.Time                    `jsonapi:"startsAt"`
	EndsAt       *time.Time                    `jsonapi:"endsAt"`
	Version      *int64                        `jsonapi:"version"`
	Owner        *jsonapi.IncomingRelationship `jsonapi:"owner,rel"`
	Case         *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
	Account      *jsonapi.IncomingRelationship `jsonapi:"account,rel"`
	Participants *jsonapi.IncomingRelationship `jsonapi:"participants,rel"`
}

// input converts the request to the service's input.
func (b *activityBody) input() (in calendar.ActivityInput, err error) {
	in = calendar.ActivityInput{Category: b.Category, Name: b.Name, Description: b.Description, StartsAt: b.StartsAt, EndsAt: b.EndsAt}
	if b.Owner != nil {
		id, null, err := relID(b.Owner, "users", "/data/relationships/owner")
		if err != nil || null {
			return in, apperr.E(apperr.Invalid, "owner must be a user").AtPointer("/data/relationships/owner")
		}
		in.OwnerID = &id
	}
	if in.CaseID, err = relRef(b.Case, "cases", "/data/relationships/case"); err != nil {
		return in, err
	}
	if in.AccountID, err = relRef(b.Account, "accounts", "/data/relationships/account"); err != nil {
		return in, err
	}
	if b.Participants != nil {
		ids, err := userIDs(b.Participants)
		if err != nil {
			return in, err
		}
		in.Participants = &ids
	}
	return in, nil
}

func (b *activityBody) edited() *int64 { return b.Version }

// userIDs reads a to-many relationship of users. An id that is not a number names no user
// (0), which the service refuses like any other unknown user.
func userIDs(rel *jsonapi.IncomingRelationship) ([]int64, error) {
	raw, err := rel.ToMany("users")
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(raw))
	for i, r := range raw {
		ids[i], _ = strconv.ParseInt(r, 10, 64)
	}
	return ids, nil
}

// sentUsers reads the body of a change to a to-many relationship of users (userIDs).
func sentUsers(c *fiber.Ctx) ([]int64, error) {
	rel, err := jsonapi.ParseRelationship(c.Body())
	if err != nil {
		return nil, err
	}
	return userIDs(rel)
}

// leaveActivity answers DELETE /api/v1/activities/:id/relationships/participants with the
// caller alone (calendar.Service.LeaveActivity, ACT-3).
func (s *Server) leaveActivity(c *fiber.Ctx) error {
	id, err := pathID(c, "activity")
	if err != nil {
		return err
	}
	users, err := sentUsers(c)
	if err != nil {
		return err
	}
	if err := s.calendar.LeaveActivity(c.UserContext(), actorOf(c), id, users); err != nil {
		return err
	}
	return jsonapi.NoContent(c)
}

// activityKind is the activities type (pkg/calendar).
func (s *Server) activityKind() kind {
	return kind{
		name:   "activities",
		list:   lister(s, s.calendar.ActivityList, activityResource),
		create: creator[activityBody]("activities", []string{"label", "visibility", "version"}, s.calendar.CreateActivity, activityResource),
		get:    getter(s, "activity", s.calendar.Activity, activityResource),
		update: updater[activityBody]("activities", "activity", []string{"label", "visibility", "owner"}, s.calendar.UpdateActivity, activityResource),
		remove: remover("activity", s.calendar.DeleteActivity),
		batch:  batchOf(s.calendar.ActivitiesByID, activityResource),
	}
}
