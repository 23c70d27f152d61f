package work

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// Hour is a work-hour entry with what its decisions depend on, as one actor sees it.
type Hour struct {
	model.WorkHour `bun:",extend"`
	CaseOwnerID    int64  `bun:"case_owner_id"`
	CaseUnitID     int64  `bun:"case_unit_id"`
	CaseAccountID  int64  `bun:"case_account_id"`
	UserUnitID     int64  `bun:"user_unit_id"`
	UserIsMember   bool   `bun:"user_is_member"`
	Person         string `bun:"person"` // the name of who worked

	// Decision is an employee's view decision: its Hidden fields are left out when rendered
	// (CASE-5..8).
	Decision rights.Decision `bun:"-"`
	// Grant is a contact's grant on the entry's case (EXT-2, EXT-3).
	Grant sharing.Grant `bun:"-"`
}

// Versioned implements domain.Versioned.
func (h *Hour) Versioned() (int64, *int64) { return h.ID, &h.Version }

// Attrs are what the rights decisions on the entry depend on.
func (h *Hour) Attrs() rights.HourAttrs {
	return rights.HourAttrs{ID: h.ID, UserID: h.UserID, UserUnitID: h.UserUnitID, UserIsMember: h.UserIsMember,
		Case: rights.CaseAttrs{ID: h.CaseID, OwnerID: h.CaseOwnerID, UnitID: h.CaseUnitID, AccountID: h.CaseAccountID}}
}

func hourColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("h.*").
		ColumnExpr("hc.owner_id AS case_owner_id, hc.unit_id AS case_unit_id, hc.account_id AS case_account_id").
		ColumnExpr("hu.unit_id AS user_unit_id, hu.name AS person").
		ColumnExpr("EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = h.case_id AND m.user_id = h.user_id) AS user_is_member").
		Join("JOIN cases AS hc ON hc.id = h.case_id").
		Join("JOIN users AS hu ON hu.id = h.user_id")
}

func (s *Service) selectHours(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("work_hours AS h").Apply(hourColumns)
}

// HourList is the collection of the entries an employee may view (scope.HourView, the same
// rule as DecideHours), each masked as DecideHours decides (CASE-5..8). Price sorts only
// where no visible entry hides it.
func (s *Service) HourList(a domain.Actor) listing.Spec[Hour] {
	sorts := map[string]string{"workDate": "h.work_date", "minutes": "h.minutes", "createdAt": "h.created_at"}
	if scope.HourFinancialsSortable(a.Subject) {
		sorts["price"] = "(h.unit_price * h.minutes / 60)"
	}
	return listing.Spec[Hour]{DB: s.env.DB, Table: "work_hours AS h", Extend: hourColumns, Scope: scope.HourView(a.Subject, "h"), Sorts: sorts,
		Filters: map[string]string{"case": "h.case_id", "user": "h.user_id", "approvalStatus": "h.approval_status", "workDate": "h.work_date"},
		Include: []string{"case", "user", "phase"}, Cursor: map[string]bool{"workDate": true, "minutes": true},
		Keep: func(h *Hour) bool {
			h.Decision = rights.DecideHours(a.Subject, rights.HourView, h.Attrs())
			if !h.Decision.Allow {
				s.env.Log.Error("hour scope leak", "hour", h.ID, "user", a.User.ID)
			}
			return h.Decision.Allow
		}}
}

// CaseHours lists the work hours of a case shared with a contact, newest first, and their
// number. They belong to the Other section (EXT-3): without it the list is
// apperr.NotFound, like an unshared case (EXT-8).
func (s *Service) CaseHours(ctx context.Context, a domain.Actor, caseID int64, w domain.Window) ([]Hour, int64, error) {
	g, err := s.sharedHours(ctx, a, caseID, sharing.ViewHours)
	if err != nil {
		return nil, 0, err
	}
	var rows []Hour
	n, err := s.selectHours(s.env.DB, &rows).Where("h.case_id = ?", caseID).OrderExpr("h.work_date DESC, h.id DESC").
		Limit(w.Limit).Offset(w.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list work hours of case")
	}
	for i := range rows {
		rows[i].Grant = g
	}
	return rows, int64(n), nil
}

// Hour returns one entry as a sees it: apperr.NotFound when they may not view it (STYLE
// rule 3, EXT-8).
func (s *Service) Hour(ctx context.Context, a domain.Actor, id int64) (*Hour, error) {
	return s.loadHour(ctx, s.env.DB, a, id, rights.HourView)
}

