package org_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/org"
)

// fixture is the org service on its own migrated database with the demo organisation.
type fixture struct {
	t      *testing.T
	db     *bun.DB
	svc    *org.Service
	tokens *auth.Issuer
	ctx    context.Context
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	database := dbtest.Open(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	if _, err := demo.Load(context.Background(), database, clock); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	tokens, err := auth.NewIssuer([]byte(strings.Repeat("t", 32)), auth.AudienceAPI, time.Hour, clock)
	if err != nil {
		t.Fatal(err)
	}
	svc := org.New(domain.NewEnv(database, clock).WithLog(slog.New(slog.NewTextHandler(io.Discard, nil))))
	return &fixture{t: t, db: database, svc: svc, tokens: tokens, ctx: context.Background()}
}

// user loads the demo user with this key (ada, bea, carl …).
func (f *fixture) user(key string) *model.User {
	f.t.Helper()
	var u model.User
	if err := f.db.NewSelect().Model(&u).Where("email = ?", key+"@northwind.example").Scan(f.ctx); err != nil {
		f.t.Fatalf("user %s: %v", key, err)
	}
	return &u
}

func (f *fixture) userID(key string) int64 { f.t.Helper(); return f.user(key).ID }

// actor is the demo user as an employee actor, with their subject as it is now.
func (f *fixture) actor(key string) domain.Actor {
	f.t.Helper()
	u := f.user(key)
	s, err := access.LoadSubject(f.ctx, f.db, u)
	if err != nil {
		f.t.Fatal(err)
	}
	return domain.Employee(u, s)
}

func (f *fixture) unitID(name string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Model((*model.BusinessUnit)(nil)).Column("id").Where("name = ?", name).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("unit %s: %v", name, err)
	}
	return id
}

func (f *fixture) profileID(key string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Model((*model.Profile)(nil)).Column("id").Where("key = ?", key).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("profile %s: %v", key, err)
	}
	return id
}

func (f *fixture) epoch() int64 {
	f.t.Helper()
	n, err := access.Epoch(f.ctx, f.db)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// wantCode fails unless err is a domain error with code.
func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if !errors.Is(err, &apperr.Error{Code: code}) {
		t.Fatalf("error %v, want %s", err, code)
	}
}

// mustOK fails on err.
func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func ptr[T any](v T) *T { return &v }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// rowsOf selects the page of spec that the query raw asks for.
func rowsOf[M any](t *testing.T, f *fixture, spec listing.Spec[M], raw string) []M {
	t.Helper()
	q, err := jsonapi.ParseQuery(raw, spec.Query())
	mustOK(t, err)
	p, err := spec.Page(f.ctx, q)
	mustOK(t, err)
	return p.Rows
}

// second returns the error of a call that returns a value and an error.
func second[T any](_ T, err error) error { return err }
