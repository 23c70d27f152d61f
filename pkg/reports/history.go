package reports

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// historyKinds maps a resource type to the rule family that decides who sees its history.
var historyKinds = map[string]rights.HistoryKind{
	"cases": rights.HistoryCase, "phases": rights.HistoryCase, "files": rights.HistoryCase, "comments": rights.HistoryCase,
	"invoices": rights.HistoryInvoice, "work-hours": rights.HistoryHours,
	"users": rights.HistoryUser, "api-keys": rights.HistoryUser, "accounts": rights.HistoryAccount,
	"contacts": rights.HistoryAccount, "addresses": rights.HistoryAccount,
}

// historyWindow is how many of the newest matching entries one history request considers.
const historyWindow = 5000

// HistoryQuery narrows the change history, as the request gives it: nil for a filter not
// given. History checks it.
type HistoryQuery struct {
	Case, User               *string // the entry's case, the user it is about
	ResourceType, ResourceID *string
	Newest                   bool // newest first; oldest first otherwise, as the entries happened
	Offset, Limit            int  // the page, counted over the entries the actor may see
}

// HistoryPage is one page of the change history as an actor sees it.
type HistoryPage struct {
	Entries []HistoryEntry
	// Total counts the entries the actor may see among the newest matching ones (5000 at most).
	Total int
	// Truncated says that more entries matched than the window holds: a narrower filter
	// reaches older ones.
	Truncated bool
}

// HistoryEntry is one change-history entry as an actor sees it.
type HistoryEntry struct {
	model.ChangeRecord
	// Visible is the entry's changes by field, without the fields the actor may not see
	// (CASE-5..8).
	Visible map[string]any
}

// History lists the change history narrowed by q: the entries of a case, of a user, or of
// one resource (a type with an id). Each entry is shown only to those who may view its record
// now (CASE-16, USR-1, USR-2, PRF-6, EXT-1, ADM-2, TRV, ACT-5), with the values they may not
// see removed (CASE-5..8). Each entry is decided on its own, so the page is cut after the
// decisions, within the 5000 newest matching entries. Errors: apperr.Invalid naming
// the filter when q does not narrow the history or a filter is malformed, apperr.Forbidden for
// a portal contact.
func (s *Service) History(ctx context.Context, a domain.Actor, q HistoryQuery) (*HistoryPage, error) {
	if a.Subject == nil {
		return nil, apperr.E(apperr.Forbidden, "The change history is for employees.")
	}
	sel, err := q.where(s.env.DB.NewSelect().Model((*model.ChangeRecord)(nil)))
	if err != nil {
		return nil, err
	}
	var rows []model.ChangeRecord
	if err := sel.OrderExpr("id DESC").Limit(historyWindow+1).Scan(ctx, &rows); err != nil {
		return nil, apperr.Wrap(err, "list history")
	}
	page := &HistoryPage{Truncated: len(rows) > historyWindow}
	rows = rows[:min(len(rows), historyWindow)]
	slices.Reverse(rows) // oldest first, as the entries happened
	d, err := s.historyDecider(ctx, a.Subject, rows)
	if err != nil {
		return nil, err
	}
	type seen struct {
		row    *model.ChangeRecord
		hidden rights.FieldMask
	}
	var visible []seen
	for i := range rows {
		if dec := d.decide(&rows[i]); dec.Allow {
			visible = append(visible, seen{&rows[i], dec.Hidden})
		}
	}
	if q.Newest {
		slices.Reverse(visible)
	}
	page.Total = len(visible)
	from, to := min(q.Offset, page.Total), min(q.Offset+q.Limit, page.Total)
	for _, e := range visible[from:to] {
		page.Entries = append(page.Entries, HistoryEntry{ChangeRecord: *e.row, Visible: visibleChanges(e.row.Changes, e.hidden)})
	}
	return page, nil
}

// where adds q's filters to sel: apperr.Invalid when they do not narrow the history to a
// case, a user or one resource, or when an id is not a number.
func (q HistoryQuery) where(sel *bun.SelectQuery) (*bun.SelectQuery, error) {
	narrowed := false
	for _, f := range []struct {
		name, col string
		raw       *string
	}{{"case", "case_id", q.Case}, {"user", "subject_user_id", q.User}, {"resourceId", "resource_id", q.ResourceID}} {
		if f.raw == nil {
			continue
		}
		v, err := listing.FilterValue(f.name, f.col, *f.raw)
		if err != nil {
			return nil, err
		}
		sel = sel.Where("? = ?", bun.Ident(f.col), v)
		narrowed = narrowed || f.name != "resourceId"
	}
	if q.ResourceType != nil {
		sel = sel.Where("resource_type = ?", *q.ResourceType)
		narrowed = narrowed || q.ResourceID != nil
	}
	if !narrowed {
		return nil, &apperr.Error{Code: apperr.Invalid, Detail: "Narrow the history with filter[case], filter[user], or filter[resourceType] and filter[resourceId].", Param: "filter"}
	}
	return sel, nil
}