// HoursByID returns the entries of ids that a may view, masked, in one query (include).
func (s *Service) HoursByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Hour, error) {
	return domain.ByID(ctx, func(rows any) *bun.SelectQuery { return s.selectHours(s.env.DB, rows) }, "h.id", ids, "work hours",
		func(h *Hour) bool {
			h.Decision = rights.DecideHours(a.Subject, rights.HourView, h.Attrs())
			return h.Decision.Allow
		})
}

// loadHour loads one entry and decides action on it: invisible → NotFound, visible but
// refused → Forbidden. An employee is decided by DecideHours; a contact by the grant of the
// share (the Other section to view, the Approve right to approve: EXT-2, EXT-3, EXT-6).
func (s *Service) loadHour(ctx context.Context, db bun.IDB, a domain.Actor, id int64, action rights.HourAction) (*Hour, error) {
	var h Hour
	if err := s.selectHours(db, &h).Where("h.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "work hour", id)
	}
	if a.IsContact() {
		g, err := sharing.OfObject(ctx, db, s.env.Now(), *a.Contact, h.CaseID, sharing.ViewHours, "work hour", id)
		if err != nil {
			return nil, err
		}
		h.Grant = g
		switch action {
		case rights.HourView:
			return &h, nil
		case rights.HourApprove:
			return &h, g.Check(sharing.ApproveHours, "")
		}
		return nil, apperr.E(apperr.Forbidden, "A contact may only approve or reject work hours.").Because("EXT-6")
	}
	var err error
	h.Decision, err = domain.DecideAction(rights.DecideHours, a.Subject, rights.HourView, action, h.Attrs(), "work hour", id)
	return &h, err
}

// HourInput is a new entry or a change of one; nil fields stay as they are.
type HourInput struct {
	WorkDate    *string
	Minutes     *int
	Description *string
	Billable    *bool
	CaseID      *int64                  // create only
	UserID      *int64                  // create only: whose hours (default: the actor)
	PhaseID     jsonapi.Nullable[int64] // a phase of the entry's case, or null
}

func (in *HourInput) apply(ctx context.Context, tx bun.IDB, h *Hour) error {
	if err := domain.SetDate("workDate", in.WorkDate, &h.WorkDate); err != nil {
		return err
	}
	if err := domain.SetInRange("minutes", in.Minutes, model.MinutesRange, &h.Minutes); err != nil {
		return err
	}
	if in.Description != nil {
		h.Description = strings.TrimSpace(*in.Description)
	}
	if in.Billable != nil {
		h.Billable = *in.Billable
	}
	if !in.PhaseID.Set {
		return nil
	}
	if in.PhaseID.Null {
		h.PhaseID = nil
		return nil
	}
	id := in.PhaseID.Value
	ok, err := tx.NewSelect().Model((*model.Phase)(nil)).Where("id = ? AND case_id = ?", id, h.CaseID).Exists(ctx)
	if err != nil {
		return apperr.Wrap(err, "check phase of work hour")
	}
	if !ok {
		return apperr.E(apperr.Invalid, "Phase %d is not a phase of this case.", id).AtPointer("/data/relationships/phase")
	}
	h.PhaseID = &id
	return nil
}

func hourSnapshot(h *Hour) map[string]any {
	return map[string]any{"workDate": string(h.WorkDate), "minutes": h.Minutes, "description": h.Description,
		"billable": h.Billable, "phase": h.PhaseID, "approvalStatus": h.ApprovalStatus, "rejectComment": h.RejectComment,
		"approvedByUser": h.ApprovedByUserID, "approvedByContact": h.ApprovedByContactID,
		"price": h.Price(), "cost": h.Cost()}
}

func hourEntry(h *Hour, e *history.Entry) { e.CaseID, e.SubjectUserID = h.CaseID, h.UserID }

