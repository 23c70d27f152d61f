package org_test

import (
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/org"
)

// TestSettings: every employee reads the settings; only ADM-2 changes them.
func TestSettings(t *testing.T) {
	f := newFixture(t)
	ada := f.actor("ada")
	st, err := f.svc.Settings(f.ctx, f.actor("kim"))
	mustOK(t, err)
	t.Run("rule ADM-2: an administrator changes them, and the epoch moves (WHA-1, PRF-6)", func(t *testing.T) {
		before := f.epoch()
		got, err := f.svc.UpdateSettings(f.ctx, ada, org.SettingsInput{OrganizationName: ptr(" Northwind Oy "),
			WorkHourApproval: ptr(!st.WorkHourApproval)}, domain.Version(st.Version))
		mustOK(t, err)
		if got.OrganizationName != "Northwind Oy" || got.WorkHourApproval == st.WorkHourApproval || got.Version != st.Version+1 || f.epoch() == before {
			t.Fatalf("settings %+v", got.Settings)
		}
	})
	t.Run("rule ADM-2: nobody else", func(t *testing.T) {
		_, err := f.svc.UpdateSettings(f.ctx, f.actor("carl"), org.SettingsInput{Currency: ptr("USD")}, domain.AnyVersion)
		wantCode(t, err, apperr.Forbidden)
	})
	t.Run("a bad currency and a bad lifetime are Invalid", func(t *testing.T) {
		_, err := f.svc.UpdateSettings(f.ctx, ada, org.SettingsInput{Currency: ptr("eur")}, domain.AnyVersion)
		wantCode(t, err, apperr.Invalid)
		_, err = f.svc.UpdateSettings(f.ctx, ada, org.SettingsInput{TempPasswordHours: ptr(0)}, domain.AnyVersion)
		wantCode(t, err, apperr.Invalid)
	})
	t.Run("the brand and the portal's defaults, validated", func(t *testing.T) {
		if st.InviteSendsPassword || st.BrandAccent != "#1f3a5f" || st.Locale != "en" {
			t.Fatalf("a new firm's settings %+v: want link-only invitations and the default brand", st.Settings)
		}
		got, err := f.svc.UpdateSettings(f.ctx, ada, org.SettingsInput{BrandLogoURL: ptr("https://cdn.example/logo.png"),
			BrandAccent: ptr("#AA3300"), InviteSendsPassword: ptr(true), Locale: ptr("fi"), TimeZone: ptr("Europe/Helsinki"),
			DigestMinutes: ptr(60)}, domain.AnyVersion)
		mustOK(t, err)
		if got.BrandLogoURL != "https://cdn.example/logo.png" || got.BrandAccent != "#aa3300" || !got.InviteSendsPassword ||
			got.Locale != "fi" || got.TimeZone != "Europe/Helsinki" || got.DigestMinutes != 60 {
			t.Fatalf("settings %+v", got.Settings)
		}
		for name, in := range map[string]org.SettingsInput{
			"a logo over http":       {BrandLogoURL: ptr("http://cdn.example/logo.png")},
			"a script as logo":       {BrandLogoURL: ptr("javascript:alert(1)")},
			"a named colour":         {BrandAccent: ptr("red")},
			"CSS in the accent":      {BrandAccent: ptr("#fff;}body{")},
			"a language not shipped": {Locale: ptr("de")},
			"a made-up zone":         {TimeZone: ptr("Mars/Base")},
			"a digest of zero":       {DigestMinutes: ptr(0)},
		} {
			_, err := f.svc.UpdateSettings(f.ctx, ada, in, domain.AnyVersion)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("%s: %v, want Invalid", name, err)
			}
		}
		again, err := f.svc.UpdateSettings(f.ctx, ada, org.SettingsInput{BrandLogoURL: ptr("")}, domain.AnyVersion)
		mustOK(t, err)
		if again.BrandLogoURL != "" || again.BrandAccent != "#aa3300" {
			t.Fatalf("settings %+v", again.Settings)
		}
	})
	t.Run("a stale version is refused", func(t *testing.T) {
		_, err := f.svc.UpdateSettings(f.ctx, ada, org.SettingsInput{Currency: ptr("SEK")}, domain.Version(st.Version))
		wantCode(t, err, apperr.Stale)
	})
}
