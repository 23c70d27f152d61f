package calendar

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// Activity is a calendar activity with what its decisions depend on, as one employee sees it.
type Activity struct {
	model.Activity `bun:",extend"`
	Participants   IDs    `bun:"participants"`
	CaseOwnerID    *int64 `bun:"case_owner_id"`
	CaseUnitID     *int64 `bun:"case_unit_id"`
	CaseAccountID  *int64 `bun:"case_account_id"`
	// Visibility is how much of it the actor sees: the label and the time always (ACT-1),
	// the name from VisibleName (ACT-2), everything from VisibleFull (ACT-3..7, ACC-8,
	// CASE-15).
	Visibility rights.Visibility `bun:"visibility"`
}

// Versioned implements domain.Versioned.
func (a *Activity) Versioned() (int64, *int64) { return a.ID, &a.Version }

// Attrs are what the rights decisions on the activity depend on.
func (a *Activity) Attrs() rights.ActivityAttrs {
	cat, _ := rights.ParseActivityCategory(a.Category)
	out := rights.ActivityAttrs{OwnerID: a.OwnerID, Category: cat, Participants: a.Participants}
	if a.CaseID != nil && a.CaseOwnerID != nil {
		out.Case = &rights.CaseAttrs{ID: *a.CaseID, OwnerID: *a.CaseOwnerID, UnitID: *a.CaseUnitID, AccountID: *a.CaseAccountID}
	}
	if a.AccountID != nil {
		out.AccountID = *a.AccountID
	}
	return out
}

// Labels are the activity categories, each with the label a calendar shows of an activity
// whose content is hidden (ACT-2, ACT-4, ACT-5).
var Labels = map[string]string{"work": "Work", "todo": "To-do", "out_of_office": "Out of office", "personal": "Private"}

func activityColumns(q *bun.SelectQuery) *bun.SelectQuery {
	agg := "string_agg(CAST(ap.user_id AS TEXT), ',')"
	if q.Dialect().Name().String() != "pg" {
		agg = "group_concat(ap.user_id)"
	}
	return q.ColumnExpr("act.*").
		ColumnExpr("COALESCE((SELECT " + agg + " FROM activity_participants ap WHERE ap.activity_id = act.id), '') AS participants").
		ColumnExpr("ac.owner_id AS case_owner_id, ac.unit_id AS case_unit_id, ac.account_id AS case_account_id").
		Join("LEFT JOIN cases AS ac ON ac.id = act.case_id")
}

func selectActivities(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("activities AS act").Apply(activityColumns)
}

// ActivityList is the calendar: every activity (ACT-1), each with how much of it a may see,
// computed in SQL by the same rules as rights.ActivityVisibility. Filters reach only the
// owner and the category, which the label shows anyway.
func (s *Service) ActivityList(a domain.Actor) listing.Spec[Activity] {
	return listing.Spec[Activity]{DB: s.env.DB, Table: "activities AS act", Scope: scope.ActivityView(a.Subject, "act"),
		Extend: func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Apply(activityColumns).Apply(scope.ActivityVisibilityColumn(a.Subject, "act", "visibility"))
		},
		Sorts:   map[string]string{"startsAt": "act.starts_at", "endsAt": "act.ends_at"},
		Filters: map[string]string{"owner": "act.owner_id", "category": "act.category"}, Include: []string{"owner", "case", "account"}}
}

// load reads activity id; everyone sees every activity (ACT-1), so only a missing one is
// apperr.NotFound. Its Visibility is a's.
func (s *Service) load(ctx context.Context, db bun.IDB, a domain.Actor, id int64) (*Activity, error) {
	var act Activity
	if err := selectActivities(db, &act).Where("act.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "activity", id)
	}
	act.Visibility, _ = rights.ActivityVisibility(a.Subject, act.Attrs())
	return &act, nil
}

// decided loads activity id and decides action on it (ACT-3..6, CASE-15): apperr.Forbidden
// when refused, since the activity itself shows in the calendar (ACT-1).
func (s *Service) decided(ctx context.Context, tx bun.IDB, a domain.Actor, id int64, action rights.ActivityAction) (*Activity, error) {
	act, err := s.load(ctx, tx, a, id)
	if err != nil {
		return nil, err
	}
	if d := rights.DecideActivity(a.Subject, action, act.Attrs()); !d.Allow {
		return nil, domain.Denied(d)
	}
	return act, nil
}

// Activity returns activity id with how much of it a sees (ACT-1..7). Errors:
// apperr.NotFound (missing only).
func (s *Service) Activity(ctx context.Context, a domain.Actor, id int64) (*Activity, error) {
	return s.load(ctx, s.env.DB, a, id)
}

