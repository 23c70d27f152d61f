package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

func commentResource(cm *cases.Comment) *jsonapi.Resource {
	id := strconv.FormatInt(cm.ID, 10)
	res := &jsonapi.Resource{Type: "comments", ID: id,
		Attributes: map[string]any{"body": cm.Body, "targetType": cm.TargetType, "targetId": strconv.FormatInt(cm.TargetID, 10),
			"version": cm.Version, "createdAt": cm.CreatedAt.UTC(), "updatedAt": nil},
		Relationships: map[string]jsonapi.Relationship{
			"case":          toOne("comments", id, "case", "cases", cm.CaseID),
			"authorUser":    optRel("comments", id, "authorUser", "users", cm.AuthorUserID),
			"authorContact": optRel("comments", id, "authorContact", "contacts", cm.AuthorContactID),
		},
		Links: &jsonapi.Links{Self: apiBase + "/comments/" + id}}
	if cm.UpdatedAt != nil {
		res.Attributes["updatedAt"] = cm.UpdatedAt.UTC()
	}
	return res
}

type commentBody struct {
	Body       *string                       `jsonapi:"body"`
	Version    *int64                        `jsonapi:"version"`
	TargetType *string                       `jsonapi:"targetType"`
	TargetID   *string                       `jsonapi:"targetId"`
	Case       *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
}

// input converts a new comment to the service's input; the target defaults to the case.
func (b *commentBody) input() (in cases.CommentInput, err error) {
	if b.Case == nil || b.Body == nil {
		return in, apperr.E(apperr.Invalid, "body and the case relationship are required").AtPointer("/data")
	}
	caseID, err := relRequired(b.Case, "cases", "/data/relationships/case")
	if err != nil {
		return in, err
	}
	in = cases.CommentInput{CaseID: *caseID, TargetType: cases.TargetCase, Body: *b.Body}
	if b.TargetType != nil {
		in.TargetType = *b.TargetType
	}
	if b.TargetID != nil {
		if in.TargetID, err = strconv.ParseInt(*b.TargetID, 10, 64); err != nil {
			return in, apperr.E(apperr.Invalid, "targetId must be an id").AtPointer("/data/attributes/targetId")
		}
	}
	return in, nil
}

// createComment answers POST /api/v1/comments (cases.Service.AddComment, the same action as
// the portal's): whoever may view a case comments on it, its phases and its files.
func (s *Server) createComment(c *fiber.Ctx) error {
	var req commentBody
	if err := bind(c, "comments", "", &req, "authorUser", "authorContact", "createdAt", "updatedAt", "version"); err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	cm, err := s.cases.AddComment(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, commentResource(cm))
}

// updateComment answers PATCH /api/v1/comments/:id (cases.Service.UpdateComment): its author
// only.
func (s *Server) updateComment(c *fiber.Ctx) error {
	id, err := pathID(c, "comment")
	if err != nil {
		return err
	}
	var req commentBody
	bindErr := bind(c, "comments", strconv.FormatInt(id, 10), &req, "targetType", "targetId", "case", "authorUser",
		"authorContact", "createdAt", "updatedAt")
	body := ""
	if req.Body != nil {
		body = *req.Body
	}
	cm, err := s.cases.UpdateComment(c.UserContext(), actorOf(c), id, body, expectBound(c, bindErr, req.Version))
	if err != nil {
		return err
	}
	tagVersion(c, cm.Version)
	return writeOne(c, fiber.StatusOK, commentResource(cm))
}

// commentKind is the comments type (pkg/cases).
func (s *Server) commentKind() kind {
	return kind{name: "comments", list: lister(s, s.cases.CommentList, commentResource), create: s.createComment, get: getter(s, "comment", s.cases.Comment, commentResource, "case"), update: s.updateComment,
		remove: remover("comment", s.cases.DeleteComment), batch: batchOf(s.cases.CommentsByID, commentResource)}
}
