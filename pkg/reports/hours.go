package reports

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// The work-hour report sums in the database. Every entry is still decided as
// rights.DecideHours decides it, because a decision on viewing hours depends on the entry's
// user and case alone (HourAttrs: the user, the user's unit, the user's membership of the case,
// and the case; no rule reads the entry's own id): so the database sums the entries the
// actor may view (scope.HourView) per (user, case), each such group is decided once for all
// its entries, and the allowed groups are added up per user or per case. A rule that one day
// reads more of an entry must add that to the grouping.
//
// It reads a batch of BatchSize users or cases at a time, by ranges of their ids, so that
// each statement sums the hours of those keys only and the process holds a batch's totals.

// HourQuery is a work-hour report to run, as the request gives it: nil for a filter not
// given. WorkHours checks it.
type HourQuery struct {
	Query
	Group    string  // "user" (also when empty) or "case"
	From, To *string // work dates, both ends included
	Case     *string // a case id
	User     *string // a user id
}

// HourReport is a work-hour report ready to read: its totals, a batch at a time, per Group.
type HourReport struct {
	*Batches[HourTotal]
	Group string // "user" or "case"
}

// HourTotal is one row of the work-hour report: the viewable entries of one user or case.
type HourTotal struct {
	Key                     int64 // the user's or the case's id
	Minutes, Entries, Price int64
	// PriceHidden is set when an entry of the total hides its price (CASE-5..8), or the
	// report does: the price shows only when every entry in it shows its price.
	PriceHidden bool
}

// hourGroup is the sum of the viewable entries of one user on one case, with what deciding
// them needs.
type hourGroup struct {
	UserID        int64 `bun:"user_id"`
	CaseID        int64 `bun:"case_id"`
	Minutes       int64 `bun:"minutes"`
	Entries       int64 `bun:"entries"`
	Price         int64 `bun:"price"`
	CaseOwnerID   int64 `bun:"case_owner_id"`
	CaseUnitID    int64 `bun:"case_unit_id"`
	CaseAccountID int64 `bun:"case_account_id"`
	UserUnitID    int64 `bun:"user_unit_id"`
	UserIsMember  bool  `bun:"user_is_member"`
}

// attrs are the attributes every entry of the group shares (see above).
func (g *hourGroup) attrs() rights.HourAttrs {
	return rights.HourAttrs{UserID: g.UserID, UserUnitID: g.UserUnitID, UserIsMember: g.UserIsMember,
		Case: rights.CaseAttrs{ID: g.CaseID, OwnerID: g.CaseOwnerID, UnitID: g.CaseUnitID, AccountID: g.CaseAccountID}}
}

// hourReport is a checked HourQuery with its actor.
type hourReport struct {
	subject *rights.Subject
	rep     rights.Decision
	group   string // "user" or "case"
	// filters limit the entries (aliased h) by the report's filters.
	filters []func(*bun.SelectQuery) *bun.SelectQuery
	// only is the one key the filters leave (filter[user] with group=user, filter[case] with
	// group=case), or nil.
	only any
}

// WorkHours is the work-hour report: totals per user or per case over exactly the entries
// the actor may view (USR-1, USR-2, USR-4, WHA-3, WHA-7), filtered by work date, case and
// user. A total's price shows only when every entry in it shows its price (CASE-5..8).
// Errors: apperr.Forbidden when rights.DecideReport refuses the report, then q.Err, then
// apperr.Invalid naming the parameter (group, filter[from], filter[to], filter[case],
// filter[user]).
func (s *Service) WorkHours(_ context.Context, a domain.Actor, q HourQuery) (*HourReport, error) {
	rep, err := decide(a, rights.ReportWorkHourSummary, q.Query)
	if err != nil {
		return nil, err
	}
	hr, err := q.check(a.Subject, rep)
	if err != nil {
		return nil, err
	}
	return &HourReport{Batches: &Batches[HourTotal]{Hidden: rep.Hidden, next: s.hourBatches(hr)}, Group: hr.group}, nil
}

// check validates q, in the order of its parameters.
func (q HourQuery) check(subject *rights.Subject, rep rights.Decision) (hourReport, error) {
	hr := hourReport{subject: subject, rep: rep, group: q.Group}
	if hr.group == "" {
		hr.group = "user"
	}
	if hr.group != "user" && hr.group != "case" {
		return hr, &apperr.Error{Code: apperr.Invalid, Detail: "group is user or case", Param: "group"}
	}
	// Each filter is read as a list's filter of its column (listing.FilterValue: dates,
	// ids) and compared with op.
	for _, f := range []struct {
		name, col, op string
		raw           *string
	}{{"from", "h.work_date", ">=", q.From}, {"to", "h.work_date", "<=", q.To}, {"case", "h.case_id", "=", q.Case}, {"user", "h.user_id", "=", q.User}} {
		if f.raw == nil {
			continue
		}
		v, err := listing.FilterValue(f.name, f.col, *f.raw)
		if err != nil {
			return hr, err
		}
		hr.filters = append(hr.filters, func(sel *bun.SelectQuery) *bun.SelectQuery { return sel.Where("? "+f.op+" ?", bun.Safe(f.col), v) })
		if f.name == hr.group {
			hr.only = v
		}
	}
	return hr, nil
}

