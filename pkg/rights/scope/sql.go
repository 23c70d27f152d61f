package scope

import (
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// SQL spellings of the constant conditions; "1 = 1" and "1 = 0" mean the same on every
// dialect, unlike TRUE and FALSE.
const (
	always = "1 = 1"
	never  = "1 = 0"
)

// anyOf is a disjunction of SQL conditions: a row is in it when all is set or any term holds.
// The zero value holds no row.
type anyOf struct {
	all   bool
	terms []schema.QueryWithArgs
}

// add appends one term; values go in args, never into query.
func (d *anyOf) add(query string, args ...any) {
	d.terms = append(d.terms, bun.SafeQuery(query, args...))
}

// expr renders the disjunction as one parenthesised condition.
func (d anyOf) expr() schema.QueryWithArgs {
	switch {
	case d.all:
		return bun.SafeQuery(always)
	case len(d.terms) == 0:
		return bun.SafeQuery(never)
	case len(d.terms) == 1:
		return bun.SafeQuery("(?)", d.terms[0])
	}
	args := make([]any, len(d.terms))
	for i, t := range d.terms {
		args[i] = t
	}
	return bun.SafeQuery("("+strings.Repeat("? OR ", len(d.terms)-1)+"?)", args...)
}

// apply is the query modifier that keeps the rows of the disjunction.
func (d anyOf) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if d.all {
		return q
	}
	return q.Where("?", d.expr())
}

// in binds a non-empty id list for "IN (?)". Callers skip empty lists: bun renders them as
// NULL, which matches nothing but reads like a mistake.
func in(ids []int64) schema.QueryAppender {
	return bun.In(ids)
}

// all is the modifier that keeps every row.
func all(q *bun.SelectQuery) *bun.SelectQuery { return q }

// nothing is the modifier that keeps no row.
func nothing(q *bun.SelectQuery) *bun.SelectQuery { return q.Where(never) }
