package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

type commentBody struct {
	Body       *string                       `jsonapi:"body"`
	Version    *int64                        `jsonapi:"version"`
	TargetType *string                       `jsonapi:"targetType"`
	TargetID   *string                       `jsonapi:"targetId"`
	Case       *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
}

const maxCommentLength = 10000

func commentResource(cm *model.Comment) *jsonapi.Resource {
	id := strconv.FormatInt(cm.ID, 10)
	res := &jsonapi.Resource{Type: "comments", ID: id,
		Attributes: map[string]any{"body": cm.Body, "targetType": cm.TargetType, "targetId": strconv.FormatInt(cm.TargetID, 10),
			"version": cm.Version, "createdAt": cm.CreatedAt.UTC(), "updatedAt": nil},
		Relationships: map[string]jsonapi.Relationship{
			"case":          toOne("comments", id, "case", "cases", cm.CaseID),
			"authorUser":    optRel("comments", id, "authorUser", "users", cm.AuthorUserID),
			"authorContact": optRel("comments", id, "authorContact", "contacts", cm.AuthorContactID),
		},
		Links: &jsonapi.Links{Self: apiBase + "/comments/" + id}}
	if cm.UpdatedAt != nil {
		res.Attributes["updatedAt"] = cm.UpdatedAt.UTC()
	}
	return res
}

// listComments answers GET /api/v1/comments: comments on cases the caller may view.
func (s *Server) listComments(c *fiber.Ctx) error {
	return collection[model.Comment]{table: "comments AS cm", scope: scope.CommentView(caller(c).Subject, "cm"),
		sorts:   map[string]string{"createdAt": "cm.created_at"},
		filters: map[string]string{"case": "cm.case_id", "targetType": "cm.target_type", "targetId": "cm.target_id"},
		include: []string{"case"}, resource: commentResource}.run(s, c)
}

// getComment answers GET /api/v1/comments/:id: a comment on a case the caller may view.
func (s *Server) getComment(c *fiber.Ctx) error {
	p := caller(c)
	var cm model.Comment
	if err := s.loadCasePart(c.UserContext(), s.db, p, rights.CaseView, "comment", "comments AS cm", c.Params("id"), &cm,
		func() int64 { return cm.CaseID }); err != nil {
		return err
	}
	return s.writeIncluding(c, p, commentResource(&cm), "case")
}

// checkCommentTarget makes sure a comment's target belongs to its case.
func checkCommentTarget(ctx context.Context, db bun.IDB, caseID int64, typ string, id int64) error {
	switch typ {
	case "case":
		if id != caseID {
			return apperr.E(apperr.Invalid, "targetId of a case comment is the case id").AtPointer("/data/attributes/targetId")
		}
		return nil
	case "phase", "file":
		table := map[string]string{"phase": "phases", "file": "files"}[typ]
		ok, err := db.NewSelect().Table(table).Where("id = ? AND case_id = ?", id, caseID).Exists(ctx)
		if err != nil {
			return apperr.Wrap(err, "check comment target")
		}
		if !ok {
			return apperr.E(apperr.Invalid, "No %s %d on this case.", typ, id).AtPointer("/data/attributes/targetId")
		}
		return nil
	}
	return apperr.E(apperr.Invalid, "targetType must be case, phase or file").AtPointer("/data/attributes/targetType")
}

