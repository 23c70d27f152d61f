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
	t.Run("a stale version is refused", func(t *testing.T) {
		_, err := f.svc.UpdateSettings(f.ctx, ada, org.SettingsInput{Currency: ptr("SEK")}, domain.Version(st.Version))
		wantCode(t, err, apperr.Stale)
	})
}
