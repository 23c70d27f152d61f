package server

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
)

// listing describes one collection endpoint. The scope limits rows to what the caller may
// view (built from pkg/rights/scope, STYLE rule 2); resource renders one row, masked. Rows
// are selected in two steps (see paging.go): the page's ids, then the rows of those ids.
type listing[M any] struct {
	table    string            // "accounts AS a"
	sorts    map[string]string // sort field → SQL expression over the table alone
	filters  map[string]string // filter name → SQL column (equality)
	include  []string
	scope    func(*bun.SelectQuery) *bun.SelectQuery
	extend   func(*bun.SelectQuery) *bun.SelectQuery // extra columns or joins of the page's rows, optional
	resource func(*M) *jsonapi.Resource
	// cursor names the sort fields that may be paged by cursor besides the id: columns that
	// are never NULL and compare alike on both databases.
	cursor map[string]bool
}

// run answers GET on the collection: parse the query against the listing's sorts and
// filters, select the scoped page, render it with links (and a total when paged by number).
func (l listing[M]) run(s *Server, c *fiber.Ctx) error {
	spec := jsonapi.QuerySpec{Cursor: true, Sort: slices.Sorted(maps.Keys(l.sorts)), Filters: slices.Sorted(maps.Keys(l.filters)), Include: l.include}
	q, err := jsonapi.ParseQueryCtx(c, spec)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	rows, total, prev, next, err := l.page(ctx, s.db, q)
	if err != nil {
		return err
	}
	out := make([]*jsonapi.Resource, 0, len(rows))
	for i := range rows {
		if r := l.resource(&rows[i]); r != nil {
			out = append(out, r)
		}
	}
	doc := jsonapi.Document{Data: jsonapi.Many(out)}
	var links jsonapi.Links
	if q.Page.Cursor() {
		links = jsonapi.CursorLinks(c.Path(), string(c.Request().URI().QueryString()), q, prev, next)
	} else {
		links = jsonapi.PageLinks(c.Path(), string(c.Request().URI().QueryString()), q, total)
		if total >= 0 {
			doc.Meta = jsonapi.Meta{"total": total}
		} else {
			doc.Meta = jsonapi.Meta{"totalExceeds": maxCounted}
		}
	}
	doc.Links = &links
	if err := s.include(ctx, caller(c), &doc, q); err != nil {
		return err
	}
	doc.ApplyFields(q)
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
}

// maxCounted is how many rows a page by number counts at most for meta.total: beyond it
// the total is left out (meta.totalExceeds), so that no page costs a count of a firm's
// whole history.
const maxCounted = 1000

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

