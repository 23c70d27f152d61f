package crm_test

import (
	"context"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
)

const ainoEmail = "aino.virtanen@acme.example"

// portalLogin gives contact id a portal login, as a share's invitation does.
func (f *fixture) portalLogin(t *testing.T, id int64) {
	t.Helper()
	if _, err := f.db.NewInsert().Model(&model.ContactCredential{ContactID: id, PasswordHash: "x", UpdatedAt: f.now}).
		Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) tokenVersion(t *testing.T, id int64) int64 {
	t.Helper()
	var cc model.ContactCredential
	if err := f.db.NewSelect().Model(&cc).Where("contact_id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return cc.TokenVersion
}

// TestContactReads: rules ACC-1 and ACC-4, as for accounts.
func TestContactReads(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	aino := f.idOf(t, "contacts", "email = ?", ainoEmail)
	kim, none := f.actor(t, "kim"), f.actor(t, "kim", accountsNone)
	if got := rows(t, f.svc.ContactList(kim)); len(got) != 5 {
		t.Fatalf("rule ACC-4: %d contacts, want 5", len(got))
	}
	if ct, err := f.svc.Contact(ctx, kim, aino); err != nil || ct.Email != ainoEmail {
		t.Fatalf("rule ACC-4: %+v, %v", ct, err)
	}
	if got := rows(t, f.svc.ContactList(none)); len(got) != 0 {
		t.Fatalf("rule ACC-1: %d contacts, want none", len(got))
	}
	_, err := f.svc.Contact(ctx, none, aino)
	mustCode(t, err, apperr.NotFound)
	if batch, err := f.svc.ContactsByID(ctx, kim, []int64{aino}); err != nil || len(batch) != 1 {
		t.Fatalf("batch %+v, %v", batch, err)
	}
}

// TestContactWrites: rules ACC-5, ACC-7, EXT-1, EXT-5 and EXT-9.
func TestContactWrites(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	carl, bea, kim := f.actor(t, "carl"), f.actor(t, "bea"), f.actor(t, "kim")
	acme := f.acme(t)
	aino := f.idOf(t, "contacts", "email = ?", ainoEmail)
	mikko := f.idOf(t, "contacts", "email = ?", "mikko.laine@acme.example")
	f.portalLogin(t, aino)
	newContact := func(email string) crm.ContactInput {
		return crm.ContactInput{FirstName: ptr("New"), LastName: ptr("Person"), Email: ptr(email), AccountID: &acme}
	}

	t.Run("rule ACC-5: view_and_edit adds a contact, its email in lower case", func(t *testing.T) {
		ct, err := f.svc.CreateContact(ctx, carl, newContact(" New.Person@Acme.Example "))
		if err != nil {
			t.Fatal(err)
		}
		if ct.Email != "new.person@acme.example" || !ct.Active || ct.AccountID != acme || f.history(t, "contacts", ct.ID, "create") != 1 {
			t.Fatalf("created %+v", ct)
		}
	})
	t.Run("rule ACC-5: read_only may not add one", func(t *testing.T) {
		_, err := f.svc.CreateContact(ctx, kim, newContact("x@acme.example"))
		mustRule(t, err, "ACC-5")
	})
	t.Run("rule EXT-1: a contact needs a valid email", func(t *testing.T) {
		_, err := f.svc.CreateContact(ctx, carl, newContact("not an email"))
		mustCode(t, err, apperr.Invalid)
	})
	t.Run("a contact needs an account that exists", func(t *testing.T) {
		in := newContact("ghost@acme.example")
		in.AccountID = ptr(int64(999999))
		_, err := f.svc.CreateContact(ctx, carl, in)
		mustCode(t, err, apperr.Invalid)
	})
	t.Run("rule EXT-5: a new contact cannot take a portal user's email in other letters", func(t *testing.T) {
		_, err := f.svc.CreateContact(ctx, carl, newContact("AINO.Virtanen@acme.example"))
		mustCode(t, err, apperr.Conflict)
	})
	t.Run("rule EXT-5: nor can another contact by an update, which stores nothing", func(t *testing.T) {
		_, err := f.svc.UpdateContact(ctx, carl, mikko, crm.ContactInput{Email: ptr("Aino.Virtanen@ACME.example")}, domain.Version(1))
		mustCode(t, err, apperr.Conflict)
		if ct, _ := f.svc.Contact(ctx, carl, mikko); ct.Email != "mikko.laine@acme.example" || ct.Version != 1 {
			t.Fatalf("the refused email was stored: %+v", ct)
		}
	})
	t.Run("rule EXT-5: the portal user keeps her own address in other letters", func(t *testing.T) {
		ct, err := f.svc.UpdateContact(ctx, carl, aino, crm.ContactInput{Email: ptr("Aino.Virtanen@Acme.example")}, domain.Version(1))
		if err != nil || ct.Email != ainoEmail {
			t.Fatalf("%+v, %v", ct, err)
		}
	})
	t.Run("rule EXT-9: a disabled contact's portal sessions end", func(t *testing.T) {
		was := f.tokenVersion(t, aino)
		ct, err := f.svc.UpdateContact(ctx, carl, aino, crm.ContactInput{Active: ptr(false)}, domain.AnyVersion)
		if err != nil || ct.Active {
			t.Fatalf("%+v, %v", ct, err)
		}
		if f.tokenVersion(t, aino) != was+1 {
			t.Fatal("the disabled contact's sessions live on")
		}
	})
	t.Run("the contact's language and time zone for the portal and mails", func(t *testing.T) {
		ct, err := f.svc.UpdateContact(ctx, carl, mikko, crm.ContactInput{Locale: ptr("fi"), TimeZone: ptr("Europe/Helsinki")}, domain.AnyVersion)
		if err != nil || ct.Locale != "fi" || ct.TimeZone != "Europe/Helsinki" {
			t.Fatalf("%+v, %v", ct, err)
		}
		_, err = f.svc.UpdateContact(ctx, carl, mikko, crm.ContactInput{Locale: ptr("klingon")}, domain.AnyVersion)
		mustCode(t, err, apperr.Invalid)
		_, err = f.svc.UpdateContact(ctx, carl, mikko, crm.ContactInput{TimeZone: ptr("Mars/Base")}, domain.AnyVersion)
		mustCode(t, err, apperr.Invalid)
		ct, err = f.svc.UpdateContact(ctx, carl, mikko, crm.ContactInput{Locale: ptr(""), TimeZone: ptr("")}, domain.AnyVersion)
		if err != nil || ct.Locale != "" || ct.TimeZone != "" {
			t.Fatalf("back to the firm's default: %+v, %v", ct, err)
		}
	})
	t.Run("names may not be emptied", func(t *testing.T) {
		_, err := f.svc.UpdateContact(ctx, carl, mikko, crm.ContactInput{LastName: ptr(" ")}, domain.AnyVersion)
		mustCode(t, err, apperr.Invalid)
	})
	t.Run("rule ACC-5: read_only may not update, even with a bad request", func(t *testing.T) {
		_, err := f.svc.UpdateContact(ctx, kim, mikko, crm.ContactInput{}, domain.Expect{Err: apperr.E(apperr.Invalid, "bad body")})
		mustRule(t, err, "ACC-5")
	})
	t.Run("rule ACC-7: deleting needs delete_accounts", func(t *testing.T) {
		ct, err := f.svc.CreateContact(ctx, carl, newContact("leaving@acme.example"))
		if err != nil {
			t.Fatal(err)
		}
		mustRule(t, f.svc.DeleteContact(ctx, carl, ct.ID), "ACC-7")
		if err := f.svc.DeleteContact(ctx, bea, ct.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Contact(ctx, bea, ct.ID)
		mustCode(t, err, apperr.NotFound)
	})
	t.Run("a contact who approved hours stays, for the record", func(t *testing.T) {
		if _, err := f.db.NewUpdate().Model((*model.WorkHour)(nil)).Set("approved_by_contact_id = ?", mikko).
			Where("id = (SELECT MIN(id) FROM work_hours)").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		mustCode(t, f.svc.DeleteContact(ctx, bea, mikko), apperr.Conflict)
		if _, err := f.svc.Contact(ctx, bea, mikko); err != nil {
			t.Fatal(err)
		}
	})
}
