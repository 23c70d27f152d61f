package work

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// Travel is a travel reimbursement claim with what its decisions depend on.
type Travel struct {
	model.TravelReimbursement `bun:",extend"`
	UserUnitID                int64 `bun:"user_unit_id"`
	// The attributes of the claim's case, when it names one.
	CaseOwnerID   *int64 `bun:"case_owner_id"`
	CaseUnitID    *int64 `bun:"case_unit_id"`
	CaseAccountID *int64 `bun:"case_account_id"`
}

// Versioned implements domain.Versioned.
func (t *Travel) Versioned() (int64, *int64) { return t.ID, &t.Version }

// Attrs are what the rights decisions on the claim depend on.
func (t *Travel) Attrs() rights.TravelAttrs {
	a := rights.TravelAttrs{UserID: t.UserID, UserUnitID: t.UserUnitID}
	if t.CaseID != nil && t.CaseOwnerID != nil {
		a.Case = &rights.CaseAttrs{ID: *t.CaseID, OwnerID: *t.CaseOwnerID, UnitID: *t.CaseUnitID, AccountID: *t.CaseAccountID}
	}
	return a
}

func travelColumns(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("t.*, tu.unit_id AS user_unit_id").
		ColumnExpr("tc.owner_id AS case_owner_id, tc.unit_id AS case_unit_id, tc.account_id AS case_account_id").
		Join("JOIN users AS tu ON tu.id = t.user_id").
		Join("LEFT JOIN cases AS tc ON tc.id = t.case_id")
}

func selectTravel(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("travel_reimbursements AS t").Apply(travelColumns)
}

// TravelList is the collection of the claims an employee may view (scope.TravelView, the
// same rule as DecideTravel: TRV-1..5).
func (s *Service) TravelList(a domain.Actor) listing.Spec[Travel] {
	return listing.Spec[Travel]{DB: s.env.DB, Table: "travel_reimbursements AS t", Extend: travelColumns, Scope: scope.TravelView(a.Subject, "t"),
		Sorts:   map[string]string{"travelDate": "t.travel_date", "amount": "t.amount", "createdAt": "t.created_at"},
		Filters: map[string]string{"user": "t.user_id", "status": "t.status", "case": "t.case_id"}, Include: []string{"user", "case"},
		Keep: func(t *Travel) bool {
			ok := rights.DecideTravel(a.Subject, rights.TravelView, t.Attrs()).Allow
			if !ok {
				s.env.Log.Error("travel scope leak", "travel", t.ID, "user", a.User.ID)
			}
			return ok
		}}
}

// Travel returns one claim as a sees it: apperr.NotFound when they may not view it
// (TRV-1..5, STYLE rule 3).
func (s *Service) Travel(ctx context.Context, a domain.Actor, id int64) (*Travel, error) {
	return s.loadTravel(ctx, s.env.DB, a, id, rights.TravelView)
}

// TravelByID returns the claims of ids that a may view, in one query (include).
func (s *Service) TravelByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Travel, error) {
	if a.Subject == nil {
		return nil, nil
	}
	return domain.ByID(ctx, func(rows any) *bun.SelectQuery { return selectTravel(s.env.DB, rows) }, "t.id", ids, "travel reimbursements",
		func(t *Travel) bool { return rights.DecideTravel(a.Subject, rights.TravelView, t.Attrs()).Allow })
}

// loadTravel loads one claim and decides action on it: invisible → NotFound, visible but
// refused → Forbidden. Claims are the firm's: a contact meets NotFound.
func (s *Service) loadTravel(ctx context.Context, db bun.IDB, a domain.Actor, id int64, action rights.TravelAction) (*Travel, error) {
	var t Travel
	if err := selectTravel(db, &t).Where("t.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "travel reimbursement", id)
	}
	if a.Subject == nil {
		return nil, domain.NotFound("travel reimbursement", id)
	}
	_, err := domain.DecideAction(rights.DecideTravel, a.Subject, rights.TravelView, action, t.Attrs(), "travel reimbursement", id)
	return &t, err
}

// TravelInput is a new claim or a change of one; nil fields stay as they are.
type TravelInput struct {
	TravelDate  *string
	Description *string
	Amount      *int64
	CaseID      *int64 // create only: the case travelled for, if any
}

func (in *TravelInput) apply(t *Travel) error {
	if err := domain.SetDate("travelDate", in.TravelDate, &t.TravelDate); err != nil {
		return err
	}
	if in.Description != nil {
		t.Description = strings.TrimSpace(*in.Description)
	}
	return domain.SetInRange("amount", in.Amount, model.MoneyRange, &t.Amount)
}

func travelSnapshot(t *Travel) map[string]any {
	return map[string]any{"travelDate": string(t.TravelDate), "description": t.Description, "amount": t.Amount, "status": t.Status, "case": t.CaseID}
}

// travelEntry names whose claim changed. The case is named on creation only.
func travelEntry(t *Travel, e *history.Entry) { e.SubjectUserID = t.UserID }

// refreshTravelCase recomputes the figures of a claim's case, if it has one: its amount is
// among the case's other expenses.
func refreshTravelCase(ctx context.Context, tx bun.IDB, t *Travel) error {
	if t.CaseID == nil {
		return nil
	}
	return refreshFigures(ctx, tx, *t.CaseID)
}

// lockedTravel: an approved claim was signed off.
func lockedTravel(t *Travel, doing string) error {
	if t.Status == domain.Approved {
		return apperr.E(apperr.Conflict, "An approved claim can no longer %s.", doing)
	}
	return nil
}

