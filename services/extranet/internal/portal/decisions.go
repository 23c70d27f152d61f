package portal

import (
	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// approvalComment says whether an approval may carry a comment; a rejection always does.
type approvalComment bool

const (
	approvalTakesComment   approvalComment = true  // phases
	approvalTakesNoComment approvalComment = false // hours: an hour keeps only a rejection's reason
)

// readDecisionAction reads an approve or reject action on a row the caller sees with grant
// g (EXT-2, EXT-6): a missing right is 403 before the body is looked at; a rejection needs a
// body; a comment is taken on a rejection, and on an approval where ac says so
// (readDecision); If-Match, when sent, must name the version the decision expects.
func readDecisionAction(c *fiber.Ctx, g sharing.Grant, right sharing.Action, approve bool, ac approvalComment) (string, domain.Expect, error) {
	if err := g.Check(right, ""); err != nil {
		return "", domain.Expect{}, err
	}
	if !approve {
		if err := requireBody(c, "A rejection needs a comment."); err != nil {
			return "", domain.Expect{}, err
		}
	}
	text, err := readDecision(c, !approve || bool(ac))
	if err != nil {
		return "", domain.Expect{}, err
	}
	version, err := optionalVersion(c)
	if err != nil {
		return "", domain.Expect{}, err
	}
	return text, domain.Expect{Version: version}, nil
}

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
