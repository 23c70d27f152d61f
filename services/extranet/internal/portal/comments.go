package portal

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// listComments answers GET /portal/v1/cases/:id/comments: the Comment right (EXT-2), on
// targets in shared sections only (EXT-3).
func (h *handler) listComments(c *fiber.Ctx) error {
	return caseParts(c, h.caseComments, commentResource)
}

// getComment answers GET /portal/v1/comments/:id (404 unless visible, EXT-8).
func (h *handler) getComment(c *fiber.Ctx) error {
	return casePart(c, "comment", h.comment, commentResource)
}

type commentRequest struct {
	Body   *string                       `jsonapi:"body"`
	Target *jsonapi.IncomingRelationship `jsonapi:"target,rel"`
}

// commentTargets maps the JSON:API type of a target to the stored target type.
var commentTargets = map[string]string{"cases": cases.TargetCase, "phases": cases.TargetPhase, "files": cases.TargetFile}

// createComment answers POST /portal/v1/cases/:id/comments (EXT-2, EXT-7;
// cases.Service.AddComment, the same action as the API's): a body, and a target relationship
// to the case (the default), one of its phases or one of its files.
func (h *handler) createComment(c *fiber.Ctx) error {
	caseID, err := pathID(c, "case")
	if err != nil {
		return err
	}
	if _, err := h.cases.SharedCase(c.UserContext(), caller(c).Actor(), caseID); err != nil {
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
	nc, err := req.input(caseID)
	if err != nil {
		return err
	}
	v, err := h.cases.AddComment(c.UserContext(), caller(c).Actor(), nc)
	if err != nil {
		return err
	}
	return writeOne(c, http.StatusCreated, jsonapi.Query{}, commentResource(v))
}

// input converts the request to the service's input.
func (r *commentRequest) input(caseID int64) (cases.CommentInput, error) {
	nc := cases.CommentInput{CaseID: caseID, TargetType: cases.TargetCase}
	if r.Body != nil {
		nc.Body = *r.Body
	}
	if r.Target == nil {
		return nc, nil
	}
	if r.Target.Many || len(r.Target.Data) != 1 {
		return nc, apperr.E(apperr.Invalid, "target is one case, phase or file.").AtPointer("/data/relationships/target/data")
	}
	t := r.Target.Data[0]
	kind, ok := commentTargets[t.Type]
	if !ok {
		return nc, apperr.E(apperr.Invalid, "target is a case, a phase or a file.").AtPointer("/data/relationships/target/data/type")
	}
	id, err := strconv.ParseInt(t.ID, 10, 64)
	if err != nil || id <= 0 {
		return nc, apperr.E(apperr.NotFound, "No %s %q.", kind, t.ID)
	}
	nc.TargetType, nc.TargetID = kind, id
	return nc, nil
}

func (h *handler) caseComments(ctx context.Context, who *extranet.Contact, caseID int64, p domain.Window) ([]*cases.Comment, int64, error) {
	return h.cases.CaseComments(ctx, who.Actor(), caseID, p)
}

func (h *handler) comment(ctx context.Context, who *extranet.Contact, id int64) (*cases.Comment, error) {
	return h.cases.Comment(ctx, who.Actor(), id)
}
