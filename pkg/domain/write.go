package domain

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
)

// Env is what every feature service is built on: the database, the clock (STYLE rule 8) and
// the log of what only operators should see (a list row the single-object decision refuses,
// a stored object left behind).
type Env struct {
	DB  *bun.DB
	Now func() time.Time
	Log *slog.Logger
}

// NewEnv returns the environment over d with a clock (time.Now when none is given) and the
// default log.
func NewEnv(d *bun.DB, now func() time.Time) Env {
	if now == nil {
		now = time.Now
	}
	return Env{DB: d, Now: now, Log: slog.Default()}
}

// WithLog returns e logging to log (nil keeps e's log).
func (e Env) WithLog(log *slog.Logger) Env {
	if log != nil {
		e.Log = log
	}
	return e
}

// Tx runs fn in one transaction: all of it commits, or none of it.
func (e Env) Tx(ctx context.Context, fn func(ctx context.Context, tx bun.IDB) error) error {
	return e.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return fn(ctx, tx) })
}

// Record writes one change-history entry by a, inside tx.
func (e Env) Record(ctx context.Context, tx bun.IDB, a Actor, entry history.Entry) error {
	entry.Actor = a.History()
	if err := history.Record(ctx, tx, e.Now(), entry); err != nil {
		return apperr.Wrap(err, "record change")
	}
	return nil
}

// Versioned is an object with optimistic concurrency: its id and a pointer to its version.
type Versioned interface {
	Versioned() (id int64, version *int64)
}

// Expect is the version an actor edited. Version nil accepts any version (a portal decision
// sent without one). Err is what the transport found wrong reading it (say a missing
// If-Match); it is reported only once the object is found visible and actionable, so that
// an invisible object stays a plain NotFound.
type Expect struct {
	Version *int64
	Err     error
}

// AnyVersion expects nothing.
var AnyVersion = Expect{}

// Version expects version v.
func Version(v int64) Expect { return Expect{Version: &v} }

func (x Expect) check(current int64) error {
	if x.Err != nil {
		return x.Err
	}
	if x.Version != nil && *x.Version != current {
		return apperr.E(apperr.Stale, "This changed since version %d; it is now at version %d. Reload and retry.", *x.Version, current)
	}
	return nil
}

// Update is one change of one object. Save runs it.
type Update[T Versioned] struct {
	Table    string // "work_hours"
	Resource string // "work-hours", for the history
	// Load reads the object inside the transaction and decides the action on it: NotFound
	// when the actor may not view it, Forbidden when they may view but not act.
	Load   func(ctx context.Context, tx bun.IDB) (T, error)
	Expect Expect
	// Snapshot is what the history compares before and after.
	Snapshot func(T) map[string]any
	// Apply validates the change and makes it on the loaded object in memory; it may query.
	Apply func(ctx context.Context, tx bun.IDB, t T) error
	// Set names the columns the UPDATE writes from the changed object.
	Set func(q *bun.UpdateQuery, t T) *bun.UpdateQuery
	// Entry fills what the history entry says besides the change itself: CaseID,
	// SubjectUserID (optional).
	Entry func(t T, e *history.Entry)
	// After runs in the transaction once the row is written: figures, rights epoch (optional).
	After func(ctx context.Context, tx bun.IDB, t T) error
	// SkipUnchanged leaves an object whose snapshot did not change as it is, without a new
	// version or a history entry (deciding again what is already decided).
	SkipUnchanged bool
}

// Save is the one write path of every update: in one transaction it loads the object with
// the actor's rights, checks the version the actor edited (apperr.Stale), applies the change,
// bumps the version (apperr.Stale when a concurrent writer won), and records the history.
func Save[T Versioned](ctx context.Context, e Env, a Actor, u Update[T]) (T, error) {
	var out T
	err := e.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		t, err := u.Load(ctx, tx)
		if err != nil {
			return err
		}
		id, version := t.Versioned()
		if err := u.Expect.check(*version); err != nil {
			return err
		}
		before := u.Snapshot(t)
		if err := u.Apply(ctx, tx, t); err != nil {
			return err
		}
		changes := history.Diff(before, u.Snapshot(t))
		if u.SkipUnchanged && len(changes) == 0 {
			out = t
			return nil
		}
		if err := db.BumpVersion(ctx, tx, u.Table, id, *version, func(q *bun.UpdateQuery) *bun.UpdateQuery { return u.Set(q, t) }); err != nil {
			return err
		}
		*version++
		if u.After != nil {
			if err := u.After(ctx, tx, t); err != nil {
				return err
			}
		}
		entry := history.Entry{Action: "update", ResourceType: u.Resource, ResourceID: id, Changes: changes}
		if u.Entry != nil {
			u.Entry(t, &entry)
		}
		if err := e.Record(ctx, tx, a, entry); err != nil {
			return err
		}
		out = t
		return nil
	})
	return out, err
}

// Removal is the deletion of one object. Remove runs it.
type Removal[T Versioned] struct {
	Table    string // "work_hours"
	Resource string // "work-hours", for the history
	// Load reads the object inside the transaction and decides the deletion: NotFound when
	// the actor may not view it, Forbidden when they may view but not delete.
	Load func(ctx context.Context, tx bun.IDB) (T, error)
	// Check says why the object must stay (apperr.Conflict), or removes what goes with it
	// (optional).
	Check func(ctx context.Context, tx bun.IDB, t T) error
	// Snapshot is what the history keeps of the deleted object.
	Snapshot func(T) map[string]any
	// Entry fills what the history entry says besides the change (optional).
	Entry func(t T, e *history.Entry)
	// After runs in the transaction once the row is gone: figures, rights epoch (optional).
	After func(ctx context.Context, tx bun.IDB, t T) error
}

// Remove is the one delete path: in one transaction it loads the object with the actor's
// rights, checks what must hold, deletes the row, runs After and records the history.
func Remove[T Versioned](ctx context.Context, e Env, a Actor, r Removal[T]) error {
	return e.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		t, err := r.Load(ctx, tx)
		if err != nil {
			return err
		}
		if r.Check != nil {
			if err := r.Check(ctx, tx, t); err != nil {
				return err
			}
		}
		id, _ := t.Versioned()
		if _, err := tx.NewDelete().Table(r.Table).Where("id = ?", id).Exec(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("delete %s %d", r.Resource, id))
		}
		if r.After != nil {
			if err := r.After(ctx, tx, t); err != nil {
				return err
			}
		}
		entry := history.Entry{Action: "delete", ResourceType: r.Resource, ResourceID: id, Changes: history.Diff(r.Snapshot(t), nil)}
		if r.Entry != nil {
			r.Entry(t, &entry)
		}
		return e.Record(ctx, tx, a, entry)
	})
}
