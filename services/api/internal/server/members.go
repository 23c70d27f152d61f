package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
)

func membersDoc(caseID int64, ids []int64) jsonapi.Document {
	idents := make([]jsonapi.Identifier, len(ids))
	for i, id := range ids {
		idents[i] = jsonapi.Identifier{Type: "users", ID: strconv.FormatInt(id, 10)}
	}
	cid := strconv.FormatInt(caseID, 10)
	return jsonapi.Document{Data: jsonapi.ToMany(idents).Data(), Links: jsonapi.RelationshipLinks(apiBase, "cases", cid, "members")}
}

// getMembers answers GET /api/v1/cases/:id/relationships/members (cases.Service.Members).
func (s *Server) getMembers(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	ids, err := s.cases.Members(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, membersDoc(id, ids))
}

// changeMembers answers POST (add: cases.Service.AddMembers, which is joining for oneself)
// and DELETE (remove: cases.Service.RemoveMembers, which is leaving for oneself) on the
// members relationship.
func (s *Server) changeMembers(add bool) fiber.Handler {
	change := s.cases.RemoveMembers
	if add {
		change = s.cases.AddMembers
	}
	return func(c *fiber.Ctx) error {
		users, err := sentUsers(c)
		if err != nil {
			return err
		}
		id, err := pathID(c, "case")
		if err != nil {
			return err
		}
		ids, err := change(c.UserContext(), actorOf(c), id, users)
		if err != nil {
			return err
		}
		return jsonapi.WriteDocument(c, fiber.StatusOK, membersDoc(id, ids))
	}
}
