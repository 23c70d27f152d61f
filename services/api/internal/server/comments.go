package server

import (
	"strconv"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

func commentResource(cm *cases.Comment) *jsonapi.Resource {
	id := strconv.FormatInt(cm.ID, 10)
	res := &jsonapi.Resource{Type: "comments", ID: id,
		Attributes: map[string]any{"body": cm.Body, "targetType": cm.TargetType, "targetId": strconv.FormatInt(cm.TargetID, 10),
			"version": cm.Version, "createdAt": cm.CreatedAt.UTC(), "updatedAt": nullableTime(cm.UpdatedAt)},
		Relationships: map[string]jsonapi.Relationship{
			"case":          toOne("comments", id, "case", "cases", cm.CaseID),
			"authorUser":    optRel("comments", id, "authorUser", "users", cm.AuthorUserID),
			"authorContact": optRel("comments", id, "authorContact", "contacts", cm.AuthorContactID),
		},
		Links: selfLink("comments", id)}
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

// edited is the version of a new comment: none.
func (b *commentBody) edited() *int64 { return nil }

// commentEdit is the body of PATCH /comments/:id: only the text changes.
type commentEdit commentBody

func (b *commentEdit) edited() *int64 { return b.Version }

func (b *commentEdit) input() (string, error) {
	if b.Body == nil {
		return "", nil
	}
	return *b.Body, nil
}

// commentKind is the comments type (pkg/cases).
func (s *Server) commentKind() kind {
	return kind{
		name:   "comments",
		list:   lister(s, s.cases.CommentList, commentResource),
		create: creator[commentBody]("comments", []string{"authorUser", "authorContact", "createdAt", "updatedAt", "version"}, s.cases.AddComment, commentResource),
		get:    getter(s, "comment", s.cases.Comment, commentResource, "case"),
		update: updater[commentEdit]("comments", "comment", []string{"targetType", "targetId", "case", "authorUser", "authorContact", "createdAt", "updatedAt"}, s.cases.UpdateComment, commentResource),
		remove: remover("comment", s.cases.DeleteComment),
		batch:  batchOf(s.cases.CommentsByID, commentResource),
	}
}
