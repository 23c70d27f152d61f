// Package listing selects one page of a collection for a caller: the rows their scope lets
// them view (built from pkg/rights/scope, STYLE rule 2), filtered, sorted and paged by number
// or by cursor as a JSON:API query asks. The feature services describe each collection with a
// Spec; the HTTP packages parse the query and render the page.
package listing

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
)

// Spec describes one collection. Rows are selected in two steps (see paging.go): the page's
// ids, then the rows of those ids.
type Spec[M any] struct {
	DB      bun.IDB
	Table   string            // "accounts AS a"
	Sorts   map[string]string // sort field → SQL expression over the table alone
	Filters map[string]string // filter name → SQL column (equality, or a date range)
	Include []string
	// Scope limits the rows to what the caller may view.
	Scope func(*bun.SelectQuery) *bun.SelectQuery
	// Extend adds columns or joins to the page's rows (optional).
	Extend func(*bun.SelectQuery) *bun.SelectQuery
	// Cursor names the sort fields that may be paged by cursor besides the id: columns that
	// are never NULL and compare alike on both databases.
	Cursor map[string]bool
	// Keep decides each selected row once more with the single-object rule and masks it; a
	// row it refuses (a scope that let through more than the rule allows) is left out.
	// Optional.
	Keep func(*M) bool
}

// Page is one page of a collection.
type Page[M any] struct {
	Rows []M
	// Total counts the whole scope when paged by number, up to MaxCounted; -1 beyond.
	Total int
	// Prev and Next are the cursors around a page paged by cursor ("" at either end).
	Prev, Next string
}

// MaxCounted is how many rows a page by number counts at most for its total: beyond it the
// total is left out, so that no page costs a count of a firm's whole history.
const MaxCounted = 1000

// Query returns what a request may ask of the collection: its sorts, filters and includes.
func (l Spec[M]) Query() jsonapi.QuerySpec {
	return jsonapi.QuerySpec{Cursor: true, Sort: slices.Sorted(maps.Keys(l.Sorts)), Filters: slices.Sorted(maps.Keys(l.Filters)), Include: l.Include}
}

// Page selects the rows of q's page. Paged by number it counts the scope up to MaxCounted;
// paged by cursor it returns the cursors of the rows before and after the page. Malformed
// filters and cursors are apperr.Invalid naming the parameter.
func (l Spec[M]) Page(ctx context.Context, q jsonapi.Query) (Page[M], error) {
	rows, total, prev, next, err := l.page(ctx, q)
	if err != nil {
		return Page[M]{}, err
	}
	if l.Keep != nil {
		kept := rows[:0]
		for i := range rows {
			if l.Keep(&rows[i]) {
				kept = append(kept, rows[i])
			}
		}
		rows = kept
	}
	return Page[M]{Rows: rows, Total: total, Prev: prev, Next: next}, nil
}

// countUpTo counts the rows of q up to limit, or answers -1 when there are more.
func countUpTo(ctx context.Context, db bun.IDB, q *bun.SelectQuery, limit int) (int, error) {
	var n int
	if err := db.NewSelect().TableExpr("(?) AS counted", q.Limit(int64(limit+1))).ColumnExpr("COUNT(*)").Scan(ctx, &n); err != nil {
		return 0, err
	}
	if n > limit {
		return -1, nil
	}
	return n, nil
}

func (l Spec[M]) filtered(base *bun.SelectQuery, q jsonapi.Query) (*bun.SelectQuery, error) {
	for name, raw := range q.Filter {
		column := l.Filters[name]
		if from, to, ok := strings.Cut(raw, ".."); ok && isDateColumn(column) {
			// A date range, both ends included: filter[workDate]=2026-11-01..2026-11-30.
			lo, err := FilterValue(name, column, from)
			if err != nil {
				return nil, err
			}
			hi, err := FilterValue(name, column, to)
			if err != nil {
				return nil, err
			}
			base = base.Where("? >= ?", bun.Safe(column), lo).Where("? <= ?", bun.Safe(column), hi)
			continue
		}
		value, err := FilterValue(name, column, raw)
		if err != nil {
			return nil, err
		}
		base = base.Where("? = ?", bun.Safe(column), value)
	}
	return base, nil
}

