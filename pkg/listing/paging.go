package listing

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// A list answers in two steps, so that a page costs what its rows cost: first the ids of the
// page, from the table, the caller's scope, the filters and the order alone (no joins, no
// derived figures), then the page's rows with whatever they are rendered with, for those ids
// only. Paging is by page[number] (with meta.total, counted over the scope without joins), or
// by cursor (page[after], page[before]; no total), where a deep page costs what page 1 costs.

// Key is one term of a list's order.
type Key struct {
	Field string // the API's name ("" for the id tie-break)
	Expr  string // SQL over the table's alias
	Desc  bool
}

// orderOf returns the order of q over sorts, with the id as the last, unique, term.
func orderOf(q jsonapi.Query, sorts map[string]string, alias string) []Key {
	keys := make([]Key, 0, len(q.Sort)+1)
	for _, sf := range q.Sort {
		keys = append(keys, Key{Field: sf.Field, Expr: sorts[sf.Field], Desc: sf.Desc})
	}
	return append(keys, Key{Expr: alias + ".id"})
}

// applyOrder orders sel by keys, each reversed when back is set.
func applyOrder(sel *bun.SelectQuery, keys []Key, back bool) *bun.SelectQuery {
	for _, k := range keys {
		dir := " ASC"
		if k.Desc != back {
			dir = " DESC"
		}
		sel = sel.OrderExpr(k.Expr + dir)
	}
	return sel
}

// afterCursor keeps the rows that come after (back: before) the row whose keys are values,
// in the order of keys: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR …, with > and < swapped for
// descending keys and for back.
func afterCursor(sel *bun.SelectQuery, keys []Key, values []any, back bool) *bun.SelectQuery {
	return sel.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for i := range keys {
			q = q.WhereGroup(" OR ", func(q *bun.SelectQuery) *bun.SelectQuery {
				for j := 0; j < i; j++ {
					q = q.Where("? = ?", bun.Safe(keys[j].Expr), values[j])
				}
				op := " > "
				if keys[i].Desc != back {
					op = " < "
				}
				return q.Where("?"+op+"?", bun.Safe(keys[i].Expr), values[i])
			})
		}
		return q
	})
}

// cursorable reports whether every key of the order may be paged by cursor: only columns
// that are never NULL and compare alike on both databases (text, numbers, dates).
func cursorable(keys []Key, allowed map[string]bool) error {
	for _, k := range keys {
		if k.Field != "" && !allowed[k.Field] {
			return &apperr.Error{Code: apperr.Invalid, Param: "sort",
				Detail: fmt.Sprintf("Paging by cursor is not offered when sorting by %s; use page[number], or sort by another field.", k.Field)}
		}
	}
	return nil
}

// encodeCursor makes the opaque cursor of a row from the values of its keys.
func encodeCursor(values []any) string {
	norm := make([]any, len(values))
	for i, v := range values {
		switch t := v.(type) {
		case time.Time:
			// Dates come back from PostgreSQL as midnight; SQLite stores them as text.
			norm[i] = t.UTC().Format(time.DateOnly)
		case []byte:
			norm[i] = string(t)
		default:
			norm[i] = v
		}
	}
	b, _ := json.Marshal(norm) // values are strings, numbers and booleans
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor made by encodeCursor for an order of n keys.
func decodeCursor(raw, param string, n int) ([]any, error) {
	bad := &apperr.Error{Code: apperr.Invalid, Param: param,
		Detail: param + " is not a cursor of this list in this order; follow links.next or links.prev of a page."}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, bad
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var values []any
	if err := dec.Decode(&values); err != nil || len(values) != n {
		return nil, bad
	}
	for i, v := range values {
		switch t := v.(type) {
		case json.Number:
			if n, err := t.Int64(); err == nil {
				values[i] = n
			} else if f, err := t.Float64(); err == nil && !math.IsInf(f, 0) {
				values[i] = f
			} else {
				return nil, bad
			}
		case string, bool:
		default:
			return nil, bad
		}
	}
	return values, nil
}

// Keyset orders sel by keys and keeps the limit rows after the row whose key values are
// after (from the start when after is nil): the paging of exports and reports, which walk a
// whole scope page by page at the cost of one page each.
func Keyset(sel *bun.SelectQuery, keys []Key, after []any, limit int) *bun.SelectQuery {
	if after != nil {
		sel = afterCursor(sel, keys, after, false)
	}
	return applyOrder(sel, keys, false).Limit(int64(limit))
}
