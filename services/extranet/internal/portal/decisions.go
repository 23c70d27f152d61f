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

// noCommentRequest is the body an hour's approval may have: an hour keeps only the reason
// of a rejection, so a comment is an unknown attribute there.
type noCommentRequest struct{}

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
	if !allowComment {
		return "", in.Bind(&noCommentRequest{})
	}
	var req decisionRequest
	if err := in.Bind(&req); err != nil {
		return "", err
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