// page selects the rows of q's page. Paged by number it counts the scope up to maxCounted
// (total, -1 beyond); paged by cursor it returns the cursors of the rows before and after the
// page ("" at either end).
func (l listing[M]) page(ctx context.Context, db bun.IDB, q jsonapi.Query) (rows []M, total int, prev, next string, err error) {
	alias := aliasOf(l.table)
	keys := orderOf(q, l.sorts, alias)
	base := db.NewSelect().TableExpr(l.table).Apply(l.scope)
	for name, raw := range q.Filter {
		column := l.filters[name]
		if from, to, ok := strings.Cut(raw, ".."); ok && isDateColumn(column) {
			// A date range, both ends included: filter[workDate]=2026-11-01..2026-11-30.
			lo, err := filterValue(name, column, from)
			if err != nil {
				return nil, 0, "", "", err
			}
			hi, err := filterValue(name, column, to)
			if err != nil {
				return nil, 0, "", "", err
			}
			base = base.Where("? >= ?", bun.Safe(column), lo).Where("? <= ?", bun.Safe(column), hi)
			continue
		}
		value, err := filterValue(name, column, raw)
		if err != nil {
			return nil, 0, "", "", err
		}
		base = base.Where("? = ?", bun.Safe(column), value)
	}
	ids := base.Clone().ColumnExpr(alias + ".id")
	back := q.Page.Backward()
	if q.Page.Cursor() {
		if err := cursorable(keys, l.cursor); err != nil {
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
			ids = ids.ColumnExpr("? AS ?", bun.Safe(k.expr), bun.Ident(fmt.Sprintf("k%d", i)))
		}
		ids = applyOrder(ids, keys, back).Limit(int64(q.Page.Size + 1))
	} else {
		ids = applyOrder(ids, keys, false).Limit(int64(q.Page.Limit())).Offset(int64(q.Page.Offset()))
		if total, err = countUpTo(ctx, db, base.Clone().ColumnExpr(alias+".id"), maxCounted); err != nil {
			return nil, 0, "", "", apperr.Wrap(err, "count "+l.table)
		}
	}
	var found []map[string]any
	if err := ids.Scan(ctx, &found); err != nil {
		return nil, 0, "", "", apperr.Wrap(err, "page of "+l.table)
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
	sel := db.NewSelect().Model(&rows).ModelTableExpr(l.table).ColumnExpr(alias + ".*")
	if l.extend != nil {
		sel = sel.Apply(l.extend)
	}
	if err := applyOrder(sel.Where(alias+".id IN (?)", bun.In(pageIDs)), keys, false).Scan(ctx); err != nil {
		return nil, 0, "", "", apperr.Wrap(err, "list "+l.table)
	}
	return rows, total, prev, next, nil
}

// aliasOf returns the alias of "table AS alias", or the table name.
func aliasOf(table string) string {
	for i := len(table) - 1; i >= 0; i-- {
		if table[i] == ' ' {
			return table[i+1:]
		}
	}
	return table
}

// getOne loads row id of table into m; a missing row is NotFound.
func getOne(ctx context.Context, db bun.IDB, m any, table string, id int64) error {
	alias := aliasOf(table)
	err := db.NewSelect().Model(m).ModelTableExpr(table).ColumnExpr(alias+".*").Where(alias+".id = ?", id).Scan(ctx)
	if isNoRows(err) {
		return apperr.E(apperr.NotFound, "No such resource %d.", id)
	}
	if err != nil {
		return apperr.Wrap(err, "load "+table)
	}
	return nil
}

// writeOne renders one resource with the query's sparse fieldsets.
func writeOne(c *fiber.Ctx, status int, res *jsonapi.Resource) error {
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{})
	if err != nil {
		return err
	}
	doc := jsonapi.Document{Data: jsonapi.One(res)}
	doc.ApplyFields(q)
	if status == fiber.StatusCreated {
		return jsonapi.Created(c, doc, res.Links.Self)
	}
	return jsonapi.WriteDocument(c, status, doc)
}

// bind parses a single-resource document and binds it into dst (strict: unknown attributes
// are 400, forbidden ones 403, and nothing is bound on any error). Every timestamp attribute
// must lie in model.MinTime..MaxTime (checkTimes), whichever endpoint binds it.
func bind(c *fiber.Ctx, typ, id string, dst any, forbidden ...string) error {
	in, err := jsonapi.ParseResource(c.Body(), typ, id)
	if err != nil {
		return err
	}
	if err := in.Bind(dst, jsonapi.BindOptions{Forbidden: forbidden}); err != nil {
		return err
	}
	return checkTimes(dst)
}

// isDateColumn reports whether a filter's column holds dates, which filters also take as a
// range FROM..TO.
func isDateColumn(column string) bool {
	return strings.HasSuffix(column, "_date") || strings.HasSuffix(column, "_on")
}

// filterValue converts a filter's text to its column's type, so that a malformed value is a
// 400 naming the parameter rather than a database error: ids are integers, "active" and
// similar flags are booleans, dates are dates.
func filterValue(name, column, raw string) (any, error) {
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
			return nil, bad(dateRule)
		}
		return raw, nil
	}
	return raw, nil
}
