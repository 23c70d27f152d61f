package cases

import (
	"context"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// Statuses are the statuses a case can have, whoever sets them.
var Statuses = []string{"open", "in_progress", "on_hold", "closed"}

func caseStatusValid(status string) error {
	if !slices.Contains(Statuses, status) {
		return apperr.E(apperr.Invalid, "status must be open, in_progress, on_hold or closed").AtPointer("/data/attributes/status")
	}
	return nil
}

// CaseInput is a new case or a change of one; nil (unset) fields stay as they are. Owner and
// unit are the server's: the creator owns a new case in their unit (ORG-4), and the derived
// figures are never written.
type CaseInput struct {
	Name              *string
	Status            *string
	StartsOn          jsonapi.Nullable[string]
	EndsOn            jsonapi.Nullable[string]
	ExpectedOrderDate jsonapi.Nullable[string]
	BillingForecast   *int64
	ExpenseForecast   *int64
	ExpectedValue     *int64
	Probability       *int
	AccountID         *int64 // create only
}

// hidden refuses a sent field that d hides (CASE-5, CASE-7): nobody writes what they may not
// read.
func (in *CaseInput) hidden(d rights.Decision) error {
	for _, f := range []struct {
		name string
		set  bool
	}{{"billingForecast", in.BillingForecast != nil}, {"expenseForecast", in.ExpenseForecast != nil},
		{"expectedValue", in.ExpectedValue != nil}, {"probability", in.Probability != nil}, {"expectedOrderDate", in.ExpectedOrderDate.Set}} {
		if f.set && d.Hidden.Hides(f.name) {
			return apperr.E(apperr.Forbidden, "You may not see %s of this case, so you may not write it.", f.name).
				AtPointer("/data/attributes/" + f.name).Because("CASE-5,CASE-7")
		}
	}
	return nil
}

// apply validates the input and makes the change on c in memory.
func (in *CaseInput) apply(c *model.Case, d rights.Decision) error {
	if err := in.hidden(d); err != nil {
		return err
	}
	if in.Name != nil {
		if strings.TrimSpace(*in.Name) == "" {
			return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
		}
		c.Name = strings.TrimSpace(*in.Name)
	}
	if in.Status != nil {
		if err := caseStatusValid(*in.Status); err != nil {
			return err
		}
		c.Status = *in.Status
	}
	for _, f := range []struct {
		name string
		in   jsonapi.Nullable[string]
		out  *model.Date
	}{{"startsOn", in.StartsOn, &c.StartsOn}, {"endsOn", in.EndsOn, &c.EndsOn}, {"expectedOrderDate", in.ExpectedOrderDate, &c.ExpectedOrderDate}} {
		if err := partDate(f.name, f.in, f.out); err != nil {
			return err
		}
	}
	for _, f := range []struct {
		name string
		in   *int64
		out  *int64
	}{{"billingForecast", in.BillingForecast, &c.BillingForecast}, {"expenseForecast", in.ExpenseForecast, &c.ExpenseForecast},
		{"expectedValue", in.ExpectedValue, &c.ExpectedValue}} {
		if err := domain.SetInRange(f.name, f.in, model.MoneyRange, f.out); err != nil {
			return err
		}
	}
	if in.Probability != nil {
		if *in.Probability < 0 || *in.Probability > 100 {
			return apperr.E(apperr.Invalid, "probability is a percentage 0..100").AtPointer("/data/attributes/probability")
		}
		c.Probability = *in.Probability
	}
	if c.StartsOn != "" && c.EndsOn != "" && c.EndsOn < c.StartsOn {
		return apperr.E(apperr.Invalid, "endsOn is before startsOn").AtPointer("/data/attributes/endsOn")
	}
	return nil
}

func caseSnapshot(c *model.Case) map[string]any {
	return map[string]any{"name": c.Name, "status": c.Status, "startsOn": string(c.StartsOn), "endsOn": string(c.EndsOn),
		"billingForecast": c.BillingForecast, "expenseForecast": c.ExpenseForecast, "expectedValue": c.ExpectedValue,
		"probability": c.Probability, "expectedOrderDate": string(c.ExpectedOrderDate), "owner": c.OwnerID,
		"unit": c.UnitID, "account": c.AccountID}
}

// caseRightsChanged moves the rights epoch in the writer's transaction: memberships are part
// of every subject (CASE-2, PRF-6), so a change applies on the very next request.
func caseRightsChanged(ctx context.Context, tx bun.IDB) error {
	if err := access.Bump(ctx, tx); err != nil {
		return apperr.Wrap(err, "record a rights change")
	}
	return nil
}

// MayCreateCase decides whether employee a may add a case (CASE-3, ACC-2). The decision's
// Hidden fields are what the creator may not write on it (CASE-5, CASE-7). Errors:
// apperr.Forbidden.
func (s *Service) MayCreateCase(a domain.Actor) (rights.Decision, error) {
	d := rights.DecideCase(a.Subject, rights.CaseCreate, rights.CaseAttrs{OwnerID: a.User.ID, UnitID: a.User.UnitID})
	if !d.Allow {
		return d, domain.Denied(d)
	}
	return d, nil
}

// CreateCase adds a case (CASE-3, ACC-2): the actor owns it, in their own unit, and is its
// first member (ORG-4), which moves the rights epoch. Errors: apperr.Forbidden,
// apperr.Invalid (a required field, a bad value, no such account).
func (s *Service) CreateCase(ctx context.Context, a domain.Actor, in CaseInput) (*Case, error) {
	d, err := s.MayCreateCase(a)
	if err != nil {
		return nil, err
	}
	if in.Name == nil || in.AccountID == nil {
		return nil, apperr.E(apperr.Invalid, "name and the account relationship are required").AtPointer("/data")
	}
	now := s.env.Now().UTC()
	c := &model.Case{OwnerID: a.User.ID, UnitID: a.User.UnitID, AccountID: *in.AccountID, Status: "open", Probability: 100,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := in.apply(c, d); err != nil {
		return nil, err
	}
	err = s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		if err := crm.AccountRef(ctx, tx, c.AccountID); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(c).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert case")
		}
		if _, err := tx.NewInsert().Model(&model.CaseMember{CaseID: c.ID, UserID: a.User.ID, CreatedAt: now}).Exec(ctx); err != nil {
			return apperr.Wrap(err, "add owner as member of case")
		}
		if err := caseRightsChanged(ctx, tx); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "cases", ResourceID: c.ID, CaseID: c.ID,
			Changes: history.Diff(nil, caseSnapshot(c))})
	})
	if err != nil {
		return nil, err
	}
	return s.Case(ctx, a, c.ID)
}

