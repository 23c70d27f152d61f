package extranet_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// Demo contacts and cases.
const (
	aino     = "aino.virtanen@acme.example" // Acme Oy
	mikko    = "mikko.laine@acme.example"   // Acme Oy, no portal login
	sven     = "sven.berg@globex.example"   // Globex AB
	strategy = "Acme strategy review"
	pricing  = "Globex pricing study"
	password = "a-long-enough-password"
	ip       = "192.0.2.10"
)

// cheap are argon2id settings that keep the tests' hashing fast.
var cheap = auth.Argon2Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// clock is a settable clock (domaintest.Clock).
type clock = domaintest.Clock

// fixture is the portal's service on its own migrated database with the demo organisation.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *bun.DB
	clock *clock
	svc   *extranet.Service
	slept []time.Duration // what RequestReset waited, in order
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), db: dbtest.Open(t), clock: domaintest.NewClock(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))}
	if _, err := demo.Load(f.ctx, f.db, f.clock.Now); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	f.svc = extranet.New(extranet.Options{DB: f.db, Now: f.clock.Now, PortalURL: "https://portal.test/",
		Hash:  func(pw string) (string, error) { return auth.HashPasswordWith(pw, cheap) },
		Sleep: func(_ context.Context, d time.Duration) { f.slept = append(f.slept, d) }})
	return f
}

func (f *fixture) contactID(email string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Model((*model.Contact)(nil)).Column("id").Where("email = ?", email).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("contact %s: %v", email, err)
	}
	return id
}

// share shares a case with a contact, every section and right.
func (f *fixture) share(caseName, email string) {
	f.t.Helper()
	var caseID, carl int64
	if err := f.db.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", caseName).Scan(f.ctx, &caseID); err != nil {
		f.t.Fatal(err)
	}
	if err := f.db.NewSelect().Model((*model.User)(nil)).Column("id").Where("email = 'carl@northwind.example'").Scan(f.ctx, &carl); err != nil {
		f.t.Fatal(err)
	}
	now := f.clock.Now()
	sh := &model.ExtranetShare{CaseID: caseID, ShowFinancials: true, ShowPhases: true, ShowOther: true, CreatedByUserID: carl,
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := f.db.NewInsert().Model(sh).Returning("id").Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	sc := &model.ShareContact{ShareID: sh.ID, ContactID: f.contactID(email), CanApprove: true, CanComment: true, CanUpload: true,
		CanChangeStatus: true, InvitedAt: now}
	if _, err := f.db.NewInsert().Model(sc).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

// credential gives a contact a portal password; a temporary one expires in 72 hours.
func (f *fixture) credential(email, pw string, temporary bool) {
	f.t.Helper()
	hash, err := auth.HashPasswordWith(pw, cheap)
	if err != nil {
		f.t.Fatal(err)
	}
	cr := &model.ContactCredential{ContactID: f.contactID(email), PasswordHash: hash, PasswordTemporary: temporary,
		TokenVersion: 1, UpdatedAt: f.clock.Now()}
	if temporary {
		exp := f.clock.Now().Add(72 * time.Hour)
		cr.PasswordExpiresAt = &exp
	}
	if _, err := f.db.NewInsert().Model(cr).Exec(f.ctx); err != nil {
		f.t.Fatalf("credential %s: %v", email, err)
	}
}

// cred returns a contact's credential as stored.
func (f *fixture) cred(email string) model.ContactCredential {
	f.t.Helper()
	var cr model.ContactCredential
	if err := f.db.NewSelect().Model(&cr).Where("contact_id = ?", f.contactID(email)).Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return cr
}

// mails returns the queued mails to email, oldest first.
func (f *fixture) mails(email string) []model.OutboxEmail {
	f.t.Helper()
	var mails []model.OutboxEmail
	if err := f.db.NewSelect().Model(&mails).Where("recipient = ?", email).OrderExpr("id").Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return mails
}

// set runs an UPDATE of one table for a test's setting.
func (f *fixture) set(table, set, where string, args ...any) {
	f.t.Helper()
	if _, err := f.db.NewUpdate().Table(table).Set(set).Where(where, args...).Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}
