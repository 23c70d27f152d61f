package cases

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// Comment targets: the case overview, one of its phases, or one of its files.
const (
	TargetCase  = "case"
	TargetPhase = "phase"
	TargetFile  = "file"
)

// MaxCommentLength bounds an employee's comment, in characters.
const MaxCommentLength = 10000

// MaxPortalCommentLength bounds a contact's comment, in characters: the limit the portal
// publishes (extranet.yaml) and its form enforces.
const MaxPortalCommentLength = 5000

// Comment is a comment on a case, one of its phases or one of its files, as one actor sees it.
type Comment struct {
	model.Comment `bun:",extend"`
	PartCase
	AuthorName string `bun:"author_name"` // the employee's or the contact's name

	// Mine marks the actor's own comments.
	Mine bool `bun:"-"`
}

// Versioned implements domain.Versioned.
func (c *Comment) Versioned() (int64, *int64) { return c.ID, &c.Version }

// ByContact reports whether a portal contact wrote the comment.
func (c *Comment) ByContact() bool { return c.AuthorContactID != nil }

// seenBy fills what depends on who reads the comment.
func (c *Comment) seenBy(a domain.Actor) {
	c.AuthorName = strings.TrimSpace(c.AuthorName)
	c.Mine = partMine(a, c.AuthorUserID, c.AuthorContactID)
}

// commentColumns adds the author's name and the case of comments aliased cm.
var commentColumns = partMaker("cm", "author_user_id", "author_contact_id", "author_name")

func (s *Service) selectComments(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("comments AS cm").ColumnExpr("cm.*").Apply(commentColumns)
}

// CommentList is the collection of the comments on the cases an employee may view
// (scope.CommentView): whoever may view a case reads all its comments (CASE-2, CASE-4).
func (s *Service) CommentList(a domain.Actor) listing.Spec[Comment] {
	return listing.Spec[Comment]{DB: s.env.DB, Table: "comments AS cm", Scope: scope.CommentView(a.Subject, "cm"), Extend: commentColumns,
		Sorts:   map[string]string{"createdAt": "cm.created_at"},
		Filters: map[string]string{"case": "cm.case_id", "targetType": "cm.target_type", "targetId": "cm.target_id"},
		Include: []string{"case"},
		Keep: func(c *Comment) bool {
			c.seenBy(a)
			return s.partKeep(a, "comment", c.ID, c.attrs(c.CaseID))
		}}
}

// commentTargets are the targets whose section the contact sees: the overview always,
// phases with the Phases section, files when files are visible (EXT-3).
func commentTargets(g sharing.Grant) []string {
	t := []string{TargetCase}
	if g.Can(sharing.ViewPhases) {
		t = append(t, TargetPhase)
	}
	if g.Can(sharing.ViewFiles) {
		t = append(t, TargetFile)
	}
	return t
}

// CaseComments lists the comments of a case shared with a contact, oldest first, on targets
// whose section they see, and their number. Viewing comments is part of the Comment right
// (EXT-2): without it the answer is apperr.Forbidden (the case itself stays visible); an
// unshared case is apperr.NotFound (EXT-8).
func (s *Service) CaseComments(ctx context.Context, a domain.Actor, caseID int64, w domain.Window) ([]*Comment, int64, error) {
	return s.sharedComments(ctx, a, caseID, w, "cm.created_at, cm.id")
}

// sharedComments is the page w, in order, of the comments of a case shared with contact a on
// targets whose section they see, and their number: the rules of CaseComments (EXT-2, EXT-3,
// EXT-8), which the portal's pages read in either order.
func (s *Service) sharedComments(ctx context.Context, a domain.Actor, caseID int64, w domain.Window, order string) ([]*Comment, int64, error) {
	g, err := s.partShared(ctx, s.env.DB, a, caseID, sharing.ViewComments, "")
	if err != nil {
		return nil, 0, err
	}
	var rows []*Comment
	n, err := s.selectComments(s.env.DB, &rows).Where("cm.case_id = ?", caseID).
		Where("cm.target_type IN (?)", bun.In(commentTargets(g))).OrderExpr(order).
		Limit(w.Limit).Offset(w.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list comments of case")
	}
	for _, c := range rows {
		c.seenBy(a)
	}
	return rows, int64(n), nil
}