// ActivitiesByID returns the activities of ids, each with how much of it a sees, in one
// query (include).
func (s *Service) ActivitiesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Activity, error) {
	var rows []*Activity
	if err := selectActivities(s.env.DB, &rows).Where("act.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load activities")
	}
	for _, act := range rows {
		act.Visibility, _ = rights.ActivityVisibility(a.Subject, act.Attrs())
	}
	return rows, nil
}

// ActivityInput is a new activity or a change of one; nil fields stay as they are.
type ActivityInput struct {
	Category, Name, Description *string
	StartsAt, EndsAt            *time.Time
	OwnerID                     *int64 // create only: whom it is for (default: the actor)
	CaseID, AccountID           jsonapi.Nullable[int64]
	// Participants replaces the participants when not nil (an empty list: none).
	Participants *[]int64
}

const (
	casePointer         = "/data/relationships/case"
	participantsPointer = "/data/relationships/participants"
)

// apply validates the change and makes it on act in memory. A case a may not view is as
// missing here as anywhere (STYLE rule 3, CASE-1), and so is an account without account
// access (ACC-1); participants are active users.
func (s *Service) apply(ctx context.Context, tx bun.IDB, a domain.Actor, act *Activity, in *ActivityInput) error {
	if in.Category != nil {
		if _, ok := Labels[*in.Category]; !ok {
			return apperr.E(apperr.Invalid, "category must be work, todo, out_of_office or personal").AtPointer("/data/attributes/category")
		}
		act.Category = *in.Category
	}
	if in.Name != nil {
		act.Name = strings.TrimSpace(*in.Name)
	}
	if in.Description != nil {
		act.Description = strings.TrimSpace(*in.Description)
	}
	if in.StartsAt != nil {
		act.StartsAt = in.StartsAt.UTC()
	}
	if in.EndsAt != nil {
		act.EndsAt = in.EndsAt.UTC()
	}
	if act.Name == "" {
		return apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	if !act.EndsAt.After(act.StartsAt) {
		return apperr.E(apperr.Invalid, "endsAt must be after startsAt").AtPointer("/data/attributes/endsAt")
	}
	if in.OwnerID != nil {
		act.OwnerID = *in.OwnerID
	}
	if err := s.applyCase(ctx, tx, a, act, in.CaseID); err != nil {
		return err
	}
	if err := applyAccount(ctx, tx, a, act, in.AccountID); err != nil {
		return err
	}
	if in.Participants == nil {
		return nil
	}
	ids := IDs(slices.Clone(*in.Participants))
	slices.Sort(ids)
	ids = slices.Compact(ids)
	for _, id := range ids {
		ok, err := tx.NewSelect().Model((*model.User)(nil)).Where("id = ? AND active", id).Exists(ctx)
		if err != nil {
			return apperr.Wrap(err, fmt.Sprintf("check participant %d", id))
		}
		if !ok {
			return apperr.E(apperr.Invalid, "No active user %d.", id).AtPointer(participantsPointer)
		}
	}
	act.Participants = ids
	return nil
}

func (s *Service) applyCase(ctx context.Context, tx bun.IDB, a domain.Actor, act *Activity, ref jsonapi.Nullable[int64]) error {
	if !ref.Set {
		return nil
	}
	act.CaseID, act.CaseOwnerID, act.CaseUnitID, act.CaseAccountID = nil, nil, nil, nil
	if ref.Null {
		return nil
	}
	c, _, err := domain.CaseFor(ctx, tx, a, ref.Value, rights.CaseView)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return apperr.E(apperr.Invalid, "No case %d.", ref.Value).AtPointer(casePointer)
		}
		return err
	}
	act.CaseID, act.CaseOwnerID, act.CaseUnitID, act.CaseAccountID = &c.ID, &c.OwnerID, &c.UnitID, &c.AccountID
	return nil
}

func applyAccount(ctx context.Context, tx bun.IDB, a domain.Actor, act *Activity, ref jsonapi.Nullable[int64]) error {
	if !ref.Set {
		return nil
	}
	act.AccountID = nil
	if ref.Null {
		return nil
	}
	id := ref.Value
	if !rights.DecideAccount(a.Subject, rights.AccountView, rights.AccountAttrs{ID: id}).Allow {
		return apperr.E(apperr.Invalid, "No account %d.", id).AtPointer(crm.AccountPointer)
	}
	if err := crm.AccountRef(ctx, tx, id); err != nil {
		return err
	}
	act.AccountID = &id
	return nil
}

func activitySnapshot(a *Activity) map[string]any {
	return map[string]any{"category": a.Category, "name": a.Name, "description": a.Description, "startsAt": a.StartsAt,
		"endsAt": a.EndsAt, "owner": a.OwnerID, "case": a.CaseID, "account": a.AccountID, "participants": a.Participants.String()}
}

