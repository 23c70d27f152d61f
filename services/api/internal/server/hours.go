package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// hourRow is a work-hour entry with what its decisions depend on.
type hourRow struct {
	model.WorkHour `bun:",extend"`
	CaseOwnerID    int64 `bun:"case_owner_id"`
	CaseUnitID     int64 `bun:"case_unit_id"`
	CaseAccountID  int64 `bun:"case_account_id"`
	UserUnitID     int64 `bun:"user_unit_id"`
	UserIsMember   bool  `bun:"user_is_member"`
}

func hourColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("h.*").
		ColumnExpr("hc.owner_id AS case_owner_id, hc.unit_id AS case_unit_id, hc.account_id AS case_account_id").
		ColumnExpr("hu.unit_id AS user_unit_id").
		ColumnExpr("EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = h.case_id AND m.user_id = h.user_id) AS user_is_member").
		Join("JOIN cases AS hc ON hc.id = h.case_id").
		Join("JOIN users AS hu ON hu.id = h.user_id")
}

func (h *hourRow) attrs() rights.HourAttrs {
	return rights.HourAttrs{ID: h.ID, UserID: h.UserID, UserUnitID: h.UserUnitID, UserIsMember: h.UserIsMember,
		Case: rights.CaseAttrs{ID: h.CaseID, OwnerID: h.CaseOwnerID, UnitID: h.CaseUnitID, AccountID: h.CaseAccountID}}
}

func optRel(typ, id, name, target string, ref *int64) jsonapi.Relationship {
	if ref == nil {
		return jsonapi.Relationship{Data: jsonapi.ToOneNull(), Links: jsonapi.RelationshipLinks(apiBase, typ, id, name)}
	}
	return toOne(typ, id, name, target, *ref)
}

func hourResource(h *hourRow, d rights.Decision) *jsonapi.Resource {
	id := strconv.FormatInt(h.ID, 10)
	attrs := map[string]any{"workDate": string(h.WorkDate), "minutes": h.Minutes, "description": h.Description,
		"billable": h.Billable, "approvalStatus": h.ApprovalStatus, "rejectComment": h.RejectComment,
		"unitPrice": h.UnitPrice, "unitCost": h.UnitCost, "price": h.Price(), "cost": h.Cost(),
		"invoiced": h.InvoiceID != nil, "version": h.Version, "createdAt": h.CreatedAt.UTC(), "updatedAt": h.UpdatedAt.UTC(),
		"approvedAt": nil}
	if h.ApprovedAt != nil {
		attrs["approvedAt"] = h.ApprovedAt.UTC()
	}
	res := &jsonapi.Resource{Type: "work-hours", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{
			"case":              toOne("work-hours", id, "case", "cases", h.CaseID),
			"user":              toOne("work-hours", id, "user", "users", h.UserID),
			"phase":             optRel("work-hours", id, "phase", "phases", h.PhaseID),
			"approvedByUser":    optRel("work-hours", id, "approvedByUser", "users", h.ApprovedByUserID),
			"approvedByContact": optRel("work-hours", id, "approvedByContact", "contacts", h.ApprovedByContactID),
		},
		Links: &jsonapi.Links{Self: apiBase + "/work-hours/" + id}}
	res.Hide(d.Hidden.Fields()...)
	return res
}

// listHours answers GET /api/v1/work-hours: exactly the entries DecideHours lets the caller
// view (scope.HourView), price and cost masked per row (CASE-5..8).
func (s *Server) listHours(c *fiber.Ctx) error {
	p := caller(c)
	sorts := map[string]string{"workDate": "h.work_date", "minutes": "h.minutes", "createdAt": "h.created_at"}
	filters := map[string]string{"case": "h.case_id", "user": "h.user_id", "approvalStatus": "h.approval_status", "workDate": "h.work_date"}
	if scope.HourFinancialsSortable(p.Subject) {
		sorts["price"] = "(h.unit_price * h.minutes / 60)"
	}
	return listing[hourRow]{table: "work_hours AS h", extend: hourColumns, scope: scope.HourView(p.Subject, "h"),
		sorts: sorts, filters: filters, include: []string{"case", "user", "phase"}, cursor: map[string]bool{"workDate": true, "minutes": true},
		resource: func(h *hourRow) *jsonapi.Resource {
			d := rights.DecideHours(p.Subject, rights.HourView, h.attrs())
			if !d.Allow {
				s.log.Error("hour scope leak", "hour", h.ID, "user", p.User.ID)
				return nil
			}
			return hourResource(h, d)
		}}.run(s, c)
}

