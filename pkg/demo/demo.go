// Package demo loads a small but complete organisation for trying Caseroom out: a unit tree
// three levels deep, a dozen users in a supervisor tree on the default profiles, three
// customer accounts with contacts, and cases with members, phases, hours and invoices.
package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/bootstrap"
	"github.com/caseroom/caseroom/pkg/casefigures"
	"github.com/caseroom/caseroom/pkg/model"
)

// Password is every demo user's password. The demo is for laptops only.
const Password = "caseroom-demo"

// Login is one printed demo login.
type Login struct {
	Email, Name, Profile, Unit string
}

type userSpec struct {
	key, name, profile, unit, supervisor string
	price, cost                          int64
}

var units = []struct{ key, name, parent string }{
	{"root", "Northwind", ""},
	{"consulting", "Consulting", "root"},
	{"engineering", "Engineering", "root"},
	{"strategy", "Strategy", "consulting"},
	{"platform", "Platform", "engineering"},
}

var users = []userSpec{
	{"ada", "Ada Admin", "administrator", "root", "", 15000, 9000},
	{"bea", "Bea Controller", "business_controller", "root", "ada", 14000, 8000},
	{"carl", "Carl Consulting-Lead", "project_manager", "consulting", "ada", 13000, 7500},
	{"dina", "Dina Engineering-Lead", "project_manager", "engineering", "ada", 13000, 7500},
	{"erik", "Erik Strategist", "employee", "strategy", "carl", 11000, 6000},
	{"fay", "Fay Strategist", "employee", "strategy", "carl", 11000, 6000},
	{"gus", "Gus Consultant", "employee", "consulting", "carl", 10000, 5500},
	{"hana", "Hana Platform-Lead", "project_manager", "platform", "dina", 12000, 7000},
	{"ivan", "Ivan Engineer", "employee", "platform", "hana", 10000, 5500},
	{"jon", "Jon Engineer", "employee", "engineering", "dina", 10000, 5500},
	{"kim", "Kim Engineer", "employee", "platform", "hana", 9500, 5000},
	{"lea", "Lea Analyst", "employee", "strategy", "erik", 9000, 5000},
}

// Load fills an empty database with the demo organisation and returns the logins. On a
// database that already has users it changes nothing and returns the existing logins.
func Load(ctx context.Context, db *bun.DB, now func() time.Time) ([]Login, error) {
	if err := bootstrap.Ensure(ctx, db, now); err != nil {
		return nil, err
	}
	n, err := db.NewSelect().Model((*model.User)(nil)).Count(ctx)
	if err != nil {
		return nil, fmt.Errorf("count users: %w", err)
	}
	if n > 0 {
		return existingLogins(ctx, db)
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return nil, err
	}
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		l := loader{tx: tx, now: now().UTC(), unit: map[string]int64{}, user: map[string]int64{}}
		if err := l.load(ctx, hash); err != nil {
			return err
		}
		// The loader writes hours, invoices and travel without the figures kept beside each
		// case; they are summed once at the end.
		if err := casefigures.RefreshAll(ctx, tx); err != nil {
			return err
		}
		return access.Bump(ctx, tx)
	})
	if err != nil {
		return nil, fmt.Errorf("load demo data: %w", err)
	}
	return existingLogins(ctx, db)
}

func existingLogins(ctx context.Context, db *bun.DB) ([]Login, error) {
	var rows []struct {
		Email   string `bun:"email"`
		Name    string `bun:"name"`
		Profile string `bun:"profile"`
		Unit    string `bun:"unit"`
	}
	err := db.NewSelect().TableExpr("users AS u").
		ColumnExpr("u.email, u.name, p.name AS profile, b.name AS unit").
		Join("JOIN profiles AS p ON p.id = u.profile_id").
		Join("JOIN business_units AS b ON b.id = u.unit_id").
		Where("u.active").OrderExpr("u.id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list logins: %w", err)
	}
	out := make([]Login, len(rows))
	for i, r := range rows {
		out[i] = Login{Email: r.Email, Name: r.Name, Profile: r.Profile, Unit: r.Unit}
	}
	return out, nil
}

// PrintLogins writes the logins as a table.
func PrintLogins(w io.Writer, logins []Login) {
	fmt.Fprintf(w, "\nCaseroom demo logins (password for all: %s)\n", Password)
	fmt.Fprintf(w, "%-34s %-24s %-22s %s\n", "EMAIL", "NAME", "PROFILE", "UNIT")
	for _, l := range logins {
		fmt.Fprintf(w, "%-34s %-24s %-22s %s\n", l.Email, l.Name, l.Profile, l.Unit)
	}
	fmt.Fprintln(w)
}