// createComment answers POST /api/v1/comments: whoever may view a case may comment on it,
// its phases and its files (CASE-15, CASE-2).
func (s *Server) createComment(c *fiber.Ctx) error {
	p := caller(c)
	var req commentBody
	if err := bind(c, "comments", "", &req, "authorUser", "authorContact", "createdAt", "updatedAt", "version"); err != nil {
		return err
	}
	if req.Case == nil || req.Body == nil || strings.TrimSpace(*req.Body) == "" {
		return apperr.E(apperr.Invalid, "body and the case relationship are required").AtPointer("/data")
	}
	if len(*req.Body) > maxCommentLength {
		return apperr.E(apperr.Invalid, "a comment holds at most %d characters", maxCommentLength).AtPointer("/data/attributes/body")
	}
	caseID, err := req.Case.ToOne("cases")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		row, _, err := s.loadCaseTx(ctx, tx, p, caseID, rights.CaseView)
		if err != nil {
			return err
		}
		typ, target := "case", row.ID
		if req.TargetType != nil {
			typ = *req.TargetType
		}
		if req.TargetID != nil {
			if target, err = strconv.ParseInt(*req.TargetID, 10, 64); err != nil {
				return apperr.E(apperr.Invalid, "targetId must be an id").AtPointer("/data/attributes/targetId")
			}
		}
		if err := checkCommentTarget(ctx, tx, row.ID, typ, target); err != nil {
			return err
		}
		cm := &model.Comment{Version: 1, CaseID: row.ID, TargetType: typ, TargetID: target, Body: strings.TrimSpace(*req.Body),
			AuthorUserID: &p.User.ID, CreatedAt: s.now().UTC()}
		if _, err := tx.NewInsert().Model(cm).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert comment")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "comments", ResourceID: cm.ID, CaseID: cm.CaseID,
			Changes: history.Diff(nil, map[string]any{"body": cm.Body, "targetType": typ, "targetId": target})}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusCreated, commentResource(cm))
	})
}

// deleteComment answers DELETE /api/v1/comments/:id: the author, or an owner-like user of
// the case (CASE-4).
func (s *Server) deleteComment(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var cm model.Comment
		// The author may delete their comment; otherwise it takes owner-like access (CASE-4).
		if err := s.loadCasePart(ctx, tx, p, rights.CaseView, "comment", "comments AS cm", c.Params("id"), &cm,
			func() int64 { return cm.CaseID }); err != nil {
			return err
		}
		if cm.AuthorUserID == nil || *cm.AuthorUserID != p.User.ID {
			if _, _, err := s.loadCaseTx(ctx, tx, p, strconv.FormatInt(cm.CaseID, 10), rights.CaseEdit); err != nil {
				return err
			}
		}
		id := cm.ID
		if _, err := tx.NewDelete().Model((*model.Comment)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete comment")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "comments", ResourceID: id, CaseID: cm.CaseID,
			Changes: history.Diff(map[string]any{"body": cm.Body}, nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

// updateComment answers PATCH /api/v1/comments/:id: only its author changes a comment's text,
// and only while they may still view the case.
func (s *Server) updateComment(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var cm model.Comment
		if err := s.loadCasePart(ctx, tx, p, rights.CaseView, "comment", "comments AS cm", c.Params("id"), &cm,
			func() int64 { return cm.CaseID }); err != nil {
			return err
		}
		if cm.AuthorUserID == nil || *cm.AuthorUserID != p.User.ID {
			return apperr.E(apperr.Forbidden, "Only its author edits a comment.")
		}
		var req commentBody
		if err := bind(c, "comments", strconv.FormatInt(cm.ID, 10), &req, "targetType", "targetId", "case", "authorUser",
			"authorContact", "createdAt", "updatedAt"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, cm.Version); err != nil {
			return err
		}
		if req.Body == nil || strings.TrimSpace(*req.Body) == "" || len(*req.Body) > maxCommentLength {
			return apperr.E(apperr.Invalid, "body is 1 to %d characters", maxCommentLength).AtPointer("/data/attributes/body")
		}
		before := cm.Body
		now := s.now().UTC()
		cm.Body, cm.UpdatedAt = strings.TrimSpace(*req.Body), &now
		if err := db.BumpVersion(ctx, tx, "comments", cm.ID, cm.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("body = ?", cm.Body).Set("updated_at = ?", now)
		}); err != nil {
			return err
		}
		cm.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "comments", ResourceID: cm.ID, CaseID: cm.CaseID,
			Changes: history.Diff(map[string]any{"body": before}, map[string]any{"body": cm.Body})}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, commentResource(&cm))
	})
}

// commentKind is the comments type of the registry.
func (s *Server) commentKind() kind {
	return kind{name: "comments", list: s.listComments, create: s.createComment, get: s.getComment, update: s.updateComment, remove: s.deleteComment,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			var cm model.Comment
			if err := s.loadCasePart(ctx, s.db, p, rights.CaseView, "comment", "comments AS cm", idString(id), &cm, func() int64 { return cm.CaseID }); err != nil {
				return nil, err
			}
			return commentResource(&cm), nil
		})}
}