// visibleChanges decodes an entry's changes without the fields hidden hides.
func visibleChanges(raw string, hidden rights.FieldMask) map[string]any {
	var changes map[string]any
	if err := json.Unmarshal([]byte(raw), &changes); err != nil {
		return map[string]any{}
	}
	for field := range changes {
		if hidden.Hides(field) || hidden.Hides(strings.TrimPrefix(field, "rights.")) {
			delete(changes, field)
		}
	}
	return changes
}

// historyDecider decides change-history entries with the cases and users they name, loaded
// once for all the entries.
type historyDecider struct {
	subject *rights.Subject
	cases   map[int64]*rights.CaseAttrs // nil: a case that no longer exists
	units   map[int64]int64             // a user's unit; 0 for a user that no longer exists
}

// historyDecider loads what deciding rows needs: their cases, and the units of the users
// they are about.
func (s *Service) historyDecider(ctx context.Context, subject *rights.Subject, rows []model.ChangeRecord) (*historyDecider, error) {
	d := &historyDecider{subject: subject, cases: map[int64]*rights.CaseAttrs{}, units: map[int64]int64{}}
	caseSet, userSet := map[int64]bool{}, map[int64]bool{}
	for i := range rows {
		if id := rows[i].CaseID; id != nil {
			caseSet[*id] = true
		}
		if id := rows[i].SubjectUserID; id != nil {
			userSet[*id] = true
		}
	}
	caseIDs, userIDs := slices.Collect(maps.Keys(caseSet)), slices.Collect(maps.Keys(userSet))
	if len(caseIDs) > 0 {
		var cs []model.Case
		if err := s.env.DB.NewSelect().Model(&cs).Column("id", "owner_id", "unit_id", "account_id").Where("id IN (?)", bun.In(caseIDs)).Scan(ctx); err != nil {
			return nil, apperr.Wrap(err, "load cases of history")
		}
		for i := range cs {
			attrs := domain.CaseAttrs(&cs[i])
			d.cases[cs[i].ID] = &attrs
		}
	}
	if len(userIDs) > 0 {
		var us []model.User
		if err := s.env.DB.NewSelect().Model(&us).Column("id", "unit_id").Where("id IN (?)", bun.In(userIDs)).Scan(ctx); err != nil {
			return nil, apperr.Wrap(err, "load users of history")
		}
		for _, u := range us {
			d.units[u.ID] = u.UnitID
		}
	}
	return d, nil
}

// decide returns whether the entry is visible and which fields of its changes are hidden.
// Entries about settings (profiles, units, statuses, settings) follow the settings right
// (ADM-2); travel follows TRV; activities follow what the calendar shows in full (ACT-1..7).
func (d *historyDecider) decide(r *model.ChangeRecord) rights.Decision {
	var caseAttrs *rights.CaseAttrs
	if r.CaseID != nil {
		caseAttrs = d.cases[*r.CaseID]
	}
	var subjectUser int64
	if r.SubjectUserID != nil {
		subjectUser = *r.SubjectUserID
	}
	switch r.ResourceType {
	case "extranet-shares":
		// Who a case is shared with, and with which rights, is for those who may share it (EXT-1).
		if caseAttrs == nil {
			return rights.Decision{}
		}
		return rights.DecideCase(d.subject, rights.CaseShare, *caseAttrs)
	case "profiles", "business-units", "invoice-statuses", "settings":
		return rights.DecideAdmin(d.subject, rights.AdminSettings)
	case "travel-reimbursements":
		return rights.DecideTravel(d.subject, rights.TravelView, rights.TravelAttrs{UserID: subjectUser, UserUnitID: d.units[subjectUser], Case: caseAttrs})
	case "activities":
		// Decision: an activity's history is its owner's and their managers' (USR-1, USR-2),
		// since it may hold private content (ACT-5).
		if subjectUser == d.subject.UserID {
			return rights.Decision{Allow: true}
		}
		return rights.DecideUser(d.subject, rights.UserEdit, rights.UserAttrs{ID: subjectUser})
	}
	kind, ok := historyKinds[r.ResourceType]
	if !ok {
		return rights.Decision{}
	}
	attrs := rights.HistoryAttrs{Kind: kind, Case: caseAttrs, UserID: subjectUser}
	if kind == rights.HistoryHours && caseAttrs != nil {
		attrs.Hour = &rights.HourAttrs{ID: r.ResourceID, UserID: subjectUser, Case: *caseAttrs, UserUnitID: d.units[subjectUser]}
	}
	return rights.DecideHistory(d.subject, attrs)
}
