// Package gen builds a firm-scale organisation for performance work (issue "Firm scale"): a
// unit tree a few levels deep, a supervisor tree about six deep, users on the default
// profiles with a few per-user right overrides, accounts with contacts and addresses, cases
// with a long tail of members, phases, ten years of work hours, invoices made from those
// hours, and travel reimbursements.
//
// Every row goes through the product's own schema (the bun models of pkg/model), in batches
// of a few thousand rows inside one transaction, so a run that fails leaves the database as
// it was: COPY on PostgreSQL (a million hours in a minute or two on two cores), multi-row
// INSERTs on SQLite. The generator assigns ids itself, after the largest id already in
// each table, so that rows refer to each other without reading anything back; PostgreSQL's
// identity sequences are moved past them before the commit. The same seed and sizes give the
// same organisation.
package gen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/auth"
	dbpkg "github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/model"
)

// Sizes are how many rows of each kind to generate.
type Sizes struct {
	Users, Units, Accounts, Cases, Hours, Invoices, Travel int
}

// DefaultSizes is firm scale: 5,000 users in 200 units, 10,000 accounts, 100,000 cases, a
// million work hours, 50,000 invoices and 20,000 travel reimbursements.
func DefaultSizes() Sizes {
	return Sizes{Users: 5000, Units: 200, Accounts: 10000, Cases: 100000, Hours: 1000000, Invoices: 50000, Travel: 20000}
}

// Config is one run of the generator.
type Config struct {
	Sizes
	// Seed chooses the organisation: the same seed and sizes give the same rows.
	Seed int64
	// Now is the clock; the ten years of dates end on its day. Nil means time.Now.
	Now func() time.Time
	// Progress receives progress lines such as "hours 300000/1000000 (12.3s)"; nil means none.
	Progress io.Writer
}

// Errors of Generate; they are wrapped with the details.
var (
	// ErrNotEmpty: the database already has users or business units. The generator builds a
	// whole organisation, with its own head and root unit, so it only fills an empty one.
	ErrNotEmpty = errors.New("gen: the database already has an organisation")
	// ErrSizes: the sizes cannot make an organisation (too few users for the units, more
	// invoices than half the hours, …).
	ErrSizes = errors.New("gen: invalid sizes")
)

// Generate fills an empty database (migrated, with the default profiles and invoice statuses
// of bootstrap.Ensure) with an organisation of the given sizes, and returns the logins of its
// representative callers. Every user's password is demo.Password. It returns ErrNotEmpty when
// users or units exist and ErrSizes for sizes it cannot build.
func Generate(ctx context.Context, db *bun.DB, cfg Config) (*Logins, error) {
	if err := cfg.Sizes.validate(); err != nil {
		return nil, err
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	// One hash for every user: hashing thousands of passwords would take minutes.
	hash, err := auth.HashPassword(demo.Password)
	if err != nil {
		return nil, fmt.Errorf("hash the generated users' password: %w", err)
	}
	p := newProgress(cfg.Progress)
	var logins *Logins
	err = inTransaction(ctx, db, dbpkg.IsPostgres(db), func(ctx context.Context, w writer) error {
		if err := ensureEmpty(ctx, w.db); err != nil {
			return err
		}
		g, err := newGenerator(ctx, w, cfg, hash, p)
		if err != nil {
			return err
		}
		logins, err = g.run(ctx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("generate organisation: %w", err)
	}
	if err := analyze(ctx, db); err != nil {
		return nil, err
	}
	p.done("analyze")
	return logins, nil
}

// analyze refreshes the planner's statistics of the tables the generator filled, so that the
// first benchmark does not plan as if they were empty. Only those tables: a database-wide
// ANALYZE would also read every other schema of a shared test database.
func analyze(ctx context.Context, db *bun.DB) error {
	var s sequences
	models := []any{(*model.CaseMember)(nil), (*model.RightOverride)(nil)}
	for _, e := range s.all() {
		models = append(models, e.model)
	}
	for _, m := range models {
		name := db.Dialect().Tables().Get(typeOf(m)).Name
		if _, err := db.NewRaw("ANALYZE ?", bun.Ident(name)).Exec(ctx); err != nil {
			return fmt.Errorf("analyze %s: %w", name, err)
		}
	}
	return nil
}

func ensureEmpty(ctx context.Context, idb bun.IDB) error {
	for _, m := range []any{(*model.User)(nil), (*model.BusinessUnit)(nil)} {
		n, err := idb.NewSelect().Model(m).Count(ctx)
		if err != nil {
			return fmt.Errorf("count existing rows: %w", err)
		}
		if n > 0 {
			name := idb.Dialect().Tables().Get(typeOf(m)).Name
			return fmt.Errorf("%w: %s has %d rows; gen fills an empty database only", ErrNotEmpty, name, n)
		}
	}
	return nil
}

func (s Sizes) validate() error {
	switch {
	case s.Users < 0 || s.Units < 0 || s.Accounts < 0 || s.Cases < 0 || s.Hours < 0 || s.Invoices < 0 || s.Travel < 0:
		return fmt.Errorf("%w: sizes cannot be negative", ErrSizes)
	case s.Units < 2:
		return fmt.Errorf("%w: at least 2 units (a root and one below it)", ErrSizes)
	case s.Users < 2*s.Units+10:
		return fmt.Errorf("%w: %d units need at least %d users (a manager each, and staff)", ErrSizes, s.Units, 2*s.Units+10)
	case s.Accounts < 1 || s.Cases < 1:
		return fmt.Errorf("%w: at least one account and one case", ErrSizes)
	case s.Invoices > s.Hours/2:
		return fmt.Errorf("%w: %d invoices need at least %d hours (each invoice bills hours)", ErrSizes, s.Invoices, 2*s.Invoices)
	}
	return nil
}