// CreateHour enters hours on a case: members and owners on their cases (CASE-12, ACC-3,
// CASE-1), managers for subordinates (USR-2, USR-4). Prices come from the user's rates.
// Errors: apperr.Invalid, apperr.NotFound (case), apperr.Forbidden.
func (s *Service) CreateHour(ctx context.Context, a domain.Actor, in HourInput) (*Hour, error) {
	if in.CaseID == nil || in.WorkDate == nil || in.Minutes == nil {
		return nil, apperr.E(apperr.Invalid, "workDate, minutes and the case relationship are required").AtPointer("/data")
	}
	var out *Hour
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		c, err := domain.CaseForWork(ctx, tx, a, *in.CaseID)
		if err != nil {
			return err
		}
		user := a.User
		if in.UserID != nil {
			var u model.User
			if err := tx.NewSelect().Model(&u).Where("id = ? AND active", *in.UserID).Scan(ctx); err != nil {
				if !domain.IsNoRows(err) {
					return apperr.Wrap(err, "load user of work hour")
				}
				return apperr.E(apperr.Invalid, "No active user %d.", *in.UserID).AtPointer("/data/relationships/user")
			}
			user = &u
		}
		member, err := tx.NewSelect().Model((*model.CaseMember)(nil)).Where("case_id = ? AND user_id = ?", c.ID, user.ID).Exists(ctx)
		if err != nil {
			return apperr.Wrap(err, "check membership")
		}
		now := s.env.Now().UTC()
		h := &Hour{WorkHour: model.WorkHour{CaseID: c.ID, UserID: user.ID, Billable: true, UnitPrice: user.HourlyPrice,
			UnitCost: user.HourlyCost, ApprovalStatus: domain.Pending, Version: 1, CreatedAt: now, UpdatedAt: now},
			CaseOwnerID: c.OwnerID, CaseUnitID: c.UnitID, CaseAccountID: c.AccountID, UserUnitID: user.UnitID, UserIsMember: member,
			Person: user.Name}
		if d := rights.DecideHours(a.Subject, rights.HourCreate, h.Attrs()); !d.Allow {
			return domain.Denied(d)
		}
		if err := in.apply(ctx, tx, h); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&h.WorkHour).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert work hour")
		}
		if err := casefigures.Refresh(ctx, tx, h.CaseID); err != nil {
			return apperr.Wrap(err, "work hour")
		}
		if err := s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "work-hours", ResourceID: h.ID,
			CaseID: h.CaseID, SubjectUserID: h.UserID, Changes: history.Diff(nil, hourSnapshot(h))}); err != nil {
			return err
		}
		if err := notify.Record(ctx, tx, a, now, notify.Event{Kind: notify.HourPending, CaseID: h.CaseID, ObjectID: h.ID, Minutes: h.Minutes}); err != nil {
			return err
		}
		h.Decision = rights.DecideHours(a.Subject, rights.HourView, h.Attrs())
		out = h
		return nil
	})
	return out, err
}

// lockedHour: an invoiced entry is part of an accounting record until a credit note frees
// it; an approved one was signed off and must be rejected first.
func lockedHour(h *Hour) error {
	if h.InvoiceID != nil {
		return apperr.E(apperr.Conflict, "The entry is on an invoice and can no longer change.")
	}
	if h.ApprovalStatus == domain.Approved {
		return apperr.E(apperr.Conflict, "The entry is approved; reject it first to change it.")
	}
	return nil
}

// UpdateHour changes an entry (CASE-12, USR-2, USR-4). A corrected rejected entry goes back
// for approval. Errors: apperr.NotFound, apperr.Forbidden, apperr.Invalid, apperr.Stale,
// apperr.Conflict (invoiced or approved).
func (s *Service) UpdateHour(ctx context.Context, a domain.Actor, id int64, in HourInput, x domain.Expect) (*Hour, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Hour]{Table: "work_hours", Resource: "work-hours", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*Hour, error) {
			h, err := s.loadHour(ctx, tx, a, id, rights.HourEdit)
			if err != nil {
				return nil, err
			}
			return h, lockedHour(h)
		},
		Snapshot: hourSnapshot,
		Apply: func(ctx context.Context, tx bun.IDB, h *Hour) error {
			if err := in.apply(ctx, tx, h); err != nil {
				return err
			}
			if h.ApprovalStatus == domain.Rejected {
				h.ApprovalStatus = domain.Pending
			}
			h.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, h *Hour) *bun.UpdateQuery {
			return q.Set("work_date = ?", h.WorkDate).Set("minutes = ?", h.Minutes).Set("description = ?", h.Description).
				Set("billable = ?", h.Billable).Set("phase_id = ?", h.PhaseID).Set("approval_status = ?", h.ApprovalStatus).
				Set("updated_at = ?", h.UpdatedAt)
		},
		Entry: hourEntry,
		After: func(ctx context.Context, tx bun.IDB, h *Hour) error { return refreshFigures(ctx, tx, h.CaseID) },
	})
}

func refreshFigures(ctx context.Context, tx bun.IDB, caseID int64) error {
	if err := casefigures.Refresh(ctx, tx, caseID); err != nil {
		return apperr.Wrap(err, "refresh figures of case")
	}
	return nil
}

