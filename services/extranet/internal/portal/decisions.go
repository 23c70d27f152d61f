package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// decisionRequest is the optional body of approve and the required body of reject:
// {"data":{"type":"decisions","attributes":{"comment":"…"}}}.
type decisionRequest struct {
	Comment *string `jsonapi:"comment"`
}

// readDecision parses the body of an approve or reject action. An empty body is allowed
// (no comment); a comment may be sent only where allowComment says so.
func readDecision(c *fiber.Ctx, allowComment bool) (string, error) {
	if len(c.Body()) == 0 {
		return "", nil
	}
	in, err := jsonapi.ParseResource(c.Body(), "decisions", "")
	if err != nil {
		return "", err
	}
	var req decisionRequest
	if err := in.Bind(&req); err != nil {
		return "", err
	}
	if !allowComment && req.Comment != nil {
		// An hour keeps only the reason of a rejection: its approval has no comment.
		return "", jsonapi.BadRequest(jsonapi.CodeUnknownAttribute, "An approval of a work hour takes no comment.").
			WithPointer("/data/attributes/comment")
	}
	if req.Comment == nil {
		return "", nil
	}
	return *req.Comment, nil
}

// requireBody refuses an action that needs a document but got none.
func requireBody(c *fiber.Ctx, what string) error {
	if len(c.Body()) == 0 {
		return apperr.E(apperr.Invalid, "%s", what).AtPointer("/data")
	}
	return nil
}
