package cases_test

import (
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/sharing"
)

func shareFlag(b bool) *bool { return &b }

// mustShare shares case caseID with contacts, every section shown or none.
func (f *caseFixture) mustShare(a domain.Actor, caseID int64, all bool, contacts ...cases.ShareContactInput) *cases.Share {
	f.t.Helper()
	sh, err := f.svc.CreateShare(f.ctx, a, cases.ShareInput{CaseID: caseID, ShowFinancials: shareFlag(all),
		ShowPhases: shareFlag(all), ShowOther: shareFlag(all), Contacts: &contacts})
	if err != nil {
		f.t.Fatalf("share case %d: %v", caseID, err)
	}
	return sh
}

// shareMails returns the queued mails to email.
func (f *caseFixture) shareMails(email string) []model.OutboxEmail {
	f.t.Helper()
	var mails []model.OutboxEmail
	if err := f.db.NewSelect().Model(&mails).Where("recipient = ?", email).OrderExpr("id").Scan(f.ctx); err != nil {
		f.t.Fatal(err)
	}
	return mails
}

// rules EXT-1, EXT-4: an owner-like user shares a case; each new contact gets a temporary
// password and an invite link by mail, in the share's transaction (where the firm's
// invitations carry the password; invites_test.go tests the link-only mode).
func TestCreateShare(t *testing.T) {
	f := caseSetup(t)
	f.invitationsSendPassword(true)
	acme := f.caseID("Acme strategy review")
	aino := f.contactID("aino.virtanen@acme.example")
	sh := f.mustShare(f.employee("carl"), acme, false, cases.ShareContactInput{ContactID: aino, CanComment: true})
	if sh.Version != 1 || len(sh.Contacts) != 1 || sh.Contacts[0].Email != "aino.virtanen@acme.example" ||
		!sh.Contacts[0].CanComment || sh.Contacts[0].PortalStatus() != "invited" {
		t.Fatalf("share %+v", sh)
	}
	mails := f.shareMails("aino.virtanen@acme.example")
	if len(mails) != 1 || !strings.Contains(mails[0].BodyText, "https://portal.test/invite/") ||
		!strings.Contains(mails[0].BodyText, "Temporary password") {
		t.Fatalf("mails %+v", mails)
	}
	var cred model.ContactCredential
	if err := f.db.NewSelect().Model(&cred).Where("contact_id = ?", aino).Scan(f.ctx); err != nil || !cred.PasswordTemporary {
		t.Fatalf("credential %+v: %v", cred, err)
	}

	for _, tc := range []struct {
		name string
		who  string
		in   cases.ShareInput
		code apperr.Code
	}{
		{"a second share of the case is a conflict", "carl", cases.ShareInput{CaseID: acme}, apperr.Conflict},
		{"rule EXT-1: a plain member may not share", "erik", cases.ShareInput{CaseID: f.caseID("Acme strategy review")}, apperr.Forbidden},
		{"rule CASE-1: an invisible case is missing", "jon", cases.ShareInput{CaseID: acme}, apperr.NotFound},
		{"rule EXT-1: a contact of another account", "carl", cases.ShareInput{CaseID: f.caseID("Globex pricing study"),
			Contacts: &[]cases.ShareContactInput{{ContactID: aino}}}, apperr.Unprocessable},
		{"rule EXT-1: a contact without an email cannot be invited", "carl", cases.ShareInput{CaseID: f.caseID("Globex pricing study"),
			Contacts: &[]cases.ShareContactInput{{ContactID: f.noraID()}}}, apperr.Unprocessable},
		{"a contact listed twice", "carl", cases.ShareInput{CaseID: f.caseID("Globex pricing study"),
			Contacts: &[]cases.ShareContactInput{{ContactID: f.contactID("sven.berg@globex.example")}, {ContactID: f.contactID("sven.berg@globex.example")}}},
			apperr.Invalid},
		{"an expiry in the past", "carl", cases.ShareInput{CaseID: f.caseID("Globex pricing study"),
			Contacts: &[]cases.ShareContactInput{{ContactID: f.contactID("sven.berg@globex.example"), ExpiresAt: &f.now}}}, apperr.Invalid},
		{"not a contact id", "carl", cases.ShareInput{CaseID: f.caseID("Globex pricing study"),
			Contacts: &[]cases.ShareContactInput{{ContactID: 0}}}, apperr.Invalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.svc.CreateShare(f.ctx, f.employee(tc.who), tc.in)
			caseWant(t, err, tc.code)
		})
	}
	if n := len(f.shareMails("sven.berg@globex.example")); n != 0 {
		t.Fatalf("%d mails queued by refused shares", n)
	}
	t.Run("rules CASE-7, EXT-3: nobody publishes figures they may not see", func(t *testing.T) {
		f.override("dina", rights.ColCases, "manager_no_financials")
		_, err := f.svc.CreateShare(f.ctx, f.employee("dina"), cases.ShareInput{CaseID: f.caseID("Initech integration"),
			ShowFinancials: shareFlag(true)})
		caseWant(t, err, apperr.Forbidden)
	})
}

