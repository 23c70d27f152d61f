package listing_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
)

// filterColumns are columns of each kind FilterValue converts to, by filter name.
var filterColumns = map[string]string{
	"case":        "h.case_id",
	"id":          "h.id",
	"probability": "c.probability",
	"active":      "u.active",
	"workDate":    "h.work_date",
	"startsOn":    "ph.starts_on",
	"status":      "h.approval_status",
}

// FilterValue either converts a filter's text to its column's type or refuses it as a
// client error naming the parameter; it never lets a malformed value through to the
// database.
func FuzzFilterValue(f *testing.F) {
	for _, seed := range []string{"7", "-1", "99999999999999999999", "true", "0", "2026-11-24", "2026-02-30", "0000-01-01", "", "x"} {
		f.Add("workDate", seed)
		f.Add("case", seed)
		f.Add("active", seed)
	}
	f.Fuzz(func(t *testing.T, name, raw string) {
		column, ok := filterColumns[name]
		if !ok {
			column = "h.description"
		}
		v, err := listing.FilterValue(name, column, raw)
		if err != nil {
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.Invalid || ae.Param != "filter["+name+"]" {
				t.Fatalf("filter[%s]=%q on %s: %v, want apperr.Invalid naming the parameter", name, raw, column, err)
			}
			return
		}
		switch name {
		case "case", "id", "probability":
			n, perr := strconv.ParseInt(raw, 10, 64)
			if perr != nil || v != n {
				t.Fatalf("filter[%s]=%q became %#v", name, raw, v)
			}
		case "active":
			b, perr := strconv.ParseBool(raw)
			if perr != nil || v != b {
				t.Fatalf("filter[%s]=%q became %#v", name, raw, v)
			}
		case "workDate", "startsOn":
			if v != raw || !model.Date(raw).Valid() {
				t.Fatalf("filter[%s]=%q accepted as %#v", name, raw, v)
			}
		default:
			if v != raw {
				t.Fatalf("filter[%s]=%q became %#v", name, raw, v)
			}
		}
	})
}

// hours is a collection shaped like GET /api/v1/hours, with filters of every kind FilterValue
// knows (ids, a flag, a date that also takes ranges, text), sorted and paged by cursor.
func hours(db bun.IDB) listing.Spec[model.WorkHour] {
	return listing.Spec[model.WorkHour]{DB: db, Table: "work_hours AS h",
		Sorts:   map[string]string{"workDate": "h.work_date", "minutes": "h.minutes"},
		Filters: map[string]string{"case": "h.case_id", "user": "h.user_id", "active": "u.active", "workDate": "h.work_date", "approvalStatus": "h.approval_status"},
		Scope: func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Join("JOIN users AS u ON u.id = h.user_id")
		},
		Cursor: map[string]bool{"workDate": true, "minutes": true}}
}

// A list's query string, whatever it holds, answers a page or a client error, never a
// database error (a 500): filters, date ranges FROM..TO, sorts and cursors are checked
// before they reach SQL. Rows that come back satisfy the date filter.
func FuzzListFilters(f *testing.F) {
	db := dbtest.Open(f)
	if _, err := demo.Load(context.Background(), db, func() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC) }); err != nil {
		f.Fatal(err)
	}
	spec := hours(db)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if all, err := spec.Page(context.Background(), mustQuery(f, spec, "filter[workDate]=1900-01-01..9999-12-31")); err != nil || len(all.Rows) == 0 {
		f.Fatalf("the demo's hours: %d rows, %v", len(all.Rows), err)
	}
	for _, seed := range []string{
		"filter[workDate]=2026-11-01..2026-11-30",
		"filter[workDate]=2026-11-24",
		"filter[workDate]=..",
		"filter[workDate]=2026-11-30..2026-11-01&sort=-workDate",
		"filter[workDate]=1900-01-01..9999-12-31&page[size]=5&sort=minutes",
		"filter[workDate]=2026-02-30..2026-03-01",
		"filter[case]=1&filter[active]=true&filter[approvalStatus]=approved",
		"filter[case]=99999999999999999999",
		"filter[user]=-1&filter[active]=maybe",
		"sort=workDate&page[after]=WyIyMDI2LTExLTI0IiwxXQ",
		"sort=-minutes&page[before]=bm90IGpzb24",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := jsonapi.ParseQuery(raw, spec.Query())
		if err != nil {
			return // FuzzParseQuery (pkg/jsonapi) checks the parser's own errors
		}
		for k, v := range q.Filter {
			if !httpx.IsText(k) || !httpx.IsText(v) {
				return // httpx.QueryText answers 400 before any handler
			}
		}
		page, err := spec.Page(context.Background(), q)
		if err != nil {
			if je := httpx.ToJSONAPI(log, "fuzz", err); je.Status >= 500 {
				t.Fatalf("%q: %d %v", raw, je.Status, err)
			}
			return
		}
		lo, hi, isRange := strings.Cut(q.Filter["workDate"], "..")
		if !isRange {
			hi = lo
		}
		for _, h := range page.Rows {
			if d := string(h.WorkDate); lo != "" && (d < lo || d > hi) {
				t.Fatalf("%q: row %d of %s is outside %s..%s", raw, h.ID, d, lo, hi)
			}
		}
	})
}

func mustQuery(t testing.TB, spec listing.Spec[model.WorkHour], raw string) jsonapi.Query {
	t.Helper()
	q, err := jsonapi.ParseQuery(raw, spec.Query())
	if err != nil {
		t.Fatal(err)
	}
	return q
}
