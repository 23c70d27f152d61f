package domain

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// ByID is the batch read behind include and related links: the rows that sel (a query over
// the type's table, aliased) finds with key in ids, in one query, keeping those keep lets
// the actor view (keep also masks them). what names the rows in a wrapped error.
func ByID[T any](ctx context.Context, sel func(rows any) *bun.SelectQuery, key string, ids []int64, what string, keep func(*T) bool) ([]*T, error) {
	var rows []*T
	if err := sel(&rows).Where("? IN (?)", bun.Safe(key), bun.In(ids)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load "+what)
	}
	return slices.DeleteFunc(rows, func(r *T) bool { return !keep(r) }), nil
}
