package domain

import (
	"strings"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// The approval states of work hours, phases and travel reimbursements.
const (
	Pending  = "pending"
	Approved = "approved"
	Rejected = "rejected"
)

// MaxDecisionComment bounds approval and rejection comments.
const MaxDecisionComment = 2000

// Decision validates an approval (approve) or a rejection and returns the state it leads to
// and the trimmed comment. A rejection needs a comment saying why, for whoever must correct
// the object. Errors: apperr.Invalid at /data/attributes/comment.
func Decision(approve bool, comment string) (status, trimmed string, err error) {
	trimmed = strings.TrimSpace(comment)
	if len(trimmed) > MaxDecisionComment {
		return "", "", apperr.E(apperr.Invalid, "The comment may have at most %d characters.", MaxDecisionComment).
			AtPointer("/data/attributes/comment")
	}
	if approve {
		return Approved, trimmed, nil
	}
	if trimmed == "" {
		return "", "", apperr.E(apperr.Invalid, "Say why you reject it: a comment is required.").AtPointer("/data/attributes/comment")
	}
	return Rejected, trimmed, nil
}