func (f *caseFixture) noraID() int64 {
	f.t.Helper()
	var id int64
	if err := f.db.NewSelect().Model((*model.Contact)(nil)).Column("id").Where("first_name = 'Nora'").Scan(f.ctx, &id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// rule EXT-4: a contact who set their own password is only told about the new case.
func TestShareTellsAnActiveContact(t *testing.T) {
	f := caseSetup(t)
	f.invitationsSendPassword(true)
	aino := f.contactID("aino.virtanen@acme.example")
	f.mustShare(f.employee("carl"), f.caseID("Acme strategy review"), true, cases.ShareContactInput{ContactID: aino})
	if _, err := f.db.NewUpdate().Model((*model.ContactCredential)(nil)).Set("password_temporary = false").
		Where("contact_id = ?", aino).Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
	f.mustShare(f.employee("hana"), f.caseID("Acme platform migration"), true, cases.ShareContactInput{ContactID: aino})
	mails := f.shareMails("aino.virtanen@acme.example")
	if len(mails) != 2 || strings.Contains(mails[1].BodyText, "Temporary password") {
		t.Fatalf("mails %+v", mails)
	}
}

func TestReadShare(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	sh := f.mustShare(f.employee("carl"), acme, true, cases.ShareContactInput{ContactID: f.contactID("aino.virtanen@acme.example")})
	t.Run("by id", func(t *testing.T) {
		got, err := f.svc.Share(f.ctx, f.employee("carl"), sh.ID)
		caseWant(t, err, apperr.Internal)
		if got.CaseID != acme || len(got.Contacts) != 1 {
			t.Fatalf("share %+v", got)
		}
	})
	t.Run("by case", func(t *testing.T) {
		got, err := f.svc.CaseShare(f.ctx, f.employee("carl"), acme)
		caseWant(t, err, apperr.Internal)
		if got.ID != sh.ID {
			t.Fatalf("share %+v", got)
		}
	})
	t.Run("a case that is not shared", func(t *testing.T) {
		_, err := f.svc.CaseShare(f.ctx, f.employee("ada"), f.caseID("Initech integration"))
		caseWant(t, err, apperr.NotFound)
	})
	t.Run("rule EXT-1: a plain member may not read it", func(t *testing.T) {
		_, err := f.svc.Share(f.ctx, f.employee("erik"), sh.ID)
		caseWant(t, err, apperr.Forbidden)
	})
	t.Run("rule CASE-1: the share of an invisible case is missing", func(t *testing.T) {
		_, err := f.svc.Share(f.ctx, f.employee("jon"), sh.ID)
		caseWant(t, err, apperr.NotFound)
	})
	t.Run("the batch keeps what the caller may share", func(t *testing.T) {
		for who, n := range map[string]int{"carl": 1, "erik": 0, "jon": 0} {
			got, err := f.svc.SharesByID(f.ctx, f.employee(who), []int64{sh.ID, 999999})
			caseWant(t, err, apperr.Internal)
			if len(got) != n || (n == 1 && len(got[0].Contacts) != 1) {
				t.Errorf("%s: %+v", who, got)
			}
		}
	})
}

// rule EXT-9: removing a contact from the list ends their access; the version guards edits.
func TestUpdateShare(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	aino, mikko := f.contactID("aino.virtanen@acme.example"), f.contactID("mikko.laine@acme.example")
	carl := f.employee("carl")
	sh := f.mustShare(carl, acme, false, cases.ShareContactInput{ContactID: aino})

	got, err := f.svc.UpdateShare(f.ctx, carl, sh.ID, cases.ShareInput{ShowOther: shareFlag(true),
		Contacts: &[]cases.ShareContactInput{{ContactID: mikko, CanChangeStatus: true}}}, domain.Version(1))
	caseWant(t, err, apperr.Internal)
	if got.Version != 2 || !got.ShowOther || len(got.Contacts) != 1 || got.Contacts[0].ContactID != mikko {
		t.Fatalf("share %+v", got)
	}
	if _, err := f.svc.SharedCase(f.ctx, f.contact("aino.virtanen@acme.example"), acme); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("a removed contact still sees the case: %v", err)
	}
	if n := len(f.shareMails("mikko.laine@acme.example")); n != 1 {
		t.Fatalf("%d mails to the new contact", n)
	}
	t.Run("a stale version", func(t *testing.T) {
		_, err := f.svc.UpdateShare(f.ctx, carl, sh.ID, cases.ShareInput{ShowPhases: shareFlag(true)}, domain.Version(1))
		caseWant(t, err, apperr.Stale)
	})
	t.Run("rule EXT-1: a plain member may not change it", func(t *testing.T) {
		_, err := f.svc.UpdateShare(f.ctx, f.employee("erik"), sh.ID, cases.ShareInput{}, domain.Version(2))
		caseWant(t, err, apperr.Forbidden)
	})
	t.Run("rule CASE-1: an invisible share is missing, whatever the version", func(t *testing.T) {
		_, err := f.svc.UpdateShare(f.ctx, f.employee("jon"), sh.ID, cases.ShareInput{}, domain.Version(7))
		caseWant(t, err, apperr.NotFound)
	})
	t.Run("an invalid contact leaves the share as it was", func(t *testing.T) {
		_, err := f.svc.UpdateShare(f.ctx, carl, sh.ID, cases.ShareInput{ShowPhases: shareFlag(true),
			Contacts: &[]cases.ShareContactInput{{ContactID: f.noraID()}}}, domain.Version(2))
		caseWant(t, err, apperr.Unprocessable)
		again, err := f.svc.Share(f.ctx, carl, sh.ID)
		caseWant(t, err, apperr.Internal)
		if again.Version != 2 || again.ShowPhases || len(again.Contacts) != 1 {
			t.Fatalf("share %+v", again)
		}
	})
}

// rule EXT-9: unsharing ends every contact's access.
func TestDeleteShare(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	sh := f.mustShare(f.employee("carl"), acme, true, cases.ShareContactInput{ContactID: f.contactID("aino.virtanen@acme.example")})
	caseWant(t, f.svc.DeleteShare(f.ctx, f.employee("erik"), sh.ID), apperr.Forbidden)
	caseWant(t, f.svc.DeleteShare(f.ctx, f.employee("jon"), sh.ID), apperr.NotFound)
	caseWant(t, f.svc.DeleteShare(f.ctx, f.employee("carl"), sh.ID), apperr.Internal)
	_, err := f.svc.SharedCase(f.ctx, f.contact("aino.virtanen@acme.example"), acme)
	caseWant(t, err, apperr.NotFound)
	caseWant(t, f.svc.DeleteShare(f.ctx, f.employee("carl"), sh.ID), apperr.NotFound)
}

// rule EXT-3: within a shared section, the firm chooses each kind of data, as the sharing
// guide's checkboxes do; a hidden kind is missing for the contact, the rest of the section
// stays, and a new share shows every kind of the sections it shares.
func TestShareKinds(t *testing.T) {
	f := caseSetup(t)
	acme := f.caseID("Acme strategy review")
	aino := f.contactID("aino.virtanen@acme.example")
	carl := f.employee("carl")
	sh := f.mustShare(carl, acme, true, cases.ShareContactInput{ContactID: aino, CanApprove: true})
	if sh.HideBilling || sh.HideHourPrices || sh.HideStatus || sh.HideHours || sh.HideFiles {
		t.Fatalf("a new share hides kinds: %+v", sh.ExtranetShare)
	}
	got, err := f.svc.UpdateShare(f.ctx, carl, sh.ID, cases.ShareInput{ShowHours: shareFlag(false), ShowHourPrices: shareFlag(false)},
		domain.Version(1))
	caseWant(t, err, apperr.Internal)
	if !got.HideHours || !got.HideHourPrices || got.HideStatus || got.HideFiles || got.HideBilling || !got.ShowOther {
		t.Fatalf("share %+v", got.ExtranetShare)
	}
	v, err := f.svc.SharedCase(f.ctx, f.contact("aino.virtanen@acme.example"), acme)
	caseWant(t, err, apperr.Internal)
	g := v.Grant
	if g.Can(sharing.ViewHours) || g.Can(sharing.ApproveHours) || g.Can(sharing.ViewHourPrices) {
		t.Fatalf("hidden hours still show: %+v", g)
	}
	if !g.Can(sharing.ViewStatus) || !g.Can(sharing.ViewFiles) || !g.Can(sharing.ViewFinancials) {
		t.Fatalf("the rest of the sections went with the hours: %+v", g)
	}
	again, err := f.svc.UpdateShare(f.ctx, carl, sh.ID, cases.ShareInput{ShowHours: shareFlag(true)}, domain.Version(2))
	caseWant(t, err, apperr.Internal)
	if again.HideHours || !again.HideHourPrices {
		t.Fatalf("share %+v", again.ExtranetShare)
	}
}
