package cases_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

func caseText(s string) *string { return &s }

// epoch returns the rights epoch (PRF-6).
func (f *caseFixture) epoch() int64 {
	f.t.Helper()
	e, err := access.Epoch(f.ctx, f.db)
	if err != nil {
		f.t.Fatal(err)
	}
	return e
}

// mustCreateCase adds a case of the Acme account owned by a.
func (f *caseFixture) mustCreateCase(a domain.Actor, name string) *cases.Case {
	f.t.Helper()
	var account int64
	if err := f.db.NewSelect().Model((*model.Account)(nil)).Column("id").Where("name = 'Acme Oy'").Scan(f.ctx, &account); err != nil {
		f.t.Fatal(err)
	}
	c, err := f.svc.CreateCase(f.ctx, a, cases.CaseInput{Name: caseText(name), AccountID: &account})
	if err != nil {
		f.t.Fatalf("create case %s: %v", name, err)
	}
	return c
}

// rules CASE-3, ORG-4: a manager adds a case; they own it, in their unit, as its first member.
func TestCreateCase(t *testing.T) {
	f := caseSetup(t)
	carl := f.employee("carl")
	before := f.epoch()
	c := f.mustCreateCase(carl, "  Acme audit ")
	if c.Name != "Acme audit" || c.OwnerID != carl.User.ID || c.UnitID != carl.User.UnitID || c.Status != "open" ||
		c.Version != 1 || !c.Decision.Allow {
		t.Fatalf("case %+v", c)
	}
	members, err := f.svc.Members(f.ctx, f.employee("carl"), c.ID)
	caseWant(t, err, apperr.Internal)
	if len(members) != 1 || members[0] != carl.User.ID {
		t.Fatalf("members %v", members)
	}
	if f.epoch() == before {
		t.Fatal("the rights epoch did not move (PRF-6)")
	}
	account := c.AccountID
	for _, tc := range []struct {
		name string
		who  string
		in   cases.CaseInput
		code apperr.Code
	}{
		{"rule CASE-3: a member level may not add cases", "erik", cases.CaseInput{Name: caseText("x"), AccountID: &account}, apperr.Forbidden},
		{"the name is required", "carl", cases.CaseInput{AccountID: &account}, apperr.Invalid},
		{"a blank name", "carl", cases.CaseInput{Name: caseText(" "), AccountID: &account}, apperr.Invalid},
		{"no such account", "carl", cases.CaseInput{Name: caseText("x"), AccountID: new(int64)}, apperr.Invalid},
		{"a bad status", "carl", cases.CaseInput{Name: caseText("x"), AccountID: &account, Status: caseText("done")}, apperr.Invalid},
		{"ends before it starts", "carl", cases.CaseInput{Name: caseText("x"), AccountID: &account,
			StartsOn: jsonapi.Nullable[string]{Set: true, Value: "2026-12-01"}, EndsOn: jsonapi.Nullable[string]{Set: true, Value: "2026-11-01"}},
			apperr.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.CreateCase(f.ctx, f.employee(tc.who), tc.in)
			caseWant(t, err, tc.code)
		})
	}
}

func TestUpdateCase(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	carl := f.employee("carl")
	c, err := f.svc.UpdateCase(f.ctx, carl, acme, cases.CaseInput{Name: caseText("Acme review"), Probability: new(int)}, domain.Version(1))
	caseWant(t, err, apperr.Internal)
	if c.Name != "Acme review" || c.Probability != 0 || c.Version != 2 || c.Revenue == 0 {
		t.Fatalf("case %+v", c)
	}
	for _, tc := range []struct {
		name string
		who  string
		in   cases.CaseInput
		x    domain.Expect
		code apperr.Code
	}{
		{"a stale version", "carl", cases.CaseInput{Name: caseText("x")}, domain.Version(1), apperr.Stale},
		{"rule CASE-12: a plain member may not edit", "erik", cases.CaseInput{Name: caseText("x")}, domain.Version(2), apperr.Forbidden},
		{"rule CASE-1: an invisible case is missing, whatever the version", "jon", cases.CaseInput{}, domain.Version(9), apperr.NotFound},
		{"the transport's version error comes once the case is found", "carl", cases.CaseInput{},
			domain.Expect{Err: apperr.E(apperr.Invalid, "If-Match and the version attribute disagree.")}, apperr.Invalid},
		{"a probability beyond 100", "carl", cases.CaseInput{Probability: func() *int { p := 101; return &p }()}, domain.Version(2), apperr.Invalid},
		{"a bad date", "carl", cases.CaseInput{EndsOn: jsonapi.Nullable[string]{Set: true, Value: "soon"}}, domain.Version(2), apperr.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.UpdateCase(f.ctx, f.employee(tc.who), acme, tc.in, tc.x)
			caseWant(t, err, tc.code)
		})
	}
	t.Run("rule CASE-7: nobody writes a figure they may not see", func(t *testing.T) {
		f.override("carl", rights.ColCases, "manager_no_financials")
		_, err := f.svc.UpdateCase(f.ctx, f.employee("carl"), acme, cases.CaseInput{ExpectedValue: new(int64)}, domain.Version(2))
		caseWant(t, err, apperr.Forbidden)
	})
}