// CaseFor returns case id with its figures once employee a may take action on it, so that a
// request's body is read only then: NotFound when they may not view it (STYLE rule 3),
// Forbidden when they may view it but not act. Its Decision's Hidden fields are what they
// may neither read nor write (CASE-5..8).
func (s *Service) CaseFor(ctx context.Context, a domain.Actor, id int64, action rights.CaseAction) (*Case, error) {
	return caseFor(ctx, s.env.DB, a, id, action)
}

// caseSave runs one change of case id through the one write path (domain.Save): load decides,
// apply changes the case in memory.
func (s *Service) caseSave(ctx context.Context, a domain.Actor, id int64, x domain.Expect, skipUnchanged bool,
	load func(ctx context.Context, tx bun.IDB) (*Case, error), apply func(c *Case) error) (*Case, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Case]{Table: "cases", Resource: "cases", Expect: x, SkipUnchanged: skipUnchanged,
		Load:     load,
		Snapshot: func(c *Case) map[string]any { return caseSnapshot(&c.Case) },
		Apply: func(_ context.Context, _ bun.IDB, c *Case) error {
			if err := apply(c); err != nil {
				return err
			}
			c.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, c *Case) *bun.UpdateQuery {
			return q.Set("name = ?", c.Name).Set("status = ?", c.Status).Set("starts_on = ?", c.StartsOn).
				Set("ends_on = ?", c.EndsOn).Set("billing_forecast = ?", c.BillingForecast).
				Set("expense_forecast = ?", c.ExpenseForecast).Set("expected_value = ?", c.ExpectedValue).
				Set("probability = ?", c.Probability).Set("expected_order_date = ?", c.ExpectedOrderDate).
				Set("updated_at = ?", c.UpdatedAt)
		},
		Entry: func(c *Case, e *history.Entry) { e.CaseID = c.ID },
	})
}

