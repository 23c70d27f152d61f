package extranet

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// CaseStatuses are the statuses a case can have, the same set the internal API accepts.
var CaseStatuses = []string{"open", "in_progress", "on_hold", "closed"}

// CaseView is a shared case with the contact's grant on it. What the contact may see of
// it is decided by Grant (EXT-3); the converters of the portal drop the rest.
type CaseView struct {
	Case        model.Case
	Grant       Grant
	AccountName string
	// InvoicedTotal sums the case's invoices past draft (billing.PastDraft) in minor units;
	// it is loaded only with the Financials section, and zero without it.
	InvoicedTotal int64
	Currency      string
}

// Cases lists the cases shared with who, by name (EXT-5): only live shares on cases of the
// contact's own account.
func (s *Service) Cases(ctx context.Context, who *Contact) ([]CaseView, error) {
	grants, err := sharing.All(ctx, s.db, s.now(), who.Ref())
	if err != nil {
		return nil, err
	}
	if len(grants) == 0 {
		return []CaseView{}, nil
	}
	byCase := map[int64]Grant{}
	ids := make([]int64, 0, len(grants))
	for _, g := range grants {
		byCase[g.CaseID] = g
		ids = append(ids, g.CaseID)
	}
	var cases []model.Case
	if err := s.db.NewSelect().Model(&cases).Where("id IN (?)", bun.In(ids)).OrderExpr("name, id").Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "list shared cases")
	}
	out := make([]CaseView, 0, len(cases))
	for _, c := range cases {
		v, err := s.caseView(ctx, s.db, c, byCase[c.ID])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Case returns one shared case, or apperr.NotFound when it is not shared with who (EXT-8).
func (s *Service) Case(ctx context.Context, who *Contact, id int64) (CaseView, error) {
	g, err := s.grant(ctx, s.db, who, id)
	if err != nil {
		return CaseView{}, err
	}
	var c model.Case
	if err := s.db.NewSelect().Model(&c).Where("id = ?", id).Scan(ctx); err != nil {
		return CaseView{}, apperr.Wrap(err, "load shared case")
	}
	return s.caseView(ctx, s.db, c, g)
}

// caseView adds the account name and, with the Financials section only, the figures.
func (s *Service) caseView(ctx context.Context, db bun.IDB, c model.Case, g Grant) (CaseView, error) {
	v := CaseView{Case: c, Grant: g}
	if err := db.NewSelect().Table("accounts").Column("name").Where("id = ?", c.AccountID).Scan(ctx, &v.AccountName); err != nil {
		return v, apperr.Wrap(err, "load account name")
	}
	if !g.Can(ViewFinancials) {
		return v, nil
	}
	if err := db.NewSelect().TableExpr("invoices AS i").ColumnExpr("COALESCE(SUM(i.total), 0)").
		Join("JOIN invoice_statuses AS st ON st.id = i.status_id").
		Where("i.case_id = ?", c.ID).Where(billing.PastDraft).Scan(ctx, &v.InvoicedTotal); err != nil {
		return v, apperr.Wrap(err, "sum invoices")
	}
	if err := db.NewSelect().Table("settings").Column("currency").Where("id = 1").Scan(ctx, &v.Currency); err != nil && !isNoRows(err) {
		return v, apperr.Wrap(err, "load currency")
	}
	return v, nil
}

// SetCaseStatus changes the status of a shared case (EXT-6): it needs the Other section,
// where the status is shown, and the change-status right. version is the case version the
// contact saw; another version answers apperr.Stale, as in the internal API. Errors:
// apperr.NotFound, apperr.Forbidden, apperr.Invalid, apperr.Stale.
func (s *Service) SetCaseStatus(ctx context.Context, who *Contact, id int64, status string, version int64) (CaseView, error) {
	var out CaseView
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		g, err := s.grant(ctx, tx, who, id)
		if err != nil {
			return err
		}
		if err := g.Check(ChangeStatus, ""); err != nil {
			return err
		}
		if !slices.Contains(CaseStatuses, status) {
			return apperr.E(apperr.Invalid, "status must be open, in_progress, on_hold or closed").AtPointer("/data/attributes/status")
		}
		var c model.Case
		if err := tx.NewSelect().Model(&c).Where("id = ?", id).Scan(ctx); err != nil {
			return apperr.Wrap(err, "load case for status change")
		}
		if version != c.Version {
			return apperr.E(apperr.Stale, "The case changed since version %d; it is now at version %d. Reload and retry.", version, c.Version)
		}
		if c.Status != status {
			now := s.now().UTC()
			if err := db.BumpVersion(ctx, tx, "cases", c.ID, c.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
				return q.Set("status = ?", status).Set("updated_at = ?", now)
			}); err != nil {
				return err
			}
			if err := s.record(ctx, tx, who, "update", "cases", c.ID, c.ID, map[string]history.Change{"status": {Before: c.Status, After: status}}); err != nil {
				return err
			}
			c.Status, c.Version, c.UpdatedAt = status, c.Version+1, now
		}
		out, err = s.caseView(ctx, tx, c, g)
		return err
	})
	return out, err
}
