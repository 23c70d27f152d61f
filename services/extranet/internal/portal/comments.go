package portal

import (
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// listComments answers GET /portal/v1/cases/:id/comments: the Comment right (EXT-2), on
// targets in shared sections only (EXT-3).
func (h *handler) listComments(c *fiber.Ctx) error {
	return caseParts(c, h.svc.Comments, commentResource)
}

// getComment answers GET /portal/v1/comments/:id (404 unless visible, EXT-8).
func (h *handler) getComment(c *fiber.Ctx) error {
	return casePart(c, "comment", h.svc.Comment, commentResource)
}

type commentRequest struct {
	Body   *string                       `jsonapi:"body"`
	Target *jsonapi.IncomingRelationship `jsonapi:"target,rel"`
}

// commentTargets maps the JSON:API type of a target to the stored target type.
var commentTargets = map[string]string{"cases": extranet.TargetCase, "phases": extranet.TargetPhase, "files": extranet.TargetFile}

// createComment answers POST /portal/v1/cases/:id/comments (EXT-2, EXT-7): a body, and a
// target relationship to the case (the default), one of its phases or one of its files.
func (h *handler) createComment(c *fiber.Ctx) error {
	caseID, err := pathID(c, "case")
	if err != nil {
		return err
	}
	if _, err := h.svc.Case(c.UserContext(), caller(c), caseID); err != nil {
		return err // an unshared case is 404 before the body is looked at
	}
	in, err := jsonapi.ParseResource(c.Body(), "comments", "")
	if err != nil {
		return err
	}
	var req commentRequest
	if err := in.Bind(&req, jsonapi.BindOptions{Forbidden: []string{"authorName", "authorKind", "mine", "createdAt", "case"}}); err != nil {
		return err
	}
	nc := extranet.NewComment{CaseID: caseID, TargetType: extranet.TargetCase}
	if req.Body != nil {
		nc.Body = *req.Body
	}
	if req.Target != nil {
		if req.Target.Many || len(req.Target.Data) != 1 {
			return apperr.E(apperr.Invalid, "target is one case, phase or file.").AtPointer("/data/relationships/target/data")
		}
		t := req.Target.Data[0]
		kind, ok := commentTargets[t.Type]
		if !ok {
			return apperr.E(apperr.Invalid, "target is a case, a phase or a file.").AtPointer("/data/relationships/target/data/type")
		}
		id, err := strconv.ParseInt(t.ID, 10, 64)
		if err != nil || id <= 0 {
			return apperr.E(apperr.NotFound, "No %s %q.", kind, t.ID)
		}
		nc.TargetType, nc.TargetID = kind, id
	}
	v, err := h.svc.AddComment(c.UserContext(), caller(c), nc)
	if err != nil {
		return err
	}
	return writeOne(c, http.StatusCreated, jsonapi.Query{}, commentResource(v))
}
