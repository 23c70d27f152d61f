package cases_test

import (
	"context"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
)

// caseFixture is the demo organisation (pkg/demo) in a private database, with the cases
// service over it and a fixed clock.
type caseFixture struct {
	t   *testing.T
	ctx context.Context
	db  *bun.DB
	now time.Time
	svc *cases.Service
}

func caseSetup(t *testing.T) *caseFixture {
	t.Helper()
	f := &caseFixture{t: t, ctx: context.Background(), db: dbtest.Open(t), now: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	if _, err := demo.Load(f.ctx, f.db, clock); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	f.svc = cases.New(domain.NewEnv(f.db, clock), cases.PortalURL("https://portal.test"))
	return f
}

// employee returns the actor of the demo user whose key is the first word of their email,
// with their rights as they are now.
func (f *caseFixture) employee(key string) domain.Actor {
	f.t.Helper()
	var u model.User
	if err := f.db.NewSelect().Model(&u).Where("email = ?", key+"@northwind.example").Scan(f.ctx); err != nil {
		f.t.Fatalf("user %s: %v", key, err)
	}
	s, err := access.LoadSubject(f.ctx, f.db, &u)
	if err != nil {
		f.t.Fatalf("subject of %s: %v", key, err)
	}
	return domain.Employee(&u, s)
}

// contact returns the portal actor of the contact with email.
func (f *caseFixture) contact(email string) domain.Actor {
	f.t.Helper()
	var c model.Contact
	if err := f.db.NewSelect().Model(&c).Where("email = ?", email).Scan(f.ctx); err != nil {
		f.t.Fatalf("contact %s: %v", email, err)
	}
	return domain.PortalContact(domain.Contact{ID: c.ID, AccountID: c.AccountID, Name: c.FirstName + " " + c.LastName, Email: c.Email})
}

func (f *caseFixture) contactID(email string) int64 { return f.contact(email).Contact.ID }

// caseID returns the id of the demo case called name.
func (f *caseFixture) caseID(name string) int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", name).Scan(f.ctx, &id); err != nil {
		f.t.Fatalf("case %s: %v", name, err)
	}
	return id
}

// override sets one right of user key (ORG-5).
func (f *caseFixture) override(key, right, value string) {
	f.t.Helper()
	if _, err := f.db.NewInsert().Model(&model.RightOverride{UserID: f.employee(key).User.ID, RightName: right, Value: value}).
		Exec(f.ctx); err != nil {
		f.t.Fatal(err)
	}
}

// caseWant fails unless err carries code (apperr.Internal: no error).
func caseWant(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if code == apperr.Internal {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil || apperr.CodeOf(err) != code {
		t.Fatalf("error %v, want code %v", err, code)
	}
}

// casePage lists the first 100 cases a may view.
func (f *caseFixture) casePage(a domain.Actor, raw string) []cases.Case {
	f.t.Helper()
	spec := f.svc.CaseList(a)
	q, err := jsonapi.ParseQuery(raw, spec.Query())
	if err != nil {
		f.t.Fatal(err)
	}
	page, err := spec.Page(f.ctx, q)
	if err != nil {
		f.t.Fatal(err)
	}
	return page.Rows
}

// rules CASE-1, CASE-2, CASE-9, CASE-11, STYLE rule 2: the list holds exactly the cases the
// single-object read lets the caller view.
func TestCaseListMatchesCase(t *testing.T) {
	f := caseSetup(t)
	var all []int64
	if err := f.db.NewSelect().Model((*model.Case)(nil)).Column("id").Scan(f.ctx, &all); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"ada", "carl", "dina", "erik", "gus", "jon"} {
		t.Run(who, func(t *testing.T) {
			a := f.employee(who)
			listed := map[int64]bool{}
			for _, c := range f.casePage(a, "page[size]=100") {
				listed[c.ID] = true
				if !c.Decision.Allow {
					t.Errorf("case %d listed without a view decision", c.ID)
				}
			}
			for _, id := range all {
				_, err := f.svc.Case(f.ctx, a, id)
				if (err == nil) != listed[id] {
					t.Errorf("case %d: listed %t, single read error %v", id, listed[id], err)
				}
			}
		})
	}
}

// rule CASE-6: a caller who cannot see every visible case's figures cannot sort on them.
func TestCaseListHidesFinancialSorts(t *testing.T) {
	f := caseSetup(t)
	if spec := f.svc.CaseList(f.employee("erik")); spec.Sorts["revenue"] != "" {
		t.Fatal("a member may sort by revenue")
	}
	if spec := f.svc.CaseList(f.employee("ada")); spec.Sorts["revenue"] == "" {
		t.Fatal("the administrator may not sort by revenue")
	}
}

