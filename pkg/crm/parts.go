package crm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/rights"
)

// row is a stored account, contact or address: *Account, *Contact or *Address.
type row[M any] interface {
	*M
	domain.Versioned
	// times are the row's creation and last change.
	times() (created, updated *time.Time)
}

// part is one of accounts, contacts and addresses. The three follow the one Accounts right,
// which no attribute of the object changes (ACC-1, ACC-4, ACC-5, ACC-7), so one path reads,
// creates, updates and deletes each of them; only what is stored and checked differs.
type part[M any, P row[M]] struct {
	what, resource string // "contact", "contacts": in errors and in the history
	table, alias   string // "contacts", "ct"
	snapshot       func(P) map[string]any
	// set names the columns an update writes, besides the version and updated_at.
	set func(q *bun.UpdateQuery, m P) *bun.UpdateQuery
	// guard refuses a delete the object's state forbids (optional).
	guard func(ctx context.Context, tx bun.IDB, m P) error
}

// viewable reports whether a sees accounts, contacts and addresses at all: all of them or
// none (ACC-1, ACC-4). Portal contacts never do.
func viewable(a domain.Actor) bool {
	return a.Subject != nil && rights.DecideAccount(a.Subject, rights.AccountView, rights.AccountAttrs{}).Allow
}

// decide is the Accounts right on one object (id 0: a new one): apperr.NotFound when a may
// not view accounts at all (STYLE rule 3), apperr.Forbidden when they view but may not take
// action (ACC-1, ACC-4, ACC-5, ACC-7).
func decide(a domain.Actor, action rights.AccountAction, what string, id int64) error {
	if !viewable(a) {
		if id == 0 {
			return apperr.E(apperr.NotFound, "No such resource.")
		}
		return domain.NotFound(what, id)
	}
	if d := rights.DecideAccount(a.Subject, action, rights.AccountAttrs{ID: id}); !d.Allow {
		return domain.Denied(d)
	}
	return nil
}

// list is the collection of the part: every row for whoever may view accounts, none for
// anyone else (ACC-1, ACC-4).
func (p part[M, P]) list(s *Service, a domain.Actor, sorts, filters map[string]string, include ...string) listing.Spec[M] {
	see := viewable(a)
	return listing.Spec[M]{DB: s.env.DB, Table: p.table + " AS " + p.alias, Sorts: sorts, Filters: filters, Include: include,
		Scope: func(q *bun.SelectQuery) *bun.SelectQuery {
			if !see {
				return q.Where("1 = 0")
			}
			return q
		}}
}

func (p part[M, P]) selectRows(db bun.IDB, dst any) *bun.SelectQuery {
	return db.NewSelect().Model(dst).ModelTableExpr(p.table + " AS " + p.alias).ColumnExpr(p.alias + ".*")
}

// load reads row id and decides action on it (decide).
func (p part[M, P]) load(ctx context.Context, db bun.IDB, a domain.Actor, id int64, action rights.AccountAction) (P, error) {
	if err := decide(a, action, p.what, id); err != nil {
		return nil, err
	}
	m := P(new(M))
	if err := p.selectRows(db, m).Where(p.alias+".id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, p.what, id)
	}
	return m, nil
}

// byID reads the rows of ids that a may view, in one query.
func (p part[M, P]) byID(ctx context.Context, s *Service, a domain.Actor, ids []int64) ([]P, error) {
	if !viewable(a) || len(ids) == 0 {
		return nil, nil
	}
	var rows []P
	if err := p.selectRows(s.env.DB, &rows).Where(p.alias+".id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load "+p.resource)
	}
	return rows, nil
}

// create stores a new row that its caller decided (ACC-5) and validated: check runs first in
// the transaction (the account it points at, a free portal email), then the row is
// inserted with its creation in the history.
func (p part[M, P]) create(ctx context.Context, s *Service, a domain.Actor, m P, check func(ctx context.Context, tx bun.IDB) error) (P, error) {
	created, updated := m.times()
	*created = s.env.Now().UTC()
	*updated = *created
	_, version := m.Versioned()
	*version = 1
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		if check != nil {
			if err := check(ctx, tx); err != nil {
				return err
			}
		}
		if _, err := tx.NewInsert().Model(m).ModelTableExpr(p.table).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert "+p.what)
		}
		id, _ := m.Versioned()
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: p.resource, ResourceID: id,
			Changes: history.Diff(nil, p.snapshot(m))})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// update changes row id through domain.Save: the edit right (ACC-5), the version a edited,
// apply (which validates), the write and the history. after runs once the row is written
// (optional).
func (p part[M, P]) update(ctx context.Context, s *Service, a domain.Actor, id int64, x domain.Expect,
	apply func(ctx context.Context, tx bun.IDB, m P) error, after func(ctx context.Context, tx bun.IDB, m P) error) (P, error) {
	now := s.env.Now().UTC()
	return domain.Save(ctx, s.env, a, domain.Update[P]{Table: p.table, Resource: p.resource, Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (P, error) {
			return p.load(ctx, tx, a, id, rights.AccountEdit)
		},
		Snapshot: p.snapshot,
		Apply: func(ctx context.Context, tx bun.IDB, m P) error {
			if err := apply(ctx, tx, m); err != nil {
				return err
			}
			_, updated := m.times()
			*updated = now
			return nil
		},
		Set: func(q *bun.UpdateQuery, m P) *bun.UpdateQuery {
			return p.set(q, m).Set("updated_at = ?", now)
		},
		After: after,
	})
}

// remove deletes row id (ACC-7) unless its guard refuses, recording what was removed. A row
// that other records still point at stays: apperr.Conflict.
func (p part[M, P]) remove(ctx context.Context, s *Service, a domain.Actor, id int64) error {
	return s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		m, err := p.load(ctx, tx, a, id, rights.AccountDelete)
		if err != nil {
			return err
		}
		if p.guard != nil {
			if err := p.guard(ctx, tx, m); err != nil {
				return err
			}
		}
		if _, err := tx.NewDelete().TableExpr(p.table).Where("id = ?", id).Exec(ctx); err != nil {
			if referenced(err) {
				return apperr.E(apperr.Conflict, "The %s is still referenced by other records.", p.what)
			}
			return apperr.Wrap(err, fmt.Sprintf("delete %s %d", p.what, id))
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "delete", ResourceType: p.resource, ResourceID: id,
			Changes: history.Diff(p.snapshot(m), nil)})
	})
}

// referenced reports whether err is a foreign key that still points at a deleted row: a
// contact who approved hours or wrote comments stays, for the record.
func referenced(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "23503"
	}
	return strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// trimmed sets *dst to the trimmed *v when v was sent.
func trimmed(dst, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}

// required refuses an attribute sent empty (or only blanks).
func required(name string, v *string) error {
	if v != nil && strings.TrimSpace(*v) == "" {
		return apperr.E(apperr.Invalid, "%s may not be empty", name).AtPointer("/data/attributes/" + name)
	}
	return nil
}