func (l Spec[M]) page(ctx context.Context, q jsonapi.Query) (rows []M, total int, prev, next string, err error) {
	db := l.DB
	alias := AliasOf(l.Table)
	keys := orderOf(q, l.Sorts, alias)
	base, err := l.filtered(db.NewSelect().TableExpr(l.Table).Apply(l.Scope), q)
	if err != nil {
		return nil, 0, "", "", err
	}
	ids := base.Clone().ColumnExpr(alias + ".id")
	back := q.Page.Backward()
	if q.Page.Cursor() {
		if err := cursorable(keys, l.Cursor); err != nil {
			return nil, 0, "", "", err
		}
		raw, param := q.Page.After, "page[after]"
		if back {
			raw, param = q.Page.Before, "page[before]"
		}
		if raw != "" {
			values, err := decodeCursor(raw, param, len(keys))
			if err != nil {
				return nil, 0, "", "", err
			}
			ids = afterCursor(ids, keys, values, back)
		}
		for i, k := range keys {
			ids = ids.ColumnExpr("? AS ?", bun.Safe(k.Expr), bun.Ident(fmt.Sprintf("k%d", i)))
		}
		ids = applyOrder(ids, keys, back).Limit(int64(q.Page.Size + 1))
	} else {
		ids = applyOrder(ids, keys, false).Limit(int64(q.Page.Limit())).Offset(int64(q.Page.Offset()))
		if total, err = countUpTo(ctx, db, base.Clone().ColumnExpr(alias+".id"), MaxCounted); err != nil {
			return nil, 0, "", "", apperr.Wrap(err, "count "+l.Table)
		}
	}
	var found []map[string]any
	if err := ids.Scan(ctx, &found); err != nil {
		return nil, 0, "", "", apperr.Wrap(err, "page of "+l.Table)
	}
	if q.Page.Cursor() {
		more := len(found) > q.Page.Size
		found = found[:min(len(found), q.Page.Size)]
		if back {
			slices.Reverse(found)
		}
		cursorOf := func(row map[string]any) string {
			values := make([]any, len(keys))
			for i := range keys {
				values[i] = row[fmt.Sprintf("k%d", i)]
			}
			return encodeCursor(values)
		}
		if len(found) > 0 {
			// Beyond the page in its own direction lie more rows when one more was found;
			// behind it lies at least the cursor's row, when there was a cursor.
			ahead, behind := more, q.Page.After != ""
			if back {
				ahead, behind = q.Page.Before != "", more
			}
			if ahead {
				next = cursorOf(found[len(found)-1])
			}
			if behind {
				prev = cursorOf(found[0])
			}
		}
	}
	if len(found) == 0 {
		return nil, total, prev, next, nil
	}
	pageIDs := make([]any, len(found))
	for i, row := range found {
		pageIDs[i] = row["id"]
	}
	sel := db.NewSelect().Model(&rows).ModelTableExpr(l.Table).ColumnExpr(alias + ".*")
	if l.Extend != nil {
		sel = sel.Apply(l.Extend)
	}
	if err := applyOrder(sel.Where(alias+".id IN (?)", bun.In(pageIDs)), keys, false).Scan(ctx); err != nil {
		return nil, 0, "", "", apperr.Wrap(err, "list "+l.Table)
	}
	return rows, total, prev, next, nil
}

// AliasOf returns the alias of "table AS alias", or the table name.
func AliasOf(table string) string {
	for i := len(table) - 1; i >= 0; i-- {
		if table[i] == ' ' {
			return table[i+1:]
		}
	}
	return table
}

// isDateColumn reports whether a filter's column holds dates, which filters also take as a
// range FROM..TO.
func isDateColumn(column string) bool {
	return strings.HasSuffix(column, "_date") || strings.HasSuffix(column, "_on")
}

// DateRule says what a date attribute or filter must be (model.Date.Valid).
const DateRule = "a date like 2026-11-24, from " + string(model.MinDate) + " to " + string(model.MaxDate)

// FilterValue converts a filter's text to its column's type, so that a malformed value is a
// 400 naming the parameter rather than a database error: ids are integers, "active" and
// similar flags are booleans, dates are dates.
func FilterValue(name, column, raw string) (any, error) {
	bad := func(want string) error {
		return &apperr.Error{Code: apperr.Invalid, Detail: "filter[" + name + "] must be " + want, Param: "filter[" + name + "]"}
	}
	switch {
	case strings.HasSuffix(column, "_id") || strings.HasSuffix(column, ".id") || strings.HasSuffix(column, "probability"):
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return nil, bad("a whole number")
		}
		return n, nil
	case strings.HasSuffix(column, "active"):
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return nil, bad("true or false")
		}
		return b, nil
	case isDateColumn(column):
		if !model.Date(raw).Valid() {
			return nil, bad(DateRule)
		}
		return raw, nil
	}
	return raw, nil
}