func TestCase(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	t.Run("the owner sees the figures (CASE-8)", func(t *testing.T) {
		c, err := f.svc.Case(f.ctx, f.employee("carl"), acme)
		caseWant(t, err, apperr.Internal)
		if c.Name != "Acme strategy review" || c.Revenue == 0 || c.Decision.Hidden.Hides("revenue") {
			t.Fatalf("case %+v", c)
		}
	})
	t.Run("rule CASE-6: a plain member sees no figures", func(t *testing.T) {
		c, err := f.svc.Case(f.ctx, f.employee("erik"), acme)
		caseWant(t, err, apperr.Internal)
		if !c.Decision.Hidden.Hides("revenue") {
			t.Fatal("the figures are shown to a plain member")
		}
	})
	t.Run("rule CASE-1: an invisible case is missing", func(t *testing.T) {
		_, err := f.svc.Case(f.ctx, f.employee("jon"), acme)
		caseWant(t, err, apperr.NotFound)
	})
	t.Run("a missing case is missing", func(t *testing.T) {
		_, err := f.svc.Case(f.ctx, f.employee("ada"), 999999)
		caseWant(t, err, apperr.NotFound)
	})
}

// CasesByID keeps only what the caller may view (include, STYLE rule 3).
func TestCasesByID(t *testing.T) {
	f := caseSetup(t)
	acme, initech := f.caseID("Acme strategy review"), f.caseID("Initech integration")
	got, err := f.svc.CasesByID(f.ctx, f.employee("erik"), []int64{acme, initech, 999999})
	caseWant(t, err, apperr.Internal)
	if len(got) != 1 || got[0].ID != acme || !got[0].Decision.Hidden.Hides("revenue") {
		t.Fatalf("got %+v", got)
	}
}

func TestExplainCase(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	erik := f.employee("erik").Subject
	t.Run("rule CASE-12: a plain member may not edit", func(t *testing.T) {
		d, err := f.svc.ExplainCase(f.ctx, erik, acme, "edit")
		caseWant(t, err, apperr.Internal)
		if d.Allow {
			t.Fatal("a plain member may edit")
		}
	})
	t.Run("rule CASE-2: a member views", func(t *testing.T) {
		d, err := f.svc.ExplainCase(f.ctx, erik, acme, "view")
		caseWant(t, err, apperr.Internal)
		if !d.Allow {
			t.Fatal("a member may not view")
		}
	})
	t.Run("an unknown action", func(t *testing.T) {
		_, err := f.svc.ExplainCase(f.ctx, erik, acme, "fly")
		caseWant(t, err, apperr.Invalid)
	})
	t.Run("a missing case", func(t *testing.T) {
		_, err := f.svc.ExplainCase(f.ctx, erik, 999999, "view")
		caseWant(t, err, apperr.NotFound)
	})
}

// rules EXT-5, EXT-8: a contact sees the cases shared with them, nothing else.
func TestSharedCases(t *testing.T) {
	f := caseSetup(t)
	acme, platform := f.caseID("Acme strategy review"), f.caseID("Acme platform migration")
	aino := f.contactID("aino.virtanen@acme.example")
	f.mustShare(f.employee("carl"), acme, true, cases.ShareContactInput{ContactID: aino})
	contact := f.contact("aino.virtanen@acme.example")

	list, err := f.svc.SharedCases(f.ctx, contact)
	caseWant(t, err, apperr.Internal)
	if len(list) != 1 || list[0].Case.ID != acme || list[0].AccountName != "Acme Oy" || !list[0].Grant.ShowFinancials {
		t.Fatalf("shared cases %+v", list)
	}
	t.Run("rule EXT-3: the invoiced total with the Financials section", func(t *testing.T) {
		v, err := f.svc.SharedCase(f.ctx, contact, acme)
		caseWant(t, err, apperr.Internal)
		if v.Currency == "" {
			t.Fatalf("no currency: %+v", v)
		}
	})
	t.Run("rule EXT-8: a case of the same account that is not shared is missing", func(t *testing.T) {
		_, err := f.svc.SharedCase(f.ctx, contact, platform)
		caseWant(t, err, apperr.NotFound)
	})
	t.Run("rule EXT-8: another contact of the account sees nothing", func(t *testing.T) {
		list, err := f.svc.SharedCases(f.ctx, f.contact("mikko.laine@acme.example"))
		caseWant(t, err, apperr.Internal)
		if len(list) != 0 {
			t.Fatalf("shared cases %+v", list)
		}
	})
	t.Run("rule EXT-9: an expired share is gone", func(t *testing.T) {
		f.now = f.now.Add(48 * time.Hour)
		defer func() { f.now = f.now.Add(-48 * time.Hour) }()
		if _, err := f.db.NewUpdate().Model((*model.ShareContact)(nil)).Set("expires_at = ?", f.now.Add(-time.Hour)).
			Where("contact_id = ?", aino).Exec(f.ctx); err != nil {
			t.Fatal(err)
		}
		_, err := f.svc.SharedCase(f.ctx, contact, acme)
		caseWant(t, err, apperr.NotFound)
	})
}
