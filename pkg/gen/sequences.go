package gen

import (
	"context"
	"fmt"
	"reflect"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/model"
)

// sequence hands out the ids of one table, after the largest id the table held at the start.
// Assigning ids in the generator lets a row refer to rows of the same run (an hour to its
// invoice, a user to a supervisor) without reading ids back from multi-row INSERTs, whose
// RETURNING order neither database promises.
type sequence struct {
	table string
	last  int64
}

// take returns the next id.
func (s *sequence) take() int64 {
	s.last++
	return s.last
}

// sequences are the id sequences of every table with a generated id.
type sequences struct {
	units, users, accounts, contacts, addresses, cases, phases, invoices, hours, rows, travel sequence
}

// all pairs each sequence with the model of its table.
func (s *sequences) all() []struct {
	seq   *sequence
	model any
} {
	return []struct {
		seq   *sequence
		model any
	}{
		{&s.units, (*model.BusinessUnit)(nil)}, {&s.users, (*model.User)(nil)},
		{&s.accounts, (*model.Account)(nil)}, {&s.contacts, (*model.Contact)(nil)},
		{&s.addresses, (*model.Address)(nil)}, {&s.cases, (*model.Case)(nil)},
		{&s.phases, (*model.Phase)(nil)}, {&s.invoices, (*model.Invoice)(nil)},
		{&s.hours, (*model.WorkHour)(nil)}, {&s.rows, (*model.InvoiceRow)(nil)},
		{&s.travel, (*model.TravelReimbursement)(nil)},
	}
}

// load starts every sequence after the largest id of its table.
func (s *sequences) load(ctx context.Context, idb bun.IDB) error {
	for _, e := range s.all() {
		e.seq.table = idb.Dialect().Tables().Get(typeOf(e.model)).Name
		if err := idb.NewSelect().Model(e.model).ColumnExpr("COALESCE(MAX(id), 0)").Scan(ctx, &e.seq.last); err != nil {
			return fmt.Errorf("largest id of %s: %w", e.seq.table, err)
		}
	}
	return nil
}

// sync moves PostgreSQL's identity sequences past the ids the generator assigned, so that
// the product's own inserts go on from there. SQLite's AUTOINCREMENT follows the largest id
// by itself.
func (s *sequences) sync(ctx context.Context, idb bun.IDB) error {
	if !db.IsPostgres(idb) {
		return nil
	}
	for _, e := range s.all() {
		_, err := idb.NewRaw("SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM ?",
			e.seq.table, bun.Ident(e.seq.table)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("move the id sequence of %s: %w", e.seq.table, err)
		}
	}
	return nil
}

// typeOf returns the struct type of a model given as a typed nil pointer.
func typeOf(m any) reflect.Type { return reflect.TypeOf(m).Elem() }
