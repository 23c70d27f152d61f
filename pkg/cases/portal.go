package cases

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// The portal pages' reads of a shared case: comments newest first with what they are about,
// what a new comment may be about, and the phases waiting for a contact's decision. The
// rules are those of CaseComments, AddComment and CasePhases.

// NamedComment is a comment with the name of the phase or file it is about.
type NamedComment struct {
	*Comment
	TargetName string // empty for the case overview
}

// RecentComments lists the comments of a case shared with contact a, newest first (a new
// comment is on the first page), on targets whose section they see, and their number, with
// the names of their phases and files. Rules and errors as CaseComments (EXT-2, EXT-3, EXT-8).
func (s *Service) RecentComments(ctx context.Context, a domain.Actor, caseID int64, w domain.Window) ([]NamedComment, int64, error) {
	rows, n, err := s.sharedComments(ctx, a, caseID, w, "cm.created_at DESC, cm.id DESC")
	if err != nil {
		return nil, 0, err
	}
	ids := map[string][]int64{}
	for _, c := range rows {
		if c.TargetType != TargetCase {
			ids[c.TargetType] = append(ids[c.TargetType], c.TargetID)
		}
	}
	names := map[string]map[int64]string{}
	for typ, table := range map[string]string{TargetPhase: "phases", TargetFile: "files"} {
		if len(ids[typ]) == 0 {
			continue
		}
		var found []struct {
			ID   int64  `bun:"id"`
			Name string `bun:"name"`
		}
		err := s.env.DB.NewSelect().Table(table).Column("id", "name").Where("case_id = ?", caseID).
			Where("id IN (?)", bun.In(ids[typ])).Scan(ctx, &found)
		if err != nil {
			return nil, 0, apperr.Wrap(err, "names of comment targets")
		}
		names[typ] = map[int64]string{}
		for _, f := range found {
			names[typ][f.ID] = f.Name
		}
	}
	out := make([]NamedComment, len(rows))
	for i, c := range rows {
		out[i] = NamedComment{Comment: c, TargetName: names[c.TargetType][c.TargetID]}
	}
	return out, n, nil
}

// CommentTarget is a phase or a file a new comment may be about, by name.
type CommentTarget struct {
	Type string `bun:"type"` // TargetPhase or TargetFile
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
}

// CommentTargets lists every phase and file of a case shared with contact a that a comment
// of theirs may be about, by name and whatever page of their lists each is on: phases with
// the Phases section, files when files are visible to them (EXT-3, the rule of AddComment
// and RecentComments); phases in date order, then files newest first, as their lists.
// Errors: apperr.NotFound (case not shared: EXT-8), apperr.Forbidden (no Comment right:
// EXT-2).
func (s *Service) CommentTargets(ctx context.Context, a domain.Actor, caseID int64) ([]CommentTarget, error) {
	g, err := s.partShared(ctx, s.env.DB, a, caseID, sharing.AddComment, "")
	if err != nil {
		return nil, err
	}
	var out []CommentTarget
	for _, part := range []struct {
		typ, table, order string
		shown             bool
	}{
		{TargetPhase, "phases", "starts_on, id", g.Can(sharing.ViewPhases)},
		{TargetFile, "files", "created_at DESC, id DESC", g.Can(sharing.ViewFiles)},
	} {
		if !part.shown {
			continue
		}
		var rows []CommentTarget
		err := s.env.DB.NewSelect().Table(part.table).ColumnExpr("? AS type, id, name", part.typ).Where("case_id = ?", caseID).
			OrderExpr(part.order).Scan(ctx, &rows)
		if err != nil {
			return nil, apperr.Wrap(err, "list comment targets")
		}
		out = append(out, rows...)
	}
	return out, nil
}

// waitingPhases restricts a query over phases AS ph to those waiting for a decision.
func waitingPhases(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Where("ph.approval_status = ?", domain.Pending)
}

// WaitingPhases lists the phases of a shared case that wait for contact a's decision, in
// date order, and their number. Errors: apperr.NotFound (case or phases not shared: EXT-3,
// EXT-8), apperr.Forbidden (no Approve right: EXT-2).
func (s *Service) WaitingPhases(ctx context.Context, a domain.Actor, caseID int64, w domain.Window) ([]*Phase, int64, error) {
	g, err := s.partShared(ctx, s.env.DB, a, caseID, sharing.ApprovePhases, "No phases are shared on this case.")
	if err != nil {
		return nil, 0, err
	}
	var rows []*Phase
	n, err := s.selectPhases(s.env.DB, &rows).Where("ph.case_id = ?", caseID).Apply(waitingPhases).
		OrderExpr("ph.starts_on, ph.id").Limit(w.Limit).Offset(w.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list waiting phases")
	}
	for _, p := range rows {
		p.Grant = g
	}
	return rows, int64(n), nil
}

// WaitingPhaseCounts returns, for each case shared with contact a on which they may approve
// phases (EXT-2, EXT-3), how many phases wait for their decision; cases with none are left
// out. The shares are one query and the counts of every case another.
func (s *Service) WaitingPhaseCounts(ctx context.Context, a domain.Actor) (map[int64]int, error) {
	if !a.IsContact() {
		return map[int64]int{}, nil
	}
	return sharing.CountPerCase(ctx, s.env.DB, s.env.Now(), *a.Contact, sharing.ApprovePhases, "waiting phases",
		func(ids []int64) *bun.SelectQuery {
			return s.env.DB.NewSelect().TableExpr("phases AS ph").ColumnExpr("ph.case_id, COUNT(*) AS n").
				Where("ph.case_id IN (?)", bun.In(ids)).Apply(waitingPhases).GroupExpr("ph.case_id")
		})
}
