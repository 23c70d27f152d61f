package scope

import (
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// CommentView limits a query over comments (aliased alias) to those on cases s may view:
// comments are part of the case, its phases and its files, which a viewer sees whole
// (rights.CaseView; CASE-1, CASE-2, CASE-4, CASE-8..11, ACC-2). The rule is PhaseView's, so
// the property test's phase checks cover it.
func CommentView(s *rights.Subject, alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return viaCase(rights.ViewableCases(s), alias).apply
}
