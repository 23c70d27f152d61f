package domain

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// CaseAttrs are what the rights decisions on a case depend on.
func CaseAttrs(c *model.Case) rights.CaseAttrs {
	return rights.CaseAttrs{ID: c.ID, OwnerID: c.OwnerID, UnitID: c.UnitID, AccountID: c.AccountID}
}

// CaseForWork loads the case an employee enters hours or travel on. Entering work needs no
// view right (ACC-3, CASE-1), but a case that is neither viewable nor one the employee is a
// member of is missing to them (STYLE rule 3), so that its existence does not leak. Whether
// they may enter work on it is the caller's decision, with the entry's attributes.
func CaseForWork(ctx context.Context, db bun.IDB, a Actor, id int64) (*model.Case, error) {
	var c model.Case
	if err := db.NewSelect().Model(&c).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, Loaded(err, "case", id)
	}
	if a.Subject == nil {
		return nil, NotFound("case", id)
	}
	view := rights.DecideCase(a.Subject, rights.CaseView, CaseAttrs(&c))
	if !view.Allow && !a.Subject.MemberOf.Has(c.ID) {
		return nil, NotFound("case", id)
	}
	return &c, nil
}

// CaseFor loads case id for an employee and decides action on it: NotFound when they may
// not view it (STYLE rule 3), Forbidden when they may view it but not act. It returns the
// view decision too, whose Hidden fields mask the case when rendered (CASE-5..8).
func CaseFor(ctx context.Context, db bun.IDB, a Actor, id int64, action rights.CaseAction) (*model.Case, rights.Decision, error) {
	var c model.Case
	if err := db.NewSelect().Model(&c).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, rights.Decision{}, Loaded(err, "case", id)
	}
	if a.Subject == nil {
		return nil, rights.Decision{}, NotFound("case", id)
	}
	view, err := DecideAction(rights.DecideCase, a.Subject, rights.CaseView, action, CaseAttrs(&c), "case", id)
	return &c, view, err
}
