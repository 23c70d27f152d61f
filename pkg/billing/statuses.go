package billing

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Status is an invoice status of the ordered list in settings (RIGHTS.md section 5).
type Status struct {
	model.InvoiceStatus `bun:",extend"`
}

// Versioned implements domain.Versioned.
func (st *Status) Versioned() (int64, *int64) { return st.ID, &st.Version }

// StatusList is the collection of invoice statuses. Every employee sees the list: the
// invoice rights name its statuses (INV-2, INV-3).
func (s *Service) StatusList(domain.Actor) listing.Spec[Status] {
	return listing.Spec[Status]{DB: s.env.DB, Table: "invoice_statuses AS ist",
		Sorts: map[string]string{"position": "ist.position"}, Filters: map[string]string{"active": "ist.active"}}
}

// StatusesByID returns the statuses of ids in one query (include).
func (s *Service) StatusesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Status, error) {
	if a.Subject == nil {
		return nil, nil
	}
	var rows []*Status
	if err := s.env.DB.NewSelect().Model(&rows).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load invoice statuses")
	}
	return rows, nil
}

// StatusInput is a new status or a change of one; nil fields stay as they are.
type StatusInput struct {
	Name   *string
	Active *bool // on create, nil is active
}

// name validates the name sent and sets it on st.
func (in *StatusInput) name(st *Status) error {
	if in.Name == nil {
		return nil
	}
	name := strings.TrimSpace(*in.Name)
	if name == "" {
		return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
	}
	st.Name = name
	return nil
}

// errStatusName refuses a second status of one name.
var errStatusName = apperr.E(apperr.Conflict, "A status with this name exists.").AtPointer("/data/attributes/name")

// statusWritten turns the unique-name violation of a status write into errStatusName.
func statusWritten(err error) error {
	if err == nil {
		return nil
	}
	if msg := err.Error(); strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE=23505") ||
		strings.Contains(msg, "duplicate key value") {
		return errStatusName
	}
	return err
}

// bumpRights moves the rights epoch: the invoice limits of every subject are places in the
// status list, so a change of the list is a change of rights (PRF-6, access.Bump).
func bumpRights(ctx context.Context, tx bun.IDB, _ *Status) error {
	if err := access.Bump(ctx, tx); err != nil {
		return apperr.Wrap(err, "record a rights change")
	}
	return nil
}

// CreateStatus adds a status at the end of the list (ADM-2). Existing up_to limits keep
// their meaning, since they name a status, not a place. Errors: apperr.Forbidden,
// apperr.Invalid, apperr.Conflict (the name is taken).
func (s *Service) CreateStatus(ctx context.Context, a domain.Actor, in StatusInput) (*Status, error) {
	if d := rights.DecideAdmin(a.Subject, rights.AdminSettings); !d.Allow {
		return nil, domain.Denied(d)
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		return nil, apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	st := &Status{model.InvoiceStatus{Name: strings.TrimSpace(*in.Name), Active: in.Active == nil || *in.Active, Version: 1}}
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		if err := tx.NewSelect().Model((*model.InvoiceStatus)(nil)).ColumnExpr("COALESCE(MAX(position), 0)").Scan(ctx, &st.Position); err != nil {
			return apperr.Wrap(err, "find the last status position")
		}
		st.Position++
		if _, err := tx.NewInsert().Model(&st.InvoiceStatus).Returning("*").Exec(ctx); err != nil {
			return statusWritten(apperr.Wrap(err, "insert invoice status"))
		}
		if err := bumpRights(ctx, tx, st); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "invoice-statuses", ResourceID: st.ID,
			Changes: history.Diff(nil, map[string]any{"name": st.Name, "position": st.Position})})
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// UpdateStatus renames or (de)activates a status (ADM-2). Errors: apperr.Forbidden,
// apperr.NotFound, apperr.Stale, apperr.Invalid, apperr.Conflict (the name is taken).
func (s *Service) UpdateStatus(ctx context.Context, a domain.Actor, id int64, in StatusInput, x domain.Expect) (*Status, error) {
	st, err := domain.Save(ctx, s.env, a, domain.Update[*Status]{Table: "invoice_statuses", Resource: "invoice-statuses", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*Status, error) {
			if d := rights.DecideAdmin(a.Subject, rights.AdminSettings); !d.Allow {
				return nil, domain.Denied(d)
			}
			var st Status
			if err := tx.NewSelect().Model(&st).Where("id = ?", id).Scan(ctx); err != nil {
				return nil, domain.Loaded(err, "invoice status", id)
			}
			return &st, nil
		},
		Snapshot: func(st *Status) map[string]any { return map[string]any{"name": st.Name, "active": st.Active} },
		Apply: func(_ context.Context, _ bun.IDB, st *Status) error {
			if in.Active != nil {
				st.Active = *in.Active
			}
			return in.name(st)
		},
		Set: func(q *bun.UpdateQuery, st *Status) *bun.UpdateQuery {
			return q.Set("name = ?", st.Name).Set("active = ?", st.Active)
		},
		After: bumpRights,
	})
	if err != nil {
		return nil, statusWritten(err)
	}
	return st, nil
}