// CreateActivity adds an activity: one's own, or for others through the Users right (USR-1,
// USR-2, USR-4); on a case as member or owner-like (CASE-15); on an account with account
// access (ACC-1, ACC-4). Errors: apperr.Invalid, apperr.Forbidden.
func (s *Service) CreateActivity(ctx context.Context, a domain.Actor, in ActivityInput) (*Activity, error) {
	if in.Category == nil || in.StartsAt == nil || in.EndsAt == nil {
		return nil, apperr.E(apperr.Invalid, "category, name, startsAt and endsAt are required").AtPointer("/data/attributes")
	}
	var out *Activity
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		now := s.env.Now().UTC()
		act := &Activity{Activity: model.Activity{OwnerID: a.User.ID, Version: 1, CreatedAt: now, UpdatedAt: now}}
		if err := s.apply(ctx, tx, a, act, &in); err != nil {
			return err
		}
		if d := rights.DecideActivity(a.Subject, rights.ActivityCreate, act.Attrs()); !d.Allow {
			return domain.Denied(d)
		}
		if _, err := tx.NewInsert().Model(&act.Activity).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert activity")
		}
		if err := writeParticipants(ctx, tx, act); err != nil {
			return err
		}
		var caseID int64
		if act.CaseID != nil {
			caseID = *act.CaseID
		}
		if err := s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "activities", ResourceID: act.ID,
			CaseID: caseID, SubjectUserID: act.OwnerID, Changes: history.Diff(nil, activitySnapshot(act))}); err != nil {
			return err
		}
		act.Visibility, _ = rights.ActivityVisibility(a.Subject, act.Attrs())
		out = act
		return nil
	})
	return out, err
}

// UpdateActivity changes activity id (ACT-3, ACT-4, ACT-5, ACT-6, CASE-15,
// rights.DecideActivityUpdate). Whoever may not view its content may not edit it; who sees
// it (participants, category, case, account) is the owner's to change (ACT-3, ACT-5), and
// the change may not move it out of the actor's reach; participants leave through
// LeaveActivity. Errors: apperr.NotFound, apperr.Forbidden, apperr.Stale, apperr.Invalid.
func (s *Service) UpdateActivity(ctx context.Context, a domain.Actor, id int64, in ActivityInput, x domain.Expect) (*Activity, error) {
	in.OwnerID = nil // an activity stays with its owner
	act, err := domain.Save(ctx, s.env, a, domain.Update[*Activity]{Table: "activities", Resource: "activities", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*Activity, error) {
			return s.decided(ctx, tx, a, id, rights.ActivityEdit)
		},
		Snapshot: activitySnapshot,
		Apply: func(ctx context.Context, tx bun.IDB, act *Activity) error {
			was := act.Attrs()
			if err := s.apply(ctx, tx, a, act, &in); err != nil {
				return err
			}
			if d := rights.DecideActivityUpdate(a.Subject, was, act.Attrs()); !d.Allow {
				return domain.Denied(d)
			}
			act.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, act *Activity) *bun.UpdateQuery {
			return q.Set("category = ?", act.Category).Set("name = ?", act.Name).Set("description = ?", act.Description).
				Set("starts_at = ?", act.StartsAt).Set("ends_at = ?", act.EndsAt).Set("case_id = ?", act.CaseID).
				Set("account_id = ?", act.AccountID).Set("updated_at = ?", act.UpdatedAt)
		},
		After: func(ctx context.Context, tx bun.IDB, act *Activity) error {
			if in.Participants == nil {
				return nil
			}
			return writeParticipants(ctx, tx, act)
		},
		Entry: func(act *Activity, e *history.Entry) { e.SubjectUserID = act.OwnerID },
	})
	if err != nil {
		return nil, err
	}
	act.Visibility, _ = rights.ActivityVisibility(a.Subject, act.Attrs())
	return act, nil
}

// DeleteActivity deletes activity id; participants leave instead (ACT-3). Errors:
// apperr.NotFound, apperr.Forbidden.
func (s *Service) DeleteActivity(ctx context.Context, a domain.Actor, id int64) error {
	return domain.Remove(ctx, s.env, a, domain.Removal[*Activity]{Table: "activities", Resource: "activities",
		Load: func(ctx context.Context, tx bun.IDB) (*Activity, error) {
			return s.decided(ctx, tx, a, id, rights.ActivityDelete)
		},
		Snapshot: activitySnapshot,
		Entry:    func(act *Activity, e *history.Entry) { e.SubjectUserID = act.OwnerID }})
}
