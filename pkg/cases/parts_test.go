package cases_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
)

// partsWorld is the demo organisation on a real database, with the cases service and a
// store on disk for the content of files. In it carl owns "Acme strategy review" (owner-like:
// CASE-4), erik is a plain member of it (CASE-2), and kim sees nothing of it.
type partsWorld struct {
	t     *testing.T
	ctx   context.Context
	db    *bun.DB
	now   time.Time
	svc   *cases.Service
	files *cases.FileStore
	store *storage.Disk
	share int64 // the share of partsCase
}

const (
	partsCase  = "Acme strategy review" // Acme Oy; phases Discovery and Recommendations
	partsOther = "Globex pricing study" // another account's case
	partsAino  = "aino.virtanen@acme.example"
	partsMikko = "mikko.laine@acme.example"
)

func newPartsWorld(t *testing.T) *partsWorld {
	t.Helper()
	d := dbtest.Open(t)
	w := &partsWorld{t: t, ctx: context.Background(), db: d, now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return w.now }
	if _, err := demo.Load(w.ctx, d, clock); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	store, err := storage.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	w.store = store
	w.svc = cases.New(domain.NewEnv(d, clock).WithLog(slog.New(slog.NewTextHandler(io.Discard, nil))))
	w.files = w.svc.WithFiles(store, 1024)
	sh := &model.ExtranetShare{CaseID: w.caseID(partsCase), ShowPhases: true, ShowOther: true, CreatedByUserID: w.userID("carl"),
		Version: 1, CreatedAt: w.now, UpdatedAt: w.now}
	if _, err := d.NewInsert().Model(sh).Returning("id").Exec(w.ctx); err != nil {
		t.Fatal(err)
	}
	w.share = sh.ID
	return w
}

func (w *partsWorld) userID(name string) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.NewSelect().Model((*model.User)(nil)).Column("id").Where("email = ?", name+"@northwind.example").Scan(w.ctx, &id); err != nil {
		w.t.Fatalf("user %s: %v", name, err)
	}
	return id
}

func (w *partsWorld) caseID(name string) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", name).Scan(w.ctx, &id); err != nil {
		w.t.Fatalf("case %s: %v", name, err)
	}
	return id
}

// phaseID returns the id of the phase called name of case caseName.
func (w *partsWorld) phaseID(caseName, name string) int64 {
	w.t.Helper()
	var id int64
	if err := w.db.NewSelect().Model((*model.Phase)(nil)).Column("id").Where("case_id = ? AND name = ?", w.caseID(caseName), name).
		Scan(w.ctx, &id); err != nil {
		w.t.Fatalf("phase %s/%s: %v", caseName, name, err)
	}
	return id
}

// employee returns the actor of demo user name, with their rights as the API loads them.
func (w *partsWorld) employee(name string) domain.Actor {
	w.t.Helper()
	var u model.User
	if err := w.db.NewSelect().Model(&u).Where("id = ?", w.userID(name)).Scan(w.ctx); err != nil {
		w.t.Fatal(err)
	}
	s, err := access.LoadSubject(w.ctx, w.db, &u)
	if err != nil {
		w.t.Fatal(err)
	}
	return domain.Employee(&u, s)
}

// partsRights are a contact's rights on the share (EXT-2, EXT-6).
type partsRights struct{ approve, comment, upload bool }

// contact invites the contact with email to the share of partsCase with r and returns them
// as an actor.
func (w *partsWorld) contact(email string, r partsRights) domain.Actor {
	w.t.Helper()
	var c model.Contact
	if err := w.db.NewSelect().Model(&c).Where("email = ?", email).Scan(w.ctx); err != nil {
		w.t.Fatalf("contact %s: %v", email, err)
	}
	sc := &model.ShareContact{ShareID: w.share, ContactID: c.ID, CanApprove: r.approve, CanComment: r.comment, CanUpload: r.upload,
		InvitedAt: w.now}
	if _, err := w.db.NewInsert().Model(sc).Exec(w.ctx); err != nil {
		w.t.Fatal(err)
	}
	return domain.PortalContact(domain.Contact{ID: c.ID, AccountID: c.AccountID, Name: c.FirstName + " " + c.LastName, Email: c.Email})
}

// sections sets the sections the share of partsCase shows (EXT-3).
func (w *partsWorld) sections(phases, other bool) {
	w.t.Helper()
	if _, err := w.db.NewUpdate().Model((*model.ExtranetShare)(nil)).Set("show_phases = ?", phases).Set("show_other = ?", other).
		Where("id = ?", w.share).Exec(w.ctx); err != nil {
		w.t.Fatal(err)
	}
}

// changes counts the change-history entries of resource id.
func (w *partsWorld) changes(resource string, id int64) int {
	w.t.Helper()
	n, err := w.db.NewSelect().Model((*model.ChangeRecord)(nil)).Where("resource_type = ? AND resource_id = ?", resource, id).Count(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	return int(n)
}

// lastChange returns the newest change-history entry of resource id.
func (w *partsWorld) lastChange(resource string, id int64) model.ChangeRecord {
	w.t.Helper()
	var rec model.ChangeRecord
	if err := w.db.NewSelect().Model(&rec).Where("resource_type = ? AND resource_id = ?", resource, id).OrderExpr("id DESC").Limit(1).
		Scan(w.ctx); err != nil {
		w.t.Fatalf("history of %s %d: %v", resource, id, err)
	}
	return rec
}

// partsCode fails unless err carries code (nil for none).
func partsCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if !errors.Is(err, apperr.E(code, "")) {
		t.Fatalf("error %v, want %s", err, code)
	}
}

func partsPtr[T any](v T) *T { return &v }
