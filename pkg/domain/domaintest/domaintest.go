// Package domaintest sets up the feature services' tests: a migrated database (SQLite, or
// PostgreSQL when CASEROOM_TEST_DATABASE_URL is set) with the demo organisation, and actors
// taken from it.
package domaintest

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
)

// Now is the demo's clock in the tests.
var Now = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// Open returns the environment of a fresh database holding the demo organisation.
func Open(t testing.TB) domain.Env {
	t.Helper()
	d := dbtest.Open(t)
	clock := func() time.Time { return Now }
	if _, err := demo.Load(context.Background(), d, clock); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	return domain.NewEnv(d, clock)
}

// Employee returns the demo user name (carl, erik, kim …) with their rights as an actor.
func Employee(t testing.TB, d bun.IDB, name string) domain.Actor {
	t.Helper()
	ctx := context.Background()
	var u model.User
	if err := d.NewSelect().Model(&u).Where("email = ?", name+"@northwind.example").Scan(ctx); err != nil {
		t.Fatalf("user %s: %v", name, err)
	}
	s, err := access.LoadSubject(ctx, d, &u)
	if err != nil {
		t.Fatalf("subject of %s: %v", name, err)
	}
	return domain.Employee(&u, s)
}

// Rights are a contact's rights on a share (EXT-2, EXT-6).
type Rights struct{ Approve, Comment, Upload, Status bool }

// Sections are what a share shows (EXT-3).
type Sections struct{ Financials, Phases, Other bool }

// Contact shares caseName (a case has one share: call it once per case) with the demo contact
// email, showing sections and granting rights, and returns the contact as an actor.
func Contact(t testing.TB, d bun.IDB, email, caseName string, s Sections, r Rights) domain.Actor {
	t.Helper()
	return Share(t, d, caseName, s, map[string]Rights{email: r})[email]
}

// Share shares caseName once, showing sections, with each demo contact of who and their
// rights, and returns each contact as an actor.
func Share(t testing.TB, d bun.IDB, caseName string, s Sections, who map[string]Rights) map[string]domain.Actor {
	t.Helper()
	ctx := context.Background()
	var cs model.Case
	if err := d.NewSelect().Model(&cs).Where("name = ?", caseName).Scan(ctx); err != nil {
		t.Fatalf("case %s: %v", caseName, err)
	}
	sh := &model.ExtranetShare{CaseID: cs.ID, ShowFinancials: s.Financials, ShowPhases: s.Phases, ShowOther: s.Other,
		CreatedByUserID: cs.OwnerID, Version: 1, CreatedAt: Now, UpdatedAt: Now}
	if _, err := d.NewInsert().Model(sh).Returning("id").Exec(ctx); err != nil {
		t.Fatalf("share %s: %v", caseName, err)
	}
	out := map[string]domain.Actor{}
	for email, r := range who {
		var c model.Contact
		if err := d.NewSelect().Model(&c).Where("email = ?", email).Scan(ctx); err != nil {
			t.Fatalf("contact %s: %v", email, err)
		}
		sc := &model.ShareContact{ShareID: sh.ID, ContactID: c.ID, CanApprove: r.Approve, CanComment: r.Comment,
			CanUpload: r.Upload, CanChangeStatus: r.Status, InvitedAt: Now}
		if _, err := d.NewInsert().Model(sc).Exec(ctx); err != nil {
			t.Fatalf("invite %s: %v", email, err)
		}
		out[email] = domain.PortalContact(domain.Contact{ID: c.ID, AccountID: c.AccountID, Name: c.FirstName + " " + c.LastName, Email: c.Email})
	}
	return out
}