// UpdateCase changes a case: owner-like employees only (CASE-4, CASE-12), never a field they
// may not see (CASE-5, CASE-7). Errors: apperr.NotFound, apperr.Forbidden, apperr.Stale,
// apperr.Invalid.
func (s *Service) UpdateCase(ctx context.Context, a domain.Actor, id int64, in CaseInput, x domain.Expect) (*Case, error) {
	return s.caseSave(ctx, a, id, x, false,
		func(ctx context.Context, tx bun.IDB) (*Case, error) { return caseFor(ctx, tx, a, id, rights.CaseEdit) },
		func(c *Case) error { return in.apply(&c.Case, c.Decision) })
}

// SetStatus sets the status of case id, for an employee who may edit it (CASE-4, CASE-12)
// and for a portal contact with the change-status right on its share, where the status is
// shown (EXT-3, EXT-6): one action, so that the firm and the portal cannot disagree on what a
// status is. Setting the status it already has changes nothing. Errors: apperr.NotFound (an
// invisible or unshared case: CASE-1, EXT-8), apperr.Forbidden, apperr.Invalid,
// apperr.Stale.
func (s *Service) SetStatus(ctx context.Context, a domain.Actor, id int64, status string, x domain.Expect) (*Case, error) {
	return s.caseSave(ctx, a, id, x, true,
		func(ctx context.Context, tx bun.IDB) (*Case, error) {
			c, err := s.caseToSetStatus(ctx, tx, a, id)
			if err != nil {
				return nil, err
			}
			return c, caseStatusValid(status)
		},
		func(c *Case) error {
			c.Status = status
			return nil
		})
}

// caseToSetStatus loads case id for a status change by a and decides it.
func (s *Service) caseToSetStatus(ctx context.Context, tx bun.IDB, a domain.Actor, id int64) (*Case, error) {
	if !a.IsContact() {
		return caseFor(ctx, tx, a, id, rights.CaseEdit)
	}
	if _, err := s.partShared(ctx, tx, a, id, sharing.ChangeStatus, ""); err != nil {
		return nil, err
	}
	var c Case
	if err := tx.NewSelect().Model(&c).ModelTableExpr("cases AS c").Apply(WithFigures).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "case", id)
	}
	return &c, nil
}

// DeleteCase deletes a case (CASE-13). Only a case without invoices, hours or travel can go:
// those are other people's records and accounting, so such a case is closed instead. Its
// phases, files, comments, members and share go with it (ON DELETE CASCADE), which moves the
// rights epoch, and so do its stored files once the deletion is committed. Errors:
// apperr.NotFound, apperr.Forbidden, apperr.Conflict.
func (s *Service) DeleteCase(ctx context.Context, a domain.Actor, id int64) error {
	var keys []string
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		c, _, err := domain.CaseFor(ctx, tx, a, id, rights.CaseDelete)
		if err != nil {
			return err
		}
		for _, kept := range []struct {
			what  string
			model any
		}{{"invoices", (*model.Invoice)(nil)}, {"work hours", (*model.WorkHour)(nil)}, {"travel reimbursements", (*model.TravelReimbursement)(nil)}} {
			n, err := tx.NewSelect().Model(kept.model).Where("case_id = ?", c.ID).Count(ctx)
			if err != nil {
				return apperr.Wrap(err, "count "+kept.what+" of case")
			}
			if n > 0 {
				return apperr.E(apperr.Conflict, "The case has %d %s; close it instead of deleting it.", n, kept.what)
			}
		}
		if err := tx.NewSelect().Model((*model.File)(nil)).Column("storage_key").Where("case_id = ? AND storage_key IS NOT NULL", c.ID).
			Scan(ctx, &keys); err != nil {
			return apperr.Wrap(err, "list files of case")
		}
		if _, err := tx.NewDelete().Model((*model.Case)(nil)).Where("id = ?", c.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete case")
		}
		if err := caseRightsChanged(ctx, tx); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "delete", ResourceType: "cases", ResourceID: c.ID, CaseID: c.ID,
			Changes: history.Diff(caseSnapshot(c), nil)})
	})
	if err != nil {
		return err
	}
	s.caseObjectsGone(context.WithoutCancel(ctx), keys)
	return nil
}

// caseObjectsGone removes the stored objects of a deleted case's files. A failure leaves an
// orphan object, not a wrong record, so it is logged for operators and the deletion stands.
func (s *Service) caseObjectsGone(ctx context.Context, keys []string) {
	if s.files == nil {
		return
	}
	for _, key := range keys {
		if err := s.files.Delete(ctx, key); err != nil {
			s.env.Log.Warn("file object left behind", "key", key, "err", err)
		}
	}
}
