package org

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// User is a user of the directory as one actor sees them.
type User struct {
	model.User `bun:",extend"`
	// Overrides replace single rights of the user's profile (ORG-5); read with the row.
	Overrides map[string]string `bun:"overrides"`
	// Managed says whether the actor sees the user's access (profile, overrides, API switch):
	// the user themself and those who manage the user (USR-2, USR-4) do.
	//
	// Decision (beyond the source): every employee sees the directory (name, email, unit,
	// supervisor), as calendars and case membership need it.
	Managed bool `bun:"-"`
}

// Versioned implements domain.Versioned.
func (u *User) Versioned() (int64, *int64) { return u.ID, &u.Version }

// Attrs are what the rights decisions on the user depend on.
func (u *User) Attrs() rights.UserAttrs { return rights.UserAttrs{ID: u.ID, UnitID: u.UnitID} }

// everyone is the scope of what every employee may view: the directory, the unit tree.
func everyone(q *bun.SelectQuery) *bun.SelectQuery { return q }

// managed decides whether a sees u's access (USR-2, USR-4).
func managed(a domain.Actor, u *User) bool {
	return u.ID == a.User.ID || rights.DecideUser(a.Subject, rights.UserEdit, u.Attrs()).Allow
}

// userColumns adds each user's overrides, as one JSON object, to a query over "users AS u":
// a page of users costs one query, whatever its size.
func userColumns(q *bun.SelectQuery) *bun.SelectQuery {
	agg := "json_group_object(o.right_name, o.value)"
	if db.IsPostgres(q.DB()) {
		agg = "json_object_agg(o.right_name, o.value)"
	}
	return q.ColumnExpr("(SELECT " + agg + " FROM user_right_overrides AS o WHERE o.user_id = u.id) AS overrides")
}

func selectUsers(tx bun.IDB, dst any) *bun.SelectQuery {
	return tx.NewSelect().Model(dst).ModelTableExpr("users AS u").ColumnExpr("u.*").Apply(userColumns)
}

// UserList is the user directory, which every employee may view; each user's access is
// shown only where Managed says so (USR-2, USR-4).
func (s *Service) UserList(a domain.Actor) listing.Spec[User] {
	return listing.Spec[User]{DB: s.env.DB, Table: "users AS u", Scope: everyone, Extend: userColumns,
		Sorts: map[string]string{"name": "u.name", "email": "u.email"}, Cursor: map[string]bool{"name": true, "email": true},
		Filters: map[string]string{"unit": "u.unit_id", "active": "u.active"}, Include: []string{"unit", "supervisor", "profile"},
		Keep: func(u *User) bool {
			u.Managed = managed(a, u)
			return true
		}}
}

// User returns user id as a sees them. Errors: apperr.NotFound.
func (s *Service) User(ctx context.Context, a domain.Actor, id int64) (*User, error) {
	u, err := s.loadUser(ctx, s.env.DB, id)
	if err != nil {
		return nil, err
	}
	u.Managed = managed(a, u)
	return u, nil
}

// UsersByID returns the users of ids as a sees them, in one query (include).
func (s *Service) UsersByID(ctx context.Context, a domain.Actor, ids []int64) ([]*User, error) {
	var rows []*User
	if err := selectUsers(s.env.DB, &rows).Where("u.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load users")
	}
	for _, u := range rows {
		u.Managed = managed(a, u)
	}
	return rows, nil
}

func (s *Service) loadUser(ctx context.Context, tx bun.IDB, id int64) (*User, error) {
	var u User
	if err := selectUsers(tx, &u).Where("u.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "user", id)
	}
	return &u, nil
}

var userActions = map[string]rights.UserAction{
	"edit": rights.UserEdit, "edit-rights": rights.UserEditRights, "set-api-access": rights.UserSetAPIAccess,
	"create-api-key": rights.UserCreateAPIKey,
}

// ExplainUser decides action ("edit", "edit-rights", "set-api-access", "create-api-key") on
// user id for another employee's subject, for GET /access/explain. Errors: apperr.Invalid
// (action), apperr.NotFound.
func (s *Service) ExplainUser(ctx context.Context, subject *rights.Subject, id int64, action string) (rights.Decision, error) {
	return domain.Explain(subject, userActions, action, "users", rights.DecideUser, func() (rights.UserAttrs, error) {
		var u model.User
		err := s.env.DB.NewSelect().Model(&u).Where("id = ?", id).Scan(ctx)
		return rights.UserAttrs{ID: u.ID, UnitID: u.UnitID}, domain.Loaded(err, "user", id)
	})
}