// DeleteHour deletes an entry that is neither invoiced nor approved. Errors:
// apperr.NotFound, apperr.Forbidden, apperr.Conflict.
func (s *Service) DeleteHour(ctx context.Context, a domain.Actor, id int64) error {
	return domain.Remove(ctx, s.env, a, domain.Removal[*Hour]{Table: "work_hours", Resource: "work-hours",
		Load: func(ctx context.Context, tx bun.IDB) (*Hour, error) {
			return s.loadHour(ctx, tx, a, id, rights.HourDelete)
		},
		Check:    func(_ context.Context, _ bun.IDB, h *Hour) error { return lockedHour(h) },
		After:    func(ctx context.Context, tx bun.IDB, h *Hour) error { return refreshFigures(ctx, tx, h.CaseID) },
		Snapshot: hourSnapshot, Entry: hourEntry})
}

// ErrInvoicedHour refuses a decision on an invoiced entry.
var ErrInvoicedHour = apperr.E(apperr.Conflict, "The entry is on an invoice: its approval cannot change until a credit note frees it.")

// DecideHour approves (approve) or rejects an entry, for an employee with the approval right
// (WHA-1..7) and for a contact with the Approve right on a share showing hours (EXT-2, EXT-3,
// EXT-6) alike: one function, so that the firm and the portal cannot disagree. A rejection
// needs a comment, which approval clears. Deciding again what is already decided that way
// by the same person changes nothing.
//
// The invoiced-hour rule: approval never gates billing (WHA-8), so hours are invoiced
// whatever their state, and an invoiced entry's approval is frozen for everyone, employee
// or contact, until a credit note frees it (ErrInvoicedHour).
//
// Errors: apperr.NotFound, apperr.Forbidden, apperr.Invalid, apperr.Stale, apperr.Conflict.
func (s *Service) DecideHour(ctx context.Context, a domain.Actor, id int64, approve bool, comment string, x domain.Expect) (*Hour, error) {
	status, comment, err := domain.Decision(approve, comment)
	if err != nil {
		return nil, err
	}
	if approve {
		comment = "" // an entry keeps only the reason of a rejection
	}
	return domain.Save(ctx, s.env, a, domain.Update[*Hour]{Table: "work_hours", Resource: "work-hours", Expect: x, SkipUnchanged: true,
		Load: func(ctx context.Context, tx bun.IDB) (*Hour, error) {
			h, err := s.loadHour(ctx, tx, a, id, rights.HourApprove)
			if err != nil {
				return nil, err
			}
			if h.InvoiceID != nil {
				return nil, ErrInvoicedHour
			}
			return h, nil
		},
		Snapshot: hourSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, h *Hour) error {
			now := s.env.Now().UTC()
			h.ApprovalStatus, h.RejectComment, h.ApprovedAt, h.UpdatedAt = status, comment, &now, now
			h.ApprovedByUserID, h.ApprovedByContactID = nil, nil
			if a.IsContact() {
				h.ApprovedByContactID = &a.Contact.ID
			} else {
				h.ApprovedByUserID = &a.User.ID
			}
			return nil
		},
		Set: func(q *bun.UpdateQuery, h *Hour) *bun.UpdateQuery {
			return q.Set("approval_status = ?", h.ApprovalStatus).Set("reject_comment = ?", h.RejectComment).
				Set("approved_by_user_id = ?", h.ApprovedByUserID).Set("approved_by_contact_id = ?", h.ApprovedByContactID).
				Set("approved_at = ?", h.ApprovedAt).Set("updated_at = ?", h.UpdatedAt)
		},
		Entry: hourEntry,
		After: func(ctx context.Context, tx bun.IDB, h *Hour) error {
			return notify.Record(ctx, tx, a, s.env.Now(), notify.HourDecided(h.CaseID, h.ID, approve, comment, h.Minutes))
		},
	})
}

var hourActions = map[string]rights.HourAction{
	"view": rights.HourView, "edit": rights.HourEdit, "delete": rights.HourDelete,
	"approve": rights.HourApprove, "bill": rights.HourBill,
}

// ExplainHour decides action ("view", "edit", "delete", "approve", "bill") on entry id for
// another employee's subject, for GET /access/explain. Errors: apperr.Invalid (action),
// apperr.NotFound.
func (s *Service) ExplainHour(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	return domain.Explain(subject, hourActions, action, "work-hours", rights.DecideHours, func() (rights.HourAttrs, error) {
		var h Hour
		err := s.selectHours(s.env.DB, &h).Where("h.id = ?", id).Scan(ctx)
		return h.Attrs(), domain.Loaded(err, "work hour", id)
	})
}
