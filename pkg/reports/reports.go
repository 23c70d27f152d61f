// Package reports is the feature service of the report and change-history reads: their SQL,
// transactions, rights decisions and masking. Both HTTP services call it with a typed actor
// (pkg/domain).
//
// Reports read through the same scopes and decisions as the resource endpoints, so a report
// never shows a row or a column that the resources hide; rights.DecideReport adds what a whole
// report hides (CASE-5, CASE-7, ACC-6) and whether it may run at all.
//
// A report is read a batch at a time (Batches), by keyset: the order's values of a batch's
// last row start the next batch. Each row is decided and masked as the resource endpoints
// decide and mask it, and the caller writes a batch out before it asks for the next, so that
// nothing holds a whole report, whatever its size.
//
// Batches rather than one cursor over one statement: each batch is a short statement, far
// inside the server's statement_timeout, and the connection goes back to the pool between
// batches, so a client that reads slowly holds neither a connection nor an open statement.
// The price is that a report is not one snapshot: a row that changes while the report streams
// shows its old or its new values, and one whose sort key changes may be missed or shown
// twice, as when paging through a list by cursor.
package reports

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Service is the reports service. Build it with New.
type Service struct{ env domain.Env }

// New returns the reports service over env.
func New(env domain.Env) *Service { return &Service{env: env} }

// BatchSize is how many rows (or, for the work-hour report, users or cases) a report reads
// at a time. A variable for the tests, which make a small organisation cross batch
// boundaries; a report takes the size it has when it starts.
var BatchSize = 1000

// Query is what a report request asks besides the report's own parameters. Err is what the
// transport found wrong reading the request (an unknown parameter, say): it is reported only
// once the report is allowed, so that a caller who may not run the report meets 403 whatever
// they ask.
type Query struct {
	Err error
}

// Batches is a report read a batch at a time: the caller asks for the next batch once it has
// written the last, so that the process holds one batch whatever the size of the report.
type Batches[T any] struct {
	// Hidden is what rights.DecideReport hides on every row of the report (CASE-5, CASE-7,
	// ACC-6): absent from every row, and from the header of a table of them.
	Hidden rights.FieldMask
	next   batchFunc[T]
}

// batchFunc reads the next batch of a report; none once the report is done.
type batchFunc[T any] func(ctx context.Context) ([]T, error)

// Next returns the next batch of rows, each decided and masked already; an empty batch once
// the report is done. ctx bounds this batch's reads only.
func (b *Batches[T]) Next(ctx context.Context) ([]T, error) { return b.next(ctx) }

// decide decides report r for a: apperr.Forbidden with the rule IDs when a may not run it,
// then q.Err, what was wrong with the request.
func decide(a domain.Actor, r rights.Report, q Query) (rights.Decision, error) {
	if a.Subject == nil {
		return rights.Decision{}, apperr.E(apperr.Forbidden, "Reports are for employees.")
	}
	rep := rights.DecideReport(a.Subject, r)
	if !rep.Allow {
		return rep, domain.Denied(rep)
	}
	return rep, q.Err
}

// keyset is a report read a keyset page at a time, each page in a batch of its own
// (readBatch).
type keyset[T any] struct {
	what  string        // "case report", in errors
	table string        // "cases AS c"
	order []listing.Key // the report's order, unique with its last key
	// query adds the columns and the actor's scope to a select of the table.
	query func(*bun.SelectQuery) *bun.SelectQuery
	// cursor gives a row's values of order.
	cursor func(*T) []any
	// keep decides and masks a row, false for a row the actor may not see (the scope already
	// left those out, so this is the decision's second word); nil keeps every row.
	keep func(*T) bool
}

// batches returns the batches of k, of BatchSize rows each before the decisions.
func (k keyset[T]) batches(s *Service) batchFunc[T] {
	var after []any
	done, limit := false, BatchSize
	return func(ctx context.Context) ([]T, error) {
		for !done {
			rows := make([]T, 0, limit)
			err := s.readBatch(ctx, func(ctx context.Context, idb bun.IDB) error {
				sel := idb.NewSelect().Model(&rows).ModelTableExpr(k.table).Apply(k.query)
				return listing.Keyset(sel, k.order, after, limit).Scan(ctx)
			})
			if err != nil {
				return nil, apperr.Wrap(err, k.what)
			}
			// A short batch is the last: no need to ask for the empty one after it.
			done = len(rows) < limit
			if len(rows) == 0 {
				break
			}
			after = k.cursor(&rows[len(rows)-1])
			kept := rows[:0]
			for i := range rows {
				if k.keep == nil || k.keep(&rows[i]) {
					kept = append(kept, rows[i])
				}
			}
			if len(kept) > 0 { // a batch the decisions emptied is not the end: read on
				return kept, nil
			}
		}
		return nil, nil
	}
}

// concat reads each part to its end, one after the other.
func concat[T any](parts ...batchFunc[T]) batchFunc[T] {
	return func(ctx context.Context) ([]T, error) {
		for len(parts) > 0 {
			rows, err := parts[0](ctx)
			if err != nil || len(rows) > 0 {
				return rows, err
			}
			parts = parts[1:]
		}
		return nil, nil
	}
}

// readBatch runs read, the statements of one batch of a report. On PostgreSQL they run in a
// read-only transaction without JIT compilation: the planner prices a batch's correlated sums
// above jit_above_cost, and compiling then costs more than the statement (an accounts batch
// took 1.3 s with JIT and 0.26 s without, a batch of hours 174 ms and 35 ms), paid again for
// every batch. SET LOCAL ends with the transaction, so pooled connections keep the setting.
func (s *Service) readBatch(ctx context.Context, read func(ctx context.Context, idb bun.IDB) error) error {
	if !db.IsPostgres(s.env.DB) {
		return read(ctx, s.env.DB)
	}
	return s.env.DB.RunInTx(ctx, &sql.TxOptions{ReadOnly: true}, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, "SET LOCAL jit = off"); err != nil {
			return err
		}
		return read(ctx, tx)
	})
}