// loadHour loads one entry and decides a on it: invisible → 404, visible but refused → 403.
func (s *Server) loadHour(ctx context.Context, db bun.IDB, p *principal, rawID string, a rights.HourAction) (*hourRow, rights.Decision, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, rights.Decision{}, apperr.E(apperr.NotFound, "No work hour %q.", rawID)
	}
	var h hourRow
	err = db.NewSelect().Model(&h).ModelTableExpr("work_hours AS h").Apply(hourColumns).Where("h.id = ?", id).Scan(ctx)
	if isNoRows(err) {
		return nil, rights.Decision{}, apperr.E(apperr.NotFound, "No work hour %d.", id)
	}
	if err != nil {
		return nil, rights.Decision{}, apperr.Wrap(err, "load work hour")
	}
	view := rights.DecideHours(p.Subject, rights.HourView, h.attrs())
	if !view.Allow {
		return nil, view, apperr.E(apperr.NotFound, "No work hour %d.", id)
	}
	if a == rights.HourView {
		return &h, view, nil
	}
	d := rights.DecideHours(p.Subject, a, h.attrs())
	if !d.Allow {
		return nil, d, denied(d)
	}
	d.Hidden = view.Hidden
	return &h, d, nil
}

func (s *Server) getHour(c *fiber.Ctx) error {
	p := caller(c)
	h, d, err := s.loadHour(c.UserContext(), s.db, p, c.Params("id"), rights.HourView)
	if err != nil {
		return err
	}
	return s.writeIncluding(c, p, hourResource(h, d), "case", "user", "phase")
}

type hourBody struct {
	WorkDate    *string                       `jsonapi:"workDate"`
	Minutes     *int                          `jsonapi:"minutes"`
	Description *string                       `jsonapi:"description"`
	Billable    *bool                         `jsonapi:"billable"`
	Version     *int64                        `jsonapi:"version"`
	Case        *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
	Phase       *jsonapi.IncomingRelationship `jsonapi:"phase,rel"`
	User        *jsonapi.IncomingRelationship `jsonapi:"user,rel"`
}

// serverOwnedHourFields: prices come from the user's rates, approval from the approval
// actions, invoicing from invoices.
var serverOwnedHourFields = []string{"unitPrice", "unitCost", "price", "cost", "approvalStatus", "rejectComment",
	"approvedAt", "invoiced", "approvedByUser", "approvedByContact", "createdAt", "updatedAt"}

func applyHour(ctx context.Context, tx bun.IDB, h *hourRow, req *hourBody) error {
	if req.WorkDate != nil {
		d, err := checkDate("workDate", *req.WorkDate)
		if err != nil {
			return err
		}
		h.WorkDate = d
	}
	if req.Minutes != nil {
		if err := checkRange("minutes", int64(*req.Minutes), model.MinutesRange); err != nil {
			return err
		}
		h.Minutes = *req.Minutes
	}
	if req.Description != nil {
		h.Description = strings.TrimSpace(*req.Description)
	}
	if req.Billable != nil {
		h.Billable = *req.Billable
	}
	if req.Phase != nil {
		id, null, err := relID(req.Phase, "phases", "/data/relationships/phase")
		if err != nil {
			return err
		}
		if null {
			h.PhaseID = nil
		} else {
			ok, err := tx.NewSelect().Model((*model.Phase)(nil)).Where("id = ? AND case_id = ?", id, h.CaseID).Exists(ctx)
			if err != nil || !ok {
				return apperr.E(apperr.Invalid, "Phase %d is not a phase of this case.", id).AtPointer("/data/relationships/phase")
			}
			h.PhaseID = &id
		}
	}
	return nil
}

