package crm_test

import (
	"context"
	"errors"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
)

// A portal contact sets their own language, time zone and opt-in mails: validated, saved
// with a new version of the contact and an entry in the history by the contact.
func TestPreferences(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	id := f.idOf(t, "contacts", "email = ?", ainoEmail)
	aino := domain.PortalContact(domain.Contact{ID: id, Name: "Aino Virtanen", Email: ainoEmail})

	p, err := f.svc.Preferences(ctx, aino)
	mustSave(t, err)
	if p.Locale != "" || p.TimeZone != "" || p.NotifyPendingHours || p.NotifyNewFiles || p.Version != 1 {
		t.Fatalf("defaults %+v", p)
	}
	t.Run("saved, with a version and the history", func(t *testing.T) {
		p, err := f.svc.SetPreferences(ctx, aino, crm.PreferencesInput{Locale: ptr("fi"), TimeZone: ptr(" Europe/Helsinki "),
			NotifyPendingHours: ptr(true), NotifyNewFiles: ptr(false)})
		mustSave(t, err)
		if p.Locale != "fi" || p.TimeZone != "Europe/Helsinki" || !p.NotifyPendingHours || p.NotifyNewFiles || p.Version != 2 {
			t.Fatalf("saved %+v", p)
		}
		var rec model.ChangeRecord
		if err := f.db.NewSelect().Model(&rec).Where("resource_type = 'contacts' AND resource_id = ? AND action = 'update'", id).
			Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if rec.ActorContactID == nil || *rec.ActorContactID != id || rec.ActorUserID != nil ||
			rec.Changes != `{"locale":{"before":"","after":"fi"},"notifyPendingHours":{"before":false,"after":true},"timeZone":{"before":"","after":"Europe/Helsinki"}}` {
			t.Fatalf("history %+v", rec)
		}
	})
	t.Run("setting what is set changes nothing", func(t *testing.T) {
		p, err := f.svc.SetPreferences(ctx, aino, crm.PreferencesInput{Locale: ptr("fi")})
		mustSave(t, err)
		if p.Version != 2 || f.history(t, "contacts", id, "update") != 1 {
			t.Fatalf("an unchanged save made version %d", p.Version)
		}
	})
	t.Run("the firm's defaults are empty choices", func(t *testing.T) {
		p, err := f.svc.SetPreferences(ctx, aino, crm.PreferencesInput{Locale: ptr(""), TimeZone: ptr("")})
		mustSave(t, err)
		if p.Locale != "" || p.TimeZone != "" || p.Version != 3 {
			t.Fatalf("saved %+v", p)
		}
	})
	t.Run("an unknown language or zone is refused and nothing changes", func(t *testing.T) {
		for _, c := range []struct {
			in      crm.PreferencesInput
			pointer string
		}{
			{crm.PreferencesInput{Locale: ptr("xx"), NotifyNewFiles: ptr(true)}, crm.PointerLocale},
			{crm.PreferencesInput{TimeZone: ptr("Mars/Olympus"), NotifyNewFiles: ptr(true)}, crm.PointerTimeZone},
			{crm.PreferencesInput{TimeZone: ptr("../../etc/passwd")}, crm.PointerTimeZone},
		} {
			_, err := f.svc.SetPreferences(ctx, aino, c.in)
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.Invalid || e.Pointer != c.pointer {
				t.Fatalf("%+v: error %v", c.in, err)
			}
		}
		p, err := f.svc.Preferences(ctx, aino)
		mustSave(t, err)
		if p.NotifyNewFiles || p.Version != 3 {
			t.Fatalf("after refusals %+v", p)
		}
	})
	t.Run("an employee sets no contact's preferences", func(t *testing.T) {
		_, err := f.svc.SetPreferences(ctx, f.actor(t, "ada"), crm.PreferencesInput{Locale: ptr("fi")})
		mustCode(t, err, apperr.Forbidden)
		_, err = f.svc.Preferences(ctx, f.actor(t, "ada"))
		mustCode(t, err, apperr.Forbidden)
	})
}

func mustSave(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
