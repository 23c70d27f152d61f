package server

import (
	"context"
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
// view (built from pkg/rights/scope, STYLE rule 2); resource renders one row, masked.
type listing[M any] struct {
	table    string            // "accounts AS a"
	sorts    map[string]string // sort field → SQL column
	filters  map[string]string // filter name → SQL column (equality)
	include  []string
	scope    func(*bun.SelectQuery) *bun.SelectQuery
	extend   func(*bun.SelectQuery) *bun.SelectQuery // extra columns or joins, optional
	resource func(*M) *jsonapi.Resource
}

// run answers GET on the collection: parse the query against the listing's sorts and
// filters, select the scoped page, render it with links and a total.
func (l listing[M]) run(s *Server, c *fiber.Ctx) error {
	spec := jsonapi.QuerySpec{Sort: slices.Sorted(maps.Keys(l.sorts)), Filters: slices.Sorted(maps.Keys(l.filters)), Include: l.include}
	q, err := jsonapi.ParseQueryCtx(c, spec)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	var rows []M
	alias := aliasOf(l.table)
	sel := s.db.NewSelect().Model(&rows).ModelTableExpr(l.table).ColumnExpr(alias + ".*")
	if l.extend != nil {
		sel = sel.Apply(l.extend)
	}
	sel = sel.Apply(l.scope)
	for name, raw := range q.Filter {
		value, err := filterValue(name, l.filters[name], raw)
		if err != nil {
			return err
		}
		sel = sel.Where("? = ?", bun.Safe(l.filters[name]), value)
	}
	for _, sf := range q.Sort {
		dir := " ASC"
		if sf.Desc {
			dir = " DESC"
		}
		sel = sel.OrderExpr(l.sorts[sf.Field] + dir)
	}
	total, err := sel.OrderExpr(alias + ".id ASC").Limit(int64(q.Page.Limit())).Offset(int64(q.Page.Offset())).ScanAndCount(ctx)
	if err != nil {
		return apperr.Wrap(err, "list "+l.table)
	}
	out := make([]*jsonapi.Resource, 0, len(rows))
	for i := range rows {
		if r := l.resource(&rows[i]); r != nil {
			out = append(out, r)
		}
	}
	links := jsonapi.PageLinks(c.Path(), string(c.Request().URI().QueryString()), q, int(total))
	doc := jsonapi.Document{Data: jsonapi.Many(out), Links: &links, Meta: jsonapi.Meta{"total": total}}
	if err := s.include(ctx, caller(c), &doc, q); err != nil {
		return err
	}
	doc.ApplyFields(q)
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
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
	case strings.HasSuffix(column, "_date") || strings.HasSuffix(column, "_on"):
		if !model.Date(raw).Valid() {
			return nil, bad(dateRule)
		}
		return raw, nil
	}
	return raw, nil
}