// createHour answers POST /api/v1/work-hours: members and owners enter hours on their cases
// (CASE-12, ACC-3, CASE-1); managers may enter them for subordinates (USR-2, USR-4).
func (s *Server) createHour(c *fiber.Ctx) error {
	p := caller(c)
	var req hourBody
	if err := bind(c, "work-hours", "", &req, append(serverOwnedHourFields, "version")...); err != nil {
		return err
	}
	if req.Case == nil || req.WorkDate == nil || req.Minutes == nil {
		return apperr.E(apperr.Invalid, "workDate, minutes and the case relationship are required").AtPointer("/data")
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		caseID, err := req.Case.ToOne("cases")
		if err != nil {
			return err
		}
		row, err := s.caseForWork(ctx, tx, p, caseID)
		if err != nil {
			return err
		}
		user := p.User
		if req.User != nil {
			uid, null, err := relID(req.User, "users", "/data/relationships/user")
			if err != nil || null {
				return apperr.E(apperr.Invalid, "user must be a user").AtPointer("/data/relationships/user")
			}
			var u model.User
			if err := tx.NewSelect().Model(&u).Where("id = ? AND active", uid).Scan(ctx); err != nil {
				return apperr.E(apperr.Invalid, "No active user %d.", uid).AtPointer("/data/relationships/user")
			}
			user = &u
		}
		member, err := tx.NewSelect().Model((*model.CaseMember)(nil)).Where("case_id = ? AND user_id = ?", row.ID, user.ID).Exists(ctx)
		if err != nil {
			return apperr.Wrap(err, "check membership")
		}
		now := s.now().UTC()
		h := &hourRow{WorkHour: model.WorkHour{CaseID: row.ID, UserID: user.ID, Billable: true, UnitPrice: user.HourlyPrice,
			UnitCost: user.HourlyCost, ApprovalStatus: "pending", Version: 1, CreatedAt: now, UpdatedAt: now},
			CaseOwnerID: row.OwnerID, CaseUnitID: row.UnitID, CaseAccountID: row.AccountID, UserUnitID: user.UnitID, UserIsMember: member}
		d := rights.DecideHours(p.Subject, rights.HourCreate, h.attrs())
		if !d.Allow {
			return denied(d)
		}
		if err := applyHour(ctx, tx, h, &req); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&h.WorkHour).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert work hour")
		}
		if err := casefigures.Refresh(ctx, tx, h.CaseID); err != nil {
			return apperr.Wrap(err, "work hour")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "work-hours", ResourceID: h.ID, CaseID: h.CaseID,
			SubjectUserID: h.UserID, Changes: history.Diff(nil, hourSnapshot(&h.WorkHour))}); err != nil {
			return err
		}
		view := rights.DecideHours(p.Subject, rights.HourView, h.attrs())
		return writeOne(c, fiber.StatusCreated, hourResource(h, view))
	})
}

func hourSnapshot(h *model.WorkHour) map[string]any {
	return map[string]any{"workDate": string(h.WorkDate), "minutes": h.Minutes, "description": h.Description,
		"billable": h.Billable, "phase": h.PhaseID, "approvalStatus": h.ApprovalStatus, "rejectComment": h.RejectComment,
		"price": h.Price(), "cost": h.Cost()}
}

// lockedHour: an invoiced entry is part of an accounting record; an approved one was signed
// off. Both must be reopened by their own workflows, not edited in place.
func lockedHour(h *hourRow) error {
	if h.InvoiceID != nil {
		return apperr.E(apperr.Conflict, "The entry is on an invoice and can no longer change.")
	}
	if h.ApprovalStatus == "approved" {
		return apperr.E(apperr.Conflict, "The entry is approved; reject it first to change it.")
	}
	return nil
}

