package cases

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// Phases, files and comments are the parts of a case: none has rights of its own. An
// employee sees a part of a case they may view and manages it with the case's rights
// (CASE-2, CASE-4); a contact sees it through the section of the share that shows it
// (EXT-3) and acts on it with their own rights (EXT-2, EXT-6).

// PartCase is the case a part belongs to, as the rights decisions on the part need it.
type PartCase struct {
	CaseOwnerID   int64 `bun:"case_owner_id"`
	CaseUnitID    int64 `bun:"case_unit_id"`
	CaseAccountID int64 `bun:"case_account_id"`
}

func (p PartCase) attrs(caseID int64) rights.CaseAttrs {
	return rights.CaseAttrs{ID: caseID, OwnerID: p.CaseOwnerID, UnitID: p.CaseUnitID, AccountID: p.CaseAccountID}
}

// partCaseFor loads the case of a new part for employee a and decides right on it
// (domain.CaseFor: NotFound when they may not view the case, Forbidden when they may not
// act), returning what the part's own decisions will need of it.
func partCaseFor(ctx context.Context, db bun.IDB, a domain.Actor, caseID int64, right rights.CaseAction) (PartCase, error) {
	c, _, err := domain.CaseFor(ctx, db, a, caseID, right)
	if err != nil {
		return PartCase{}, err
	}
	return PartCase{CaseOwnerID: c.OwnerID, CaseUnitID: c.UnitID, CaseAccountID: c.AccountID}, nil
}

// partCaseColumns adds the case of the parts aliased alias to a query over them.
func partCaseColumns(alias string) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.ColumnExpr("pc.owner_id AS case_owner_id, pc.unit_id AS case_unit_id, pc.account_id AS case_account_id").
			Join("JOIN cases AS pc ON pc.id = " + alias + ".case_id")
	}
}

// partEmployee decides act on part what/id of a case for an employee: NotFound when they may
// not view the case (STYLE rule 3), Forbidden when they may view it but not act.
func partEmployee(a domain.Actor, act rights.CaseAction, c rights.CaseAttrs, what string, id int64) error {
	if a.Subject == nil {
		return domain.NotFound(what, id)
	}
	_, err := domain.DecideAction(rights.DecideCase, a.Subject, rights.CaseView, act, c, what, id)
	return err
}

// partVisible reports whether a may view a part of the case c: the rule of a batch read, where
// an invisible part is simply left out.
func partVisible(a domain.Actor, c rights.CaseAttrs) bool {
	return a.Subject != nil && rights.DecideCase(a.Subject, rights.CaseView, c).Allow
}

// partKeep is the Keep of a list of parts: the single-object rule once more on each row the
// scope let through; a row it refuses is a scope leak, which is a bug.
func (s *Service) partKeep(a domain.Actor, what string, id int64, c rights.CaseAttrs) bool {
	if partVisible(a, c) {
		return true
	}
	s.env.Log.Error(what+" scope leak", what, id, "user", a.User.ID)
	return false
}

// partGrant returns the grant of contact a on the case of part what/id when the section
// section shows the part, and the part's own NotFound otherwise (EXT-3, EXT-8).
func (s *Service) partGrant(ctx context.Context, db bun.IDB, a domain.Actor, caseID int64, section sharing.Action, what string, id int64) (sharing.Grant, error) {
	return sharing.OfObject(ctx, db, s.env.Now(), *a.Contact, caseID, section, what, id)
}

// partShared returns the grant of contact a on case caseID after checking action on it:
// NotFound when the case or the section is not shared (notShared is the text), Forbidden
// without the right (EXT-2, EXT-3, EXT-6, EXT-8). An employee has no share: to them the
// portal's lists of a shared case are missing.
func (s *Service) partShared(ctx context.Context, db bun.IDB, a domain.Actor, caseID int64, action sharing.Action, notShared string) (sharing.Grant, error) {
	if !a.IsContact() {
		return sharing.Grant{}, domain.NotFound("case", caseID)
	}
	g, err := sharing.Of(ctx, db, s.env.Now(), *a.Contact, caseID)
	if err != nil {
		return g, err
	}
	return g, g.Check(action, notShared)
}

// partContactRefused is what a contact meets trying anything on a part but what their rights
// grant: nothing else is writable (EXT-6).
func partContactRefused(what string) error {
	return apperr.E(apperr.Forbidden, "A contact may not change this %s.", what).Because("EXT-6")
}

// partPhaseOf checks that phase id belongs to case caseID, for a file or a work-hour entry put
// on it: apperr.Invalid at pointer when it does not.
func partPhaseOf(ctx context.Context, db bun.IDB, caseID, id int64, pointer string) error {
	ok, err := db.NewSelect().Model((*model.Phase)(nil)).Where("id = ? AND case_id = ?", id, caseID).Exists(ctx)
	if err != nil {
		return apperr.Wrap(err, "check phase of case")
	}
	if !ok {
		return apperr.E(apperr.Invalid, "No phase %d on this case.", id).AtPointer(pointer)
	}
	return nil
}

// partDate sets a sent date attribute name of a case or a phase (null clears it), refusing
// anything domain.SetDate refuses.
func partDate(name string, in jsonapi.Nullable[string], out *model.Date) error {
	switch {
	case !in.Set:
		return nil
	case in.Null:
		*out = ""
		return nil
	}
	return domain.SetDate(name, &in.Value, out)
}

// partMaker adds the name of who made a part of a case (an employee or a contact: the
// columns userCol and contactCol of alias) as nameAs, and the case of the part.
func partMaker(alias, userCol, contactCol, nameAs string) func(*bun.SelectQuery) *bun.SelectQuery {
	return func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.ColumnExpr("COALESCE(mu.name, mc.first_name || ' ' || mc.last_name, '') AS " + nameAs).
			Join("LEFT JOIN users AS mu ON mu.id = " + alias + "." + userCol).
			Join("LEFT JOIN contacts AS mc ON mc.id = " + alias + "." + contactCol).
			Apply(partCaseColumns(alias))
	}
}

// partMine reports whether a made the object that byUser or byContact names (its author or
// uploader), whichever kind of actor a is.
func partMine(a domain.Actor, byUser, byContact *int64) bool {
	if a.IsContact() {
		return partSameID(byContact, &a.Contact.ID)
	}
	return partSameID(byUser, &a.User.ID)
}

// partSameID reports whether two optional references name the same object (or both none).
func partSameID(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
