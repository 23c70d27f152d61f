package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

func (s *Server) memberIDs(ctx context.Context, db bun.IDB, caseID int64) ([]int64, error) {
	var ids []int64
	if err := db.NewSelect().Model((*model.CaseMember)(nil)).Column("user_id").Where("case_id = ?", caseID).OrderExpr("user_id").Scan(ctx, &ids); err != nil {
		return nil, apperr.Wrap(err, "load members")
	}
	return ids, nil
}

func membersDoc(caseID int64, ids []int64) jsonapi.Document {
	idents := make([]jsonapi.Identifier, len(ids))
	for i, id := range ids {
		idents[i] = jsonapi.Identifier{Type: "users", ID: strconv.FormatInt(id, 10)}
	}
	cid := strconv.FormatInt(caseID, 10)
	return jsonapi.Document{Data: jsonapi.ToMany(idents).Data(), Links: jsonapi.RelationshipLinks(apiBase, "cases", cid, "members")}
}

// getMembers answers GET /api/v1/cases/:id/relationships/members (CASE-2).
func (s *Server) getMembers(c *fiber.Ctx) error {
	row, _, err := s.loadCase(c.UserContext(), caller(c), c.Params("id"), rights.CaseView)
	if err != nil {
		return err
	}
	ids, err := s.memberIDs(c.UserContext(), s.db, row.ID)
	if err != nil {
		return err
	}
	return jsonapi.WriteDocument(c, fiber.StatusOK, membersDoc(row.ID, ids))
}

// changeMembers answers POST (add) and DELETE (remove) on the members relationship. Adding
// oneself is joining (JOIN-1..4); adding or removing others is owner-like (CASE-4, CASE-12);
// a member may leave; the owner always stays a member (ORG-4).
func (s *Server) changeMembers(add bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := caller(c)
		rel, err := jsonapi.ParseRelationship(c.Body())
		if err != nil {
			return err
		}
		raw, err := rel.ToMany("users")
		if err != nil {
			return err
		}
		return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
			row, view, err := s.loadCaseTx(ctx, tx, p, c.Params("id"), rights.CaseJoin)
			if err != nil {
				return err
			}
			attrs := caseAttrs(&row.Case)
			onlySelf := len(raw) == 1 && raw[0] == strconv.FormatInt(p.User.ID, 10)
			switch {
			case add && onlySelf:
				if d := rights.DecideCase(p.Subject, rights.CaseJoin, attrs); !d.Allow {
					if !view.Allow {
						return apperr.E(apperr.NotFound, "No case %d.", row.ID)
					}
					return denied(d)
				}
			case !view.Allow:
				return apperr.E(apperr.NotFound, "No case %d.", row.ID)
			case !add && onlySelf:
				// leaving needs nothing beyond seeing the case
			default:
				if d := rights.DecideCase(p.Subject, rights.CaseManageMembers, attrs); !d.Allow {
					return denied(d)
				}
			}
			before, err := s.memberIDs(ctx, tx, row.ID)
			if err != nil {
				return err
			}
			for _, r := range raw {
				uid, _ := strconv.ParseInt(r, 10, 64)
				if add {
					ok, err := tx.NewSelect().Model((*model.User)(nil)).Where("id = ? AND active", uid).Exists(ctx)
					if err != nil || !ok {
						return apperr.E(apperr.Invalid, "No active user %s.", r).AtPointer("/data")
					}
					if _, err := tx.NewInsert().Model(&model.CaseMember{CaseID: row.ID, UserID: uid, CreatedAt: s.now().UTC()}).
						On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
						return apperr.Wrap(err, "add member")
					}
					continue
				}
				if uid == row.OwnerID {
					return apperr.E(apperr.Conflict, "The owner is always a member of their case.").AtPointer("/data")
				}
				if _, err := tx.NewDelete().Model((*model.CaseMember)(nil)).Where("case_id = ? AND user_id = ?", row.ID, uid).Exec(ctx); err != nil {
					return apperr.Wrap(err, "remove member")
				}
			}
			if err := bumpRightsEpoch(ctx, tx); err != nil {
				return err
			}
			after, err := s.memberIDs(ctx, tx, row.ID)
			if err != nil {
				return err
			}
			if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "cases", ResourceID: row.ID, CaseID: row.ID,
				Changes: history.Diff(map[string]any{"members": before}, map[string]any{"members": after})}); err != nil {
				return err
			}
			return jsonapi.WriteDocument(c, fiber.StatusOK, membersDoc(row.ID, after))
		})
	}
}
