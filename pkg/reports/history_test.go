package reports_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/reports"
)

// record writes a change-history entry by the demo user by.
func (f *fixture) record(by string, e history.Entry) {
	f.t.Helper()
	e.Actor = history.Actor{UserID: f.user(by).ID}
	if err := history.Record(context.Background(), f.db, f.env.Now(), e); err != nil {
		f.t.Fatal(err)
	}
}

func id(n int64) *string { return ptr(strconv.FormatInt(n, 10)) }

// TestHistory: an entry is shown to those who may view its record now, without the values
// they may not see; the history must be narrowed.
func TestHistory(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	acme := f.caseID("Acme strategy review")
	for i, status := range []string{"in_progress", "on_hold", "in_progress"} {
		f.record("carl", history.Entry{Action: "update", ResourceType: "cases", ResourceID: acme, CaseID: acme,
			Changes: map[string]history.Change{"status": {Before: "x", After: status}, "billingForecast": {Before: i, After: i + 1}}})
	}
	erik := f.user("erik").ID
	f.record("ada", history.Entry{Action: "update", ResourceType: "users", ResourceID: erik, SubjectUserID: erik,
		Changes: map[string]history.Change{"name": {Before: "Erik Strategist", After: "Erik S."}}})
	byCase := reports.HistoryQuery{Case: id(acme), Limit: 25}

	t.Run("rule CASE-16: the owner sees the changes with their financial values", func(t *testing.T) {
		page, err := f.svc.History(ctx, f.actor("carl"), byCase)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 3 || page.Truncated || len(page.Entries) != 3 || page.Entries[0].Visible["billingForecast"] == nil {
			t.Fatalf("page %+v", page)
		}
	})
	t.Run("rule CASE-6: a plain member sees them without financial values", func(t *testing.T) {
		page, err := f.svc.History(ctx, f.actor("erik"), byCase)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Entries) != 3 {
			t.Fatalf("%d entries", len(page.Entries))
		}
		for _, e := range page.Entries {
			if _, leaked := e.Visible["billingForecast"]; leaked || e.Visible["status"] == nil {
				t.Fatalf("entry %d shows %v", e.ID, e.Visible)
			}
		}
	})
	t.Run("rule CASE-1: an outsider sees none of it", func(t *testing.T) {
		page, err := f.svc.History(ctx, f.actor("kim"), byCase)
		if err != nil || page.Total != 0 || len(page.Entries) != 0 {
			t.Fatalf("page %+v, err %v", page, err)
		}
	})
	t.Run("newest first, a page at a time over the visible entries", func(t *testing.T) {
		page, err := f.svc.History(ctx, f.actor("carl"), reports.HistoryQuery{Case: id(acme), Newest: true, Offset: 1, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 3 || len(page.Entries) != 1 || page.Entries[0].Visible["status"].(map[string]any)["after"] != "on_hold" {
			t.Fatalf("page %+v", page)
		}
	})
	userQuery := reports.HistoryQuery{User: id(erik), ResourceType: ptr("users"), Limit: 25}
	t.Run("rule USR-2: the manager sees user data changes", func(t *testing.T) {
		if page, err := f.svc.History(ctx, f.actor("carl"), userQuery); err != nil || len(page.Entries) != 1 {
			t.Fatalf("page %+v, err %v", page, err)
		}
	})
	t.Run("rule USR-1: Users none sees no user data, not even their own", func(t *testing.T) {
		if page, err := f.svc.History(ctx, f.actor("erik"), userQuery); err != nil || len(page.Entries) != 0 {
			t.Fatalf("page %+v, err %v", page, err)
		}
	})
	for name, c := range map[string]struct {
		q     reports.HistoryQuery
		param string
	}{
		"no filter":                  {reports.HistoryQuery{Limit: 25}, "filter"},
		"a resource type without id": {reports.HistoryQuery{ResourceType: ptr("cases"), Limit: 25}, "filter"},
		"a resource id without type": {reports.HistoryQuery{ResourceID: id(acme), Limit: 25}, "filter"},
		"a case that is not an id":   {reports.HistoryQuery{Case: ptr("acme"), Limit: 25}, "filter[case]"},
		"a resource id not a number": {reports.HistoryQuery{ResourceType: ptr("cases"), ResourceID: ptr("x"), Limit: 25}, "filter[resourceId]"},
		"a user that is not an id":   {reports.HistoryQuery{User: ptr(""), Limit: 25}, "filter[user]"},
	} {
		t.Run("invalid: "+name, func(t *testing.T) {
			_, err := f.svc.History(ctx, f.actor("carl"), c.q)
			wantCode(t, err, apperr.Invalid, c.param)
		})
	}
	t.Run("a portal contact reads no change history", func(t *testing.T) {
		_, err := f.svc.History(ctx, contact(), byCase)
		wantCode(t, err, apperr.Forbidden, "")
	})
}
