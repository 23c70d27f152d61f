package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// The work-hour report sums in the database. Every entry is still decided as
// rights.DecideHours decides it, because a decision on viewing hours depends on the entry's
// user and case alone (HourAttrs: the user, the user's unit, the user's membership of the case,
// and the case; no rule reads the entry's own id): so the database sums the entries the
// caller may view (scope.HourView) per (user, case), each such group is decided once for all
// its entries, and the allowed groups are added up per user or per case. A rule that one day
// reads more of an entry must add that to the grouping.
//
// It reads a batch of reportBatch users or cases at a time, by ranges of their ids, so that
// each statement sums the hours of those keys only and the process holds a batch's totals.

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

// hourTotal is one row of the report.
type hourTotal struct {
	key                     int64
	minutes, entries, price int64
	priceHidden             bool
}

// hourReportQuery is a work-hour report to run: its grouping, its filters and its caller.
type hourReportQuery struct {
	subject *rights.Subject
	rep     rights.Decision
	group   string // "user" or "case"
	// filters limit the entries (aliased h) by the report's filters.
	filters []func(*bun.SelectQuery) *bun.SelectQuery
	// only is the one key the filters leave (filter[user] with group=user, filter[case] with
	// group=case), or nil.
	only any
}

// hourReport answers GET /api/v1/reports/work-hours?group=user|case&filter[from]=&filter[to]=:
// totals over exactly the entries the caller may view (USR-1, USR-2, USR-4, WHA-3, WHA-7).
// A group's price total is shown only when every entry in it shows its price.
func (s *Server) hourReport(c *fiber.Ctx) error {
	p := caller(c)
	rep := rights.DecideReport(p.Subject, rights.ReportWorkHourSummary)
	if !rep.Allow {
		return denied(rep)
	}
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Filters: []string{"from", "to", "case", "user"}, Custom: []string{"group"}})
	if err != nil {
		return err
	}
	group := q.Custom.Get("group")
	if group == "" {
		group = "user"
	}
	if group != "user" && group != "case" {
		return &apperr.Error{Code: apperr.Invalid, Detail: "group is user or case", Param: "group"}
	}
	hq := hourReportQuery{subject: p.Subject, rep: rep, group: group}
	for _, f := range []struct{ name, cond string }{{"from", "h.work_date >= ?"}, {"to", "h.work_date <= ?"}} {
		if v, ok := q.FilterValue(f.name); ok {
			if !model.Date(v).Valid() {
				return &apperr.Error{Code: apperr.Invalid, Detail: "filter[" + f.name + "] must be " + listing.DateRule, Param: "filter[" + f.name + "]"}
			}
			hq.filters = append(hq.filters, func(sel *bun.SelectQuery) *bun.SelectQuery { return sel.Where(f.cond, v) })
		}
	}
	for _, f := range []struct{ name, col string }{{"case", "h.case_id"}, {"user", "h.user_id"}} {
		if raw, ok := q.FilterValue(f.name); ok {
			v, err := listing.FilterValue(f.name, f.col, raw)
			if err != nil {
				return err
			}
			hq.filters = append(hq.filters, func(sel *bun.SelectQuery) *bun.SelectQuery { return sel.Where("? = ?", bun.Safe(f.col), v) })
			if f.name == group {
				hq.only = v
			}
		}
	}
	return s.streamReport(c, report{name: "work-hours", columns: []reportColumn{{name: "minutes"}, {name: "entries"}, {name: "price"}, relColumn(group)},
		hidden: rep.Hidden, meta: func(int) jsonapi.Meta { return jsonapi.Meta{"group": group} }, next: s.hourReportRows(hq)})
}

// hourReportRows returns the report's rows, a batch of keys (users or cases) at a time.
func (s *Server) hourReportRows(hq hourReportQuery) reportSource {
	table := map[string]string{"user": "users", "case": "cases"}[hq.group]
	var after int64
	done, batch := false, reportBatch
	return func(ctx context.Context) (reportRows, error) {
		for !done {
			var ids []int64
			sel := s.db.NewSelect().TableExpr(table+" AS k").Column("k.id").Where("k.id > ?", after).OrderExpr("k.id").Limit(int64(batch))
			if hq.only != nil {
				sel = sel.Where("k.id = ?", hq.only)
			}
			if err := sel.Scan(ctx, &ids); err != nil {
				return reportRows{}, apperr.Wrap(err, "hour report keys")
			}
			done = len(ids) < batch
			if len(ids) == 0 {
				break
			}
			from := after
			after = ids[len(ids)-1]
			totals, err := s.hourTotals(ctx, hq, from, after)
			if err != nil {
				return reportRows{}, err
			}
			if len(totals) > 0 { // keys without viewable hours have no row: read on
				return reportRows{n: len(totals), render: func(i int) *jsonapi.Resource { return hq.resource(&totals[i]) }}, nil
			}
		}
		return reportRows{}, nil
	}
}

// hourTotals sums the viewable entries whose key (user or case) is in (from, to], per key in
// the order of the keys.
func (s *Server) hourTotals(ctx context.Context, hq hourReportQuery, from, to int64) ([]hourTotal, error) {
	key, other := "user_id", "case_id"
	if hq.group == "case" {
		key, other = other, key
	}
	entries := s.db.NewSelect().TableExpr("work_hours AS h").
		ColumnExpr("h.user_id, h.case_id, SUM(h.minutes) AS minutes, COUNT(*) AS entries, SUM(h.unit_price * h.minutes / 60) AS price").
		Apply(scope.HourView(hq.subject, "h")).
		Where("? > ? AND ? <= ?", bun.Ident("h."+key), from, bun.Ident("h."+key), to).
		GroupExpr("h.user_id, h.case_id")
	for _, f := range hq.filters {
		entries = entries.Apply(f)
	}
	// The groups come a key at a time, so a key's total is complete when the next key starts;
	// they are read one by one, and only the batch's totals are held.
	var totals []hourTotal
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
			if err := s.db.ScanRow(ctx, rows, &g); err != nil {
				return err
			}
			totals = hq.add(totals, &g)
		}
		return rows.Err()
	})
	return totals, apperr.Wrap(err, "hour report")
}

// add adds the group g to totals, which end with the total of g's key if it has one.
func (hq hourReportQuery) add(totals []hourTotal, g *hourGroup) []hourTotal {
	d := rights.DecideHours(hq.subject, rights.HourView, g.attrs())
	if !d.Allow {
		return totals
	}
	k := g.UserID
	if hq.group == "case" {
		k = g.CaseID
	}
	if len(totals) == 0 || totals[len(totals)-1].key != k {
		totals = append(totals, hourTotal{key: k})
	}
	t := &totals[len(totals)-1]
	t.minutes += g.Minutes
	t.entries += g.Entries
	t.price += g.Price
	t.priceHidden = t.priceHidden || d.Hidden.Hides("price") || hq.rep.Hidden.Hides("price")
	return totals
}

// resource renders a total as a report row.
func (hq hourReportQuery) resource(t *hourTotal) *jsonapi.Resource {
	target := map[string]string{"user": "users", "case": "cases"}[hq.group]
	id := strconv.FormatInt(t.key, 10)
	attrs := map[string]any{"minutes": t.minutes, "entries": t.entries}
	if !t.priceHidden {
		attrs["price"] = t.price
	}
	return &jsonapi.Resource{Type: "work-hour-report-rows", ID: hq.group + ":" + id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{hq.group: {Data: jsonapi.ToOne(target, id)}}}
}