// CreateTravel enters one's own claim (TRV-2), on a case one is a member or owner of when
// it names one (CASE-12, ACC-3, CASE-1). Errors: apperr.Invalid, apperr.NotFound (case),
// apperr.Forbidden.
func (s *Service) CreateTravel(ctx context.Context, a domain.Actor, in TravelInput) (*Travel, error) {
	if in.TravelDate == nil || in.Amount == nil {
		return nil, apperr.E(apperr.Invalid, "travelDate and amount are required").AtPointer("/data/attributes")
	}
	if a.Subject == nil {
		return nil, apperr.E(apperr.Forbidden, "Only employees claim travel.").Because("TRV-2")
	}
	var out *Travel
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		now := s.env.Now().UTC()
		t := &Travel{TravelReimbursement: model.TravelReimbursement{UserID: a.User.ID, Status: domain.Pending, Version: 1,
			CreatedAt: now, UpdatedAt: now}, UserUnitID: a.User.UnitID}
		if in.CaseID != nil {
			c, err := domain.CaseForWork(ctx, tx, a, *in.CaseID)
			if err != nil {
				return err
			}
			t.CaseID, t.CaseOwnerID, t.CaseUnitID, t.CaseAccountID = &c.ID, &c.OwnerID, &c.UnitID, &c.AccountID
		}
		if d := rights.DecideTravel(a.Subject, rights.TravelAdd, t.Attrs()); !d.Allow {
			return domain.Denied(d)
		}
		if err := in.apply(t); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&t.TravelReimbursement).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert travel reimbursement")
		}
		if err := refreshTravelCase(ctx, tx, t); err != nil {
			return err
		}
		entry := history.Entry{Action: "create", ResourceType: "travel-reimbursements", ResourceID: t.ID,
			SubjectUserID: t.UserID, Changes: history.Diff(nil, travelSnapshot(t))}
		if t.CaseID != nil {
			entry.CaseID = *t.CaseID
		}
		if err := s.env.Record(ctx, tx, a, entry); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

// UpdateTravel changes one's own claim that is not approved (TRV-2); a changed claim goes
// back for approval. Errors: apperr.NotFound, apperr.Forbidden, apperr.Stale,
// apperr.Conflict (approved), apperr.Invalid.
func (s *Service) UpdateTravel(ctx context.Context, a domain.Actor, id int64, in TravelInput, x domain.Expect) (*Travel, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Travel]{Table: "travel_reimbursements", Resource: "travel-reimbursements", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*Travel, error) {
			return s.loadTravel(ctx, tx, a, id, rights.TravelEdit)
		},
		Snapshot: travelSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, t *Travel) error {
			if err := lockedTravel(t, "change"); err != nil {
				return err
			}
			if err := in.apply(t); err != nil {
				return err
			}
			t.Status, t.UpdatedAt = domain.Pending, s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, t *Travel) *bun.UpdateQuery {
			return q.Set("travel_date = ?", t.TravelDate).Set("description = ?", t.Description).Set("amount = ?", t.Amount).
				Set("status = ?", t.Status).Set("updated_at = ?", t.UpdatedAt)
		},
		Entry: travelEntry,
		After: refreshTravelCase,
	})
}

// DeleteTravel deletes one's own claim that is not approved (TRV-2). Errors:
// apperr.NotFound, apperr.Forbidden, apperr.Conflict (approved).
func (s *Service) DeleteTravel(ctx context.Context, a domain.Actor, id int64) error {
	return domain.Remove(ctx, s.env, a, domain.Removal[*Travel]{Table: "travel_reimbursements", Resource: "travel-reimbursements",
		Load: func(ctx context.Context, tx bun.IDB) (*Travel, error) {
			return s.loadTravel(ctx, tx, a, id, rights.TravelDelete)
		},
		Check:    func(_ context.Context, _ bun.IDB, t *Travel) error { return lockedTravel(t, "be deleted") },
		After:    refreshTravelCase,
		Snapshot: travelSnapshot, Entry: travelEntry})
}

// DecideTravel approves (approve) or rejects a claim: approvers of subordinates, of their
// own unit or of everyone (TRV-3..5); only approve_all approves one's own (TRV-5). Errors:
// apperr.NotFound, apperr.Forbidden, apperr.Stale.
func (s *Service) DecideTravel(ctx context.Context, a domain.Actor, id int64, approve bool) (*Travel, error) {
	status := domain.Rejected
	if approve {
		status = domain.Approved
	}
	return domain.Save(ctx, s.env, a, domain.Update[*Travel]{Table: "travel_reimbursements", Resource: "travel-reimbursements", Expect: domain.AnyVersion,
		Load: func(ctx context.Context, tx bun.IDB) (*Travel, error) {
			return s.loadTravel(ctx, tx, a, id, rights.TravelApprove)
		},
		Snapshot: travelSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, t *Travel) error {
			now := s.env.Now().UTC()
			t.Status, t.ApprovedByUserID, t.ApprovedAt, t.UpdatedAt = status, &a.User.ID, &now, now
			return nil
		},
		Set: func(q *bun.UpdateQuery, t *Travel) *bun.UpdateQuery {
			return q.Set("status = ?", t.Status).Set("approved_by_user_id = ?", t.ApprovedByUserID).Set("approved_at = ?", t.ApprovedAt).
				Set("updated_at = ?", t.UpdatedAt)
		},
		Entry: travelEntry,
	})
}