// Comment returns one comment as a sees it: apperr.NotFound when they may not view it (STYLE
// rule 3); for a contact also when they lack the Comment right or the target's section is
// not shared (EXT-2, EXT-3, EXT-8).
func (s *Service) Comment(ctx context.Context, a domain.Actor, id int64) (*Comment, error) {
	return s.loadComment(ctx, s.env.DB, a, id, commentView)
}

// CommentsByID returns the comments of ids that an employee may view, in one query (include).
func (s *Service) CommentsByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Comment, error) {
	return domain.ByID(ctx, func(rows any) *bun.SelectQuery { return s.selectComments(s.env.DB, rows) }, "cm.id", ids, "comments",
		func(c *Comment) bool {
			c.seenBy(a)
			return partVisible(a, c.attrs(c.CaseID))
		})
}

// commentAction is an action on a comment, decided for each kind of actor by loadComment.
type commentAction int

const (
	commentView   commentAction = iota // whoever may view the case; a contact with the Comment right
	commentEdit                        // its author (an employee), while they may view the case
	commentDelete                      // its author, or an owner-like user of the case (CASE-4)
)

// loadComment loads one comment and decides act on it: invisible → NotFound, visible but
// refused → Forbidden. A contact only views comments (EXT-2, EXT-6).
func (s *Service) loadComment(ctx context.Context, db bun.IDB, a domain.Actor, id int64, act commentAction) (*Comment, error) {
	var c Comment
	if err := s.selectComments(db, &c).Where("cm.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "comment", id)
	}
	c.seenBy(a)
	if a.IsContact() {
		g, err := s.partGrant(ctx, db, a, c.CaseID, sharing.ViewComments, "comment", id)
		if err != nil {
			return nil, err
		}
		if !g.Can(sharing.ViewComments) || !slices.Contains(commentTargets(g), c.TargetType) {
			return nil, domain.NotFound("comment", id)
		}
		if act != commentView {
			return nil, partContactRefused("comment")
		}
		return &c, nil
	}
	if err := partEmployee(a, rights.CaseView, c.attrs(c.CaseID), "comment", id); err != nil {
		return nil, err
	}
	switch {
	case act == commentEdit && !c.Mine:
		return nil, apperr.E(apperr.Forbidden, "Only its author edits a comment.")
	case act == commentDelete && !c.Mine:
		return &c, partEmployee(a, rights.CaseEdit, c.attrs(c.CaseID), "comment", id)
	}
	return &c, nil
}

// CommentInput is a new comment. TargetType "" is TargetCase; TargetID 0 names the case.
type CommentInput struct {
	CaseID     int64
	TargetType string
	TargetID   int64
	Body       string
}

// commentBody validates a comment's text: 1 to the actor's limit of characters.
func commentBody(a domain.Actor, body string) (string, error) {
	limit := MaxCommentLength
	if a.IsContact() {
		limit = MaxPortalCommentLength
	}
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > limit {
		return "", apperr.E(apperr.Invalid, "A comment needs 1 to %d characters.", limit).AtPointer("/data/attributes/body")
	}
	return body, nil
}

// commentTarget checks the target of a new comment on case caseID and returns its id. A
// target that is not on the case is apperr.Invalid for an employee; for a contact it is
// apperr.NotFound, as is one in a section not shared with them (EXT-3, EXT-8).
func commentTarget(ctx context.Context, tx bun.IDB, a domain.Actor, g sharing.Grant, in CommentInput) (int64, error) {
	missing := func(typ string, id int64) error {
		if a.IsContact() {
			return domain.NotFound(typ, id)
		}
		return apperr.E(apperr.Invalid, "No %s %d on this case.", typ, id).AtPointer("/data/attributes/targetId")
	}
	var table string
	var section sharing.Action
	switch in.TargetType {
	case TargetCase:
		if in.TargetID != 0 && in.TargetID != in.CaseID {
			return 0, missing(TargetCase, in.TargetID)
		}
		return in.CaseID, nil
	case TargetPhase:
		table, section = "phases", sharing.ViewPhases
	case TargetFile:
		table, section = "files", sharing.ViewFiles
	default:
		return 0, apperr.E(apperr.Invalid, "targetType must be case, phase or file").AtPointer("/data/attributes/targetType")
	}
	if a.IsContact() && !g.Can(section) {
		return 0, missing(in.TargetType, in.TargetID)
	}
	ok, err := tx.NewSelect().Table(table).Where("id = ? AND case_id = ?", in.TargetID, in.CaseID).Exists(ctx)
	if err != nil {
		return 0, apperr.Wrap(err, "check comment target")
	}
	if !ok {
		return 0, missing(in.TargetType, in.TargetID)
	}
	return in.TargetID, nil
}