// hourBatches returns the report's totals, a batch of keys (users or cases) at a time.
func (s *Service) hourBatches(hr hourReport) batchFunc[HourTotal] {
	table := map[string]string{"user": "users", "case": "cases"}[hr.group]
	var after int64
	done, limit := false, BatchSize
	return func(ctx context.Context) ([]HourTotal, error) {
		for !done {
			var ids []int64
			sel := s.env.DB.NewSelect().TableExpr(table+" AS k").Column("k.id").Where("k.id > ?", after).OrderExpr("k.id").Limit(int64(limit))
			if hr.only != nil {
				sel = sel.Where("k.id = ?", hr.only)
			}
			if err := sel.Scan(ctx, &ids); err != nil {
				return nil, apperr.Wrap(err, "hour report keys")
			}
			done = len(ids) < limit
			if len(ids) == 0 {
				break
			}
			from := after
			after = ids[len(ids)-1]
			totals, err := s.hourTotals(ctx, hr, from, after)
			if err != nil {
				return nil, err
			}
			if len(totals) > 0 { // keys without viewable hours have no row: read on
				return totals, nil
			}
		}
		return nil, nil
	}
}

// hourTotals sums the viewable entries whose key (user or case) is in (from, to], per key in
// the order of the keys.
func (s *Service) hourTotals(ctx context.Context, hr hourReport, from, to int64) ([]HourTotal, error) {
	key, other := "user_id", "case_id"
	if hr.group == "case" {
		key, other = other, key
	}
	entries := s.env.DB.NewSelect().TableExpr("work_hours AS h").
		ColumnExpr("h.user_id, h.case_id, SUM(h.minutes) AS minutes, COUNT(*) AS entries, SUM(h.unit_price * h.minutes / 60) AS price").
		Apply(scope.HourView(hr.subject, "h")).
		Where("? > ? AND ? <= ?", bun.Ident("h."+key), from, bun.Ident("h."+key), to).
		GroupExpr("h.user_id, h.case_id")
	for _, f := range hr.filters {
		entries = entries.Apply(f)
	}
	// The groups come a key at a time, so a key's total is complete when the next key starts;
	// they are read one by one, and only the batch's totals are held.
	var totals []HourTotal
	err := s.readBatch(ctx, func(ctx context.Context, idb bun.IDB) error {
		totals = nil
		rows, err := idb.NewSelect().TableExpr("(?) AS g", entries).
			ColumnExpr("g.user_id, g.case_id, g.minutes, g.entries, g.price").
			ColumnExpr("hc.owner_id AS case_owner_id, hc.unit_id AS case_unit_id, hc.account_id AS case_account_id").
			ColumnExpr("hu.unit_id AS user_unit_id").
			ColumnExpr("EXISTS (SELECT 1 FROM case_members m WHERE m.case_id = g.case_id AND m.user_id = g.user_id) AS user_is_member").
			Join("JOIN cases AS hc ON hc.id = g.case_id").
			Join("JOIN users AS hu ON hu.id = g.user_id").
			OrderExpr("?, ?", bun.Ident("g."+key), bun.Ident("g."+other)).
			Rows(ctx)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var g hourGroup
			if err := s.env.DB.ScanRow(ctx, rows, &g); err != nil {
				return err
			}
			totals = hr.add(totals, &g)
		}
		return rows.Err()
	})
	return totals, apperr.Wrap(err, "hour report")
}

// add adds the group g to totals, which end with the total of g's key if it has one.
func (hr hourReport) add(totals []HourTotal, g *hourGroup) []HourTotal {
	d := rights.DecideHours(hr.subject, rights.HourView, g.attrs())
	if !d.Allow {
		return totals
	}
	k := g.UserID
	if hr.group == "case" {
		k = g.CaseID
	}
	if len(totals) == 0 || totals[len(totals)-1].Key != k {
		totals = append(totals, HourTotal{Key: k})
	}
	t := &totals[len(totals)-1]
	t.Minutes += g.Minutes
	t.Entries += g.Entries
	t.Price += g.Price
	t.PriceHidden = t.PriceHidden || d.Hidden.Hides("price") || hr.rep.Hidden.Hides("price")
	return totals
}