// updateHour answers PATCH /api/v1/work-hours/:id (CASE-12, USR-2, USR-4).
func (s *Server) updateHour(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		h, d, err := s.loadHour(ctx, tx, p, c.Params("id"), rights.HourEdit)
		if err != nil {
			return err
		}
		var req hourBody
		if err := bind(c, "work-hours", strconv.FormatInt(h.ID, 10), &req, append(serverOwnedHourFields, "case", "user")...); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, h.Version); err != nil {
			return err
		}
		if err := lockedHour(h); err != nil {
			return err
		}
		before := hourSnapshot(&h.WorkHour)
		if err := applyHour(ctx, tx, h, &req); err != nil {
			return err
		}
		if h.ApprovalStatus == "rejected" {
			h.ApprovalStatus = "pending" // a corrected entry goes back for approval
		}
		h.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "work_hours", h.ID, h.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("work_date = ?", h.WorkDate).Set("minutes = ?", h.Minutes).Set("description = ?", h.Description).
				Set("billable = ?", h.Billable).Set("phase_id = ?", h.PhaseID).Set("approval_status = ?", h.ApprovalStatus).
				Set("updated_at = ?", h.UpdatedAt)
		}); err != nil {
			return err
		}
		if err := casefigures.Refresh(ctx, tx, h.CaseID); err != nil {
			return apperr.Wrap(err, "work hour")
		}
		h.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "work-hours", ResourceID: h.ID, CaseID: h.CaseID,
			SubjectUserID: h.UserID, Changes: history.Diff(before, hourSnapshot(&h.WorkHour))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, hourResource(h, d))
	})
}

// deleteHour answers DELETE /api/v1/work-hours/:id.
func (s *Server) deleteHour(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		h, _, err := s.loadHour(ctx, tx, p, c.Params("id"), rights.HourDelete)
		if err != nil {
			return err
		}
		if err := lockedHour(h); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.WorkHour)(nil)).Where("id = ?", h.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete work hour")
		}
		if err := casefigures.Refresh(ctx, tx, h.CaseID); err != nil {
			return apperr.Wrap(err, "work hour")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "work-hours", ResourceID: h.ID, CaseID: h.CaseID,
			SubjectUserID: h.UserID, Changes: history.Diff(hourSnapshot(&h.WorkHour), nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

type decisionBody struct {
	Comment *string `jsonapi:"comment"`
}

// decideHour answers POST /api/v1/work-hours/:id/approve and …/reject (WHA-1..7). A reject
// needs a comment for the person who entered the hours. Approval never gates billing (WHA-8).
func (s *Server) decideHour(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p := caller(c)
		var req decisionBody
		if len(c.Body()) > 0 {
			if err := bind(c, "approval-decisions", "", &req); err != nil {
				return err
			}
		}
		comment := ""
		if req.Comment != nil {
			comment = strings.TrimSpace(*req.Comment)
		}
		if !approve && comment == "" {
			return apperr.E(apperr.Invalid, "A rejection needs a comment.").AtPointer("/data/attributes/comment")
		}
		return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
			h, d, err := s.loadHour(ctx, tx, p, c.Params("id"), rights.HourApprove)
			if err != nil {
				return err
			}
			if h.InvoiceID != nil {
				return apperr.E(apperr.Conflict, "The entry is invoiced already.")
			}
			before := hourSnapshot(&h.WorkHour)
			now := s.now().UTC()
			h.ApprovalStatus, h.RejectComment = "rejected", comment
			if approve {
				h.ApprovalStatus = "approved"
			}
			h.ApprovedByUserID, h.ApprovedByContactID, h.ApprovedAt = &p.User.ID, nil, &now
			if err := db.BumpVersion(ctx, tx, "work_hours", h.ID, h.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
				return q.Set("approval_status = ?", h.ApprovalStatus).Set("reject_comment = ?", h.RejectComment).
					Set("approved_by_user_id = ?", p.User.ID).Set("approved_by_contact_id = NULL").
					Set("approved_at = ?", now).Set("updated_at = ?", now)
			}); err != nil {
				return err
			}
			h.Version++
			if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "work-hours", ResourceID: h.ID, CaseID: h.CaseID,
				SubjectUserID: h.UserID, Changes: history.Diff(before, hourSnapshot(&h.WorkHour))}); err != nil {
				return err
			}
			return writeOne(c, fiber.StatusOK, hourResource(h, d))
		})
	}
}