func commentSnapshot(c *Comment) map[string]any {
	return map[string]any{"body": c.Body, "targetType": c.TargetType, "targetId": c.TargetID,
		"authorUser": c.AuthorUserID, "authorContact": c.AuthorContactID}
}

func commentEntry(c *Comment, e *history.Entry) { e.CaseID = c.CaseID }

// AddComment adds a comment on a case, one of its phases or one of its files, by an employee
// who may view the case (CASE-2, CASE-4) or by a contact with the Comment right (EXT-2,
// EXT-6, EXT-7) alike. A phase or file target must belong to the case and, for a contact,
// lie in a section they see. Errors: apperr.Invalid, apperr.NotFound, apperr.Forbidden.
func (s *Service) AddComment(ctx context.Context, a domain.Actor, in CommentInput) (*Comment, error) {
	body, err := commentBody(a, in.Body)
	if err != nil {
		return nil, err
	}
	if in.TargetType == "" {
		in.TargetType = TargetCase
	}
	var out *Comment
	err = s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		c := &Comment{Comment: model.Comment{Version: 1, CaseID: in.CaseID, TargetType: in.TargetType, Body: body,
			CreatedAt: s.env.Now().UTC()}, Mine: true}
		var g sharing.Grant
		var err error
		if a.IsContact() {
			if g, err = s.partShared(ctx, tx, a, in.CaseID, sharing.AddComment, ""); err != nil {
				return err
			}
			c.AuthorContactID, c.AuthorName = &a.Contact.ID, a.Contact.Name
		} else {
			if c.PartCase, err = partCaseFor(ctx, tx, a, in.CaseID, rights.CaseView); err != nil {
				return err
			}
			c.AuthorUserID, c.AuthorName = &a.User.ID, a.User.Name
		}
		if c.TargetID, err = commentTarget(ctx, tx, a, g, in); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&c.Comment).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert comment")
		}
		if err := notify.Record(ctx, tx, a, s.env.Now(), notify.Event{Kind: notify.Commented, CaseID: c.CaseID, ObjectID: c.ID, Text: c.Body}); err != nil {
			return err
		}
		out = c
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "comments", ResourceID: c.ID, CaseID: c.CaseID,
			Changes: history.Diff(nil, commentSnapshot(c))})
	})
	return out, err
}

// UpdateComment changes the text of a comment, by its author only, while they may still view
// the case. Errors: apperr.NotFound, apperr.Forbidden, apperr.Invalid, apperr.Stale.
func (s *Service) UpdateComment(ctx context.Context, a domain.Actor, id int64, body string, x domain.Expect) (*Comment, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Comment]{Table: "comments", Resource: "comments", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*Comment, error) {
			return s.loadComment(ctx, tx, a, id, commentEdit)
		},
		Snapshot: commentSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, c *Comment) error {
			text, err := commentBody(a, body)
			if err != nil {
				return err
			}
			now := s.env.Now().UTC()
			c.Body, c.UpdatedAt = text, &now
			return nil
		},
		Set: func(q *bun.UpdateQuery, c *Comment) *bun.UpdateQuery {
			return q.Set("body = ?", c.Body).Set("updated_at = ?", c.UpdatedAt)
		},
		Entry: commentEntry,
	})
}

// DeleteComment deletes a comment: its author, or an owner-like user of the case (CASE-4).
// Errors: apperr.NotFound, apperr.Forbidden.
func (s *Service) DeleteComment(ctx context.Context, a domain.Actor, id int64) error {
	return domain.Remove(ctx, s.env, a, domain.Removal[*Comment]{Table: "comments", Resource: "comments",
		Load: func(ctx context.Context, tx bun.IDB) (*Comment, error) {
			return s.loadComment(ctx, tx, a, id, commentDelete)
		},
		Snapshot: commentSnapshot, Entry: commentEntry})
}