// rules EXT-3, EXT-6: one status action for the firm and the portal.
func TestSetStatus(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	carl := f.employee("carl")
	aino, mikko := f.contactID("aino.virtanen@acme.example"), f.contactID("mikko.laine@acme.example")
	f.mustShare(carl, acme, true, cases.ShareContactInput{ContactID: aino, CanChangeStatus: true}, cases.ShareContactInput{ContactID: mikko})

	c, err := f.svc.SetStatus(f.ctx, f.contact("aino.virtanen@acme.example"), acme, "on_hold", domain.Version(1))
	caseWant(t, err, apperr.Internal)
	if c.Status != "on_hold" || c.Version != 2 {
		t.Fatalf("case %+v", c)
	}
	t.Run("the same status again changes nothing", func(t *testing.T) {
		c, err := f.svc.SetStatus(f.ctx, f.contact("aino.virtanen@acme.example"), acme, "on_hold", domain.Version(2))
		caseWant(t, err, apperr.Internal)
		if c.Version != 2 {
			t.Fatalf("version %d", c.Version)
		}
	})
	t.Run("an employee who may edit", func(t *testing.T) {
		c, err := f.svc.SetStatus(f.ctx, carl, acme, "in_progress", domain.Version(2))
		caseWant(t, err, apperr.Internal)
		if c.Status != "in_progress" || c.Version != 3 {
			t.Fatalf("case %+v", c)
		}
	})
	for _, tc := range []struct {
		name   string
		who    domain.Actor
		caseID int64
		status string
		x      domain.Expect
		code   apperr.Code
	}{
		{"rule EXT-6: a contact without the right", f.contact("mikko.laine@acme.example"), acme, "closed", domain.Version(3), apperr.Forbidden},
		{"rule EXT-8: an unshared case is missing", f.contact("aino.virtanen@acme.example"), f.caseID("Acme platform migration"), "closed",
			domain.Version(1), apperr.NotFound},
		{"rule CASE-12: a plain member may not", f.employee("erik"), acme, "closed", domain.Version(3), apperr.Forbidden},
		{"an unknown status", f.contact("aino.virtanen@acme.example"), acme, "done", domain.Version(3), apperr.Invalid},
		{"a stale version", f.contact("aino.virtanen@acme.example"), acme, "closed", domain.Version(1), apperr.Stale},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.SetStatus(f.ctx, tc.who, tc.caseID, tc.status, tc.x)
			caseWant(t, err, tc.code)
		})
	}
	t.Run("rule EXT-3: not without the Other section", func(t *testing.T) {
		sh, err := f.svc.CaseShare(f.ctx, carl, acme)
		caseWant(t, err, apperr.Internal)
		off := false
		_, err = f.svc.UpdateShare(f.ctx, carl, sh.ID, cases.ShareInput{ShowOther: &off}, domain.Version(sh.Version))
		caseWant(t, err, apperr.Internal)
		_, err = f.svc.SetStatus(f.ctx, f.contact("aino.virtanen@acme.example"), acme, "closed", domain.Version(3))
		caseWant(t, err, apperr.Forbidden)
	})
}

// rule CASE-13: only a case without records goes; one with hours is closed instead.
func TestDeleteCase(t *testing.T) {
	f := caseSetup(t)
	carl := f.employee("carl")
	caseWant(t, f.svc.DeleteCase(f.ctx, carl, f.caseID("Acme strategy review")), apperr.Conflict)
	c := f.mustCreateCase(carl, "Short-lived")
	caseWant(t, f.svc.DeleteCase(f.ctx, f.employee("erik"), c.ID), apperr.NotFound)
	before := f.epoch()
	caseWant(t, f.svc.DeleteCase(f.ctx, carl, c.ID), apperr.Internal)
	if f.epoch() == before {
		t.Fatal("the rights epoch did not move (PRF-6)")
	}
	_, err := f.svc.Case(f.ctx, carl, c.ID)
	caseWant(t, err, apperr.NotFound)
	t.Run("rule CASE-13: a member level may not delete even an owned case", func(t *testing.T) {
		_, err := f.svc.Case(f.ctx, f.employee("erik"), f.caseID("Globex pricing study"))
		caseWant(t, err, apperr.Internal)
		caseWant(t, f.svc.DeleteCase(f.ctx, f.employee("erik"), f.caseID("Globex pricing study")), apperr.Forbidden)
	})
}
