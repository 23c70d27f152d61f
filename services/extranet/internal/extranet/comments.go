package extranet

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
)

// Comment targets: the case overview, one of its phases, or one of its files.
const (
	TargetCase  = "case"
	TargetPhase = "phase"
	TargetFile  = "file"
)

// MaxCommentLength bounds a comment, in characters.
const MaxCommentLength = 5000

// CommentView is a comment as a contact sees it. AuthorName is the employee's or contact's
// name; Mine marks the caller's own comments.
type CommentView struct {
	Comment    model.Comment
	AuthorName string
	ByContact  bool
	Mine       bool
}

type commentRow struct {
	model.Comment `bun:",extend"`
	AuthorName    string `bun:"author_name"`
}

func selectComments(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("comments AS cm").ColumnExpr("cm.*").
		ColumnExpr("COALESCE(u.name, ct.first_name || ' ' || ct.last_name, '') AS author_name").
		Join("LEFT JOIN users AS u ON u.id = cm.author_user_id").
		Join("LEFT JOIN contacts AS ct ON ct.id = cm.author_contact_id")
}

// visibleTargets limits comments to targets whose section the contact sees: the overview
// always, phases with the Phases section, files when files are visible (EXT-3).
func visibleTargets(g Grant) []string {
	t := []string{TargetCase}
	if g.Can(ViewPhases) {
		t = append(t, TargetPhase)
	}
	if g.Can(ViewFiles) {
		t = append(t, TargetFile)
	}
	return t
}

// Comments lists the comments of a shared case, oldest first, on targets the contact may
// see. Viewing comments is part of the Comment right (EXT-2): without it the answer is
// apperr.Forbidden (the case itself stays visible).
func (s *Service) Comments(ctx context.Context, who *Contact, caseID int64, p Page) ([]CommentView, int64, error) {
	g, err := s.grant(ctx, s.db, who, caseID)
	if err != nil {
		return nil, 0, err
	}
	if err := g.Check(ViewComments, ""); err != nil {
		return nil, 0, err
	}
	var rows []commentRow
	n, err := selectComments(s.db, &rows).Where("cm.case_id = ?", caseID).
		Where("cm.target_type IN (?)", bun.In(visibleTargets(g))).OrderExpr("cm.created_at, cm.id").
		Limit(p.Limit).Offset(p.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list comments")
	}
	out := make([]CommentView, len(rows))
	for i := range rows {
		out[i] = commentView(&rows[i], who)
	}
	return out, n, nil
}

func commentView(r *commentRow, who *Contact) CommentView {
	mine := r.AuthorContactID != nil && *r.AuthorContactID == who.ID
	return CommentView{Comment: r.Comment, AuthorName: strings.TrimSpace(r.AuthorName), ByContact: r.AuthorContactID != nil, Mine: mine}
}

// Comment returns one comment, or apperr.NotFound when the contact may not see it: its case
// is not shared with them, they lack the Comment right, or its target's section is not
// shared (EXT-8).
func (s *Service) Comment(ctx context.Context, who *Contact, id int64) (CommentView, error) {
	var r commentRow
	if err := selectComments(s.db, &r).Where("cm.id = ?", id).Scan(ctx); err != nil {
		if isNoRows(err) {
			return CommentView{}, notFound("comment", id)
		}
		return CommentView{}, apperr.Wrap(err, "load comment")
	}
	g, err := s.objectGrant(ctx, s.db, who, r.CaseID, ViewComments, "comment", id)
	if err != nil {
		return CommentView{}, err
	}
	if !g.Can(ViewComments) || !slices.Contains(visibleTargets(g), r.TargetType) {
		return CommentView{}, notFound("comment", id)
	}
	return commentView(&r, who), nil
}

// NewComment is a comment a contact writes. TargetID is ignored for TargetCase.
type NewComment struct {
	CaseID     int64
	TargetType string
	TargetID   int64
	Body       string
}

// AddComment adds a comment by who (EXT-2, EXT-6, EXT-7): it needs the Comment right, and
// a phase or file target must belong to the case and lie in a section the contact sees;
// any other target is apperr.NotFound. Errors: apperr.NotFound, apperr.Forbidden,
// apperr.Invalid.
func (s *Service) AddComment(ctx context.Context, who *Contact, in NewComment) (CommentView, error) {
	body := strings.TrimSpace(in.Body)
	if body == "" || utf8.RuneCountInString(body) > MaxCommentLength {
		return CommentView{}, apperr.E(apperr.Invalid, "A comment needs 1 to %d characters.", MaxCommentLength).
			AtPointer("/data/attributes/body")
	}
	var out CommentView
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := s.grant(ctx, tx, who, in.CaseID)
		if err != nil {
			return err
		}
		if err := g.Check(AddComment, ""); err != nil {
			return err
		}
		targetID, err := s.commentTarget(ctx, tx, g, in)
		if err != nil {
			return err
		}
		cm := &model.Comment{Version: 1, CaseID: in.CaseID, TargetType: in.TargetType, TargetID: targetID, Body: body,
			AuthorContactID: &who.ID, CreatedAt: s.now().UTC()}
		if _, err := tx.NewInsert().Model(cm).Returning("id").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert comment")
		}
		out = CommentView{Comment: *cm, AuthorName: who.Name, ByContact: true, Mine: true}
		return s.record(ctx, tx, who, "create", "comments", cm.ID, cm.CaseID, history.Diff(nil, map[string]any{
			"body": cm.Body, "targetType": cm.TargetType, "target": cm.TargetID, "authorContact": who.ID}))
	})
	return out, err
}

// commentTarget checks the target of a new comment and returns its id.
func (s *Service) commentTarget(ctx context.Context, tx bun.IDB, g Grant, in NewComment) (int64, error) {
	var table string
	var action Action
	switch in.TargetType {
	case TargetCase:
		if in.TargetID != 0 && in.TargetID != in.CaseID {
			return 0, notFound("case", in.TargetID)
		}
		return in.CaseID, nil
	case TargetPhase:
		table, action = "phases", ViewPhases
	case TargetFile:
		table, action = "files", ViewFiles
	default:
		return 0, apperr.E(apperr.Invalid, "A comment is about the case, a phase or a file.").AtPointer("/data/relationships/target")
	}
	if !g.Can(action) {
		return 0, notFound(in.TargetType, in.TargetID)
	}
	n, err := tx.NewSelect().Table(table).Where("id = ?", in.TargetID).Where("case_id = ?", in.CaseID).Count(ctx)
	if err != nil {
		return 0, apperr.Wrap(err, "check comment target")
	}
	if n != 1 {
		return 0, notFound(in.TargetType, in.TargetID)
	}
	return in.TargetID, nil
}
