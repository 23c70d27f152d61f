package reports_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/reports"
	"github.com/caseroom/caseroom/pkg/work"
)

func ptr(s string) *string { return &s }

// viewableHours sums, per case, the entries a may view one by one (work.Service.HoursByID,
// rights.DecideHours), and whether every one of them shows its price.
func (f *fixture) viewableHours(a domain.Actor) (minutes map[int64]int64, priced map[int64]bool) {
	f.t.Helper()
	var ids []int64
	if err := f.db.NewSelect().Table("work_hours").Column("id").Scan(context.Background(), &ids); err != nil {
		f.t.Fatal(err)
	}
	hours, err := work.New(f.env).HoursByID(context.Background(), a, ids)
	if err != nil {
		f.t.Fatal(err)
	}
	minutes, priced = map[int64]int64{}, map[int64]bool{}
	for _, h := range hours {
		if _, seen := priced[h.CaseID]; !seen {
			priced[h.CaseID] = true
		}
		minutes[h.CaseID] += int64(h.Minutes)
		priced[h.CaseID] = priced[h.CaseID] && !h.Decision.Hidden.Hides("price")
	}
	return minutes, priced
}

// TestWorkHourReport: totals over exactly the entries each user may view (USR-1, USR-2,
// USR-4, WHA-3, WHA-7), a price only where every entry shows it (CASE-5..8).
func TestWorkHourReport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, u := range demoUsers {
		t.Run("rules USR-1 USR-2 CASE-5..8: "+u+"'s totals are the entries they may view", func(t *testing.T) {
			a := f.actor(u)
			minutes, priced := f.viewableHours(a)
			batchSize(t, 1)
			r, err := f.svc.WorkHours(ctx, a, reports.HourQuery{Group: "case"})
			if err != nil {
				t.Fatal(err)
			}
			rows := drain(t, r.Batches)
			if r.Group != "case" || len(rows) != len(minutes) {
				t.Fatalf("group %q, %d totals, %d cases with viewable hours", r.Group, len(rows), len(minutes))
			}
			for _, row := range rows {
				if row.Minutes != minutes[row.Key] {
					t.Errorf("case %d: %d minutes, the entries %d", row.Key, row.Minutes, minutes[row.Key])
				}
				if !row.PriceHidden && !priced[row.Key] {
					t.Errorf("case %d: the total shows a price an entry hides", row.Key)
				}
			}
		})
	}
	t.Run("the default group is by user, and a filter on the group leaves that key", func(t *testing.T) {
		erik := f.user("erik").ID
		r, err := f.svc.WorkHours(ctx, f.actor("ada"), reports.HourQuery{User: ptr(strconv.FormatInt(erik, 10)), From: ptr("2000-01-01"), To: ptr("2100-01-01")})
		if err != nil {
			t.Fatal(err)
		}
		rows := drain(t, r.Batches)
		if r.Group != "user" || len(rows) != 1 || rows[0].Key != erik {
			t.Fatalf("group %q, totals %+v (erik is %d)", r.Group, rows, erik)
		}
	})
	t.Run("a date range outside the entries has no totals", func(t *testing.T) {
		r, err := f.svc.WorkHours(ctx, f.actor("ada"), reports.HourQuery{From: ptr("1990-01-01"), To: ptr("1990-12-31")})
		if err != nil {
			t.Fatal(err)
		}
		if rows := drain(t, r.Batches); len(rows) != 0 {
			t.Fatalf("totals %+v", rows)
		}
	})
	for name, c := range map[string]struct {
		q     reports.HourQuery
		param string
	}{
		"a group other than user or case":       {reports.HourQuery{Group: "unit"}, "group"},
		"a start that is not a date":            {reports.HourQuery{From: ptr("2026-13-01")}, "filter[from]"},
		"an end that is not a date":             {reports.HourQuery{To: ptr("")}, "filter[to]"},
		"a case that is not an id":              {reports.HourQuery{Case: ptr("acme")}, "filter[case]"},
		"a user that is not an id":              {reports.HourQuery{User: ptr("1.5")}, "filter[user]"},
		"the group before the filters":          {reports.HourQuery{Group: "x", From: ptr("x")}, "group"},
		"what the transport found, before both": {reports.HourQuery{Query: reports.Query{Err: errMalformed}, Group: "x"}, "sort"},
	} {
		t.Run("invalid: "+name, func(t *testing.T) {
			_, err := f.svc.WorkHours(ctx, f.actor("carl"), c.q)
			wantCode(t, err, apperr.Invalid, c.param)
		})
	}
	t.Run("a portal contact runs no report, whatever it asks", func(t *testing.T) {
		_, err := f.svc.WorkHours(ctx, contact(), reports.HourQuery{Group: "x"})
		wantCode(t, err, apperr.Forbidden, "")
	})
}
