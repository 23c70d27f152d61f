package org

import (
	"context"
	"net/url"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notice"
)

// Settings are the organisation's settings: its one row.
type Settings struct {
	model.Settings
}

// Versioned implements domain.Versioned.
func (st *Settings) Versioned() (int64, *int64) { return st.ID, &st.Version }

// SettingsInput is a change of the settings; nil fields stay as they are.
type SettingsInput struct {
	OrganizationName  *string
	Currency          *string
	WorkHourApproval  *bool
	TravelEnabled     *bool
	TempPasswordHours *int
	// The brand and the portal's defaults.
	BrandLogoURL        *string // an https address, or "" for none
	BrandAccent         *string // "#rrggbb"
	InviteSendsPassword *bool
	Locale              *string // a language the portal ships
	TimeZone            *string // an IANA zone
	DigestMinutes       *int
}

// The bounds of how long a temporary password lives, in hours.
const (
	MinTempPasswordHours = 1
	MaxTempPasswordHours = 720
)

// The bounds of the digest interval, in minutes.
const (
	MinDigestMinutes = 1
	MaxDigestMinutes = 1440
)

// Settings returns the organisation's settings, which every employee reads: the app needs
// its name, currency and feature switches to render anything.
func (s *Service) Settings(ctx context.Context, _ domain.Actor) (*Settings, error) {
	return loadSettings(ctx, s.env.DB)
}

func loadSettings(ctx context.Context, tx bun.IDB) (*Settings, error) {
	st, err := access.LoadSettings(ctx, tx)
	if err != nil {
		return nil, apperr.Wrap(err, "load settings")
	}
	return &Settings{*st}, nil
}

func settingsSnapshot(st *Settings) map[string]any {
	return map[string]any{"organizationName": st.OrganizationName, "currency": st.Currency, "workHourApproval": st.WorkHourApproval,
		"travelEnabled": st.TravelEnabled, "tempPasswordHours": st.TempPasswordHours, "brandLogoUrl": st.BrandLogoURL,
		"brandAccent": st.BrandAccent, "inviteSendsPassword": st.InviteSendsPassword, "locale": st.Locale,
		"timeZone": st.TimeZone, "digestMinutes": st.DigestMinutes}
}

// UpdateSettings changes the settings (ADM-2). Turning work-hour approval or travel on or
// off changes what the approval and travel rights do at the next request (WHA-1, TRV-1,
// PRF-6). Errors: apperr.Forbidden, apperr.Invalid, apperr.Stale.
func (s *Service) UpdateSettings(ctx context.Context, a domain.Actor, in SettingsInput, x domain.Expect) (*Settings, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Settings]{Table: "settings", Resource: "settings", Expect: x,
		Load: func(ctx context.Context, tx bun.IDB) (*Settings, error) {
			if err := mayEditSettings(a); err != nil {
				return nil, err
			}
			return loadSettings(ctx, tx)
		},
		Snapshot: settingsSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, st *Settings) error {
			if err := in.apply(st); err != nil {
				return err
			}
			st.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, st *Settings) *bun.UpdateQuery {
			return q.Set("organization_name = ?", st.OrganizationName).Set("currency = ?", st.Currency).
				Set("work_hour_approval = ?", st.WorkHourApproval).Set("travel_enabled = ?", st.TravelEnabled).
				Set("temp_password_hours = ?", st.TempPasswordHours).Set("brand_logo_url = ?", st.BrandLogoURL).
				Set("brand_accent = ?", st.BrandAccent).Set("invite_sends_password = ?", st.InviteSendsPassword).
				Set("locale = ?", st.Locale).Set("time_zone = ?", st.TimeZone).Set("digest_minutes = ?", st.DigestMinutes).
				Set("updated_at = ?", st.UpdatedAt)
		},
		After: func(ctx context.Context, tx bun.IDB, _ *Settings) error { return RightsChanged(ctx, tx) },
	})
}

func (in *SettingsInput) apply(st *Settings) error {
	if err := rename(&st.OrganizationName, in.OrganizationName, "organizationName"); err != nil {
		return err
	}
	if c := in.Currency; c != nil {
		if len(*c) != 3 || strings.ToUpper(*c) != *c {
			return apperr.E(apperr.Invalid, "currency is an ISO 4217 code such as EUR").AtPointer("/data/attributes/currency")
		}
		st.Currency = *c
	}
	if in.WorkHourApproval != nil {
		st.WorkHourApproval = *in.WorkHourApproval
	}
	if in.TravelEnabled != nil {
		st.TravelEnabled = *in.TravelEnabled
	}
	if h := in.TempPasswordHours; h != nil {
		if *h < MinTempPasswordHours || *h > MaxTempPasswordHours {
			return apperr.E(apperr.Invalid, "tempPasswordHours is between %d and %d", MinTempPasswordHours, MaxTempPasswordHours).
				AtPointer("/data/attributes/tempPasswordHours")
		}
		st.TempPasswordHours = *h
	}
	return in.applyPortal(st)
}

// applyPortal sets the brand and the portal's defaults: what pages and mails show.
func (in *SettingsInput) applyPortal(st *Settings) error {
	if u := in.BrandLogoURL; u != nil {
		if err := logoURLValid(*u); err != nil {
			return err
		}
		st.BrandLogoURL = *u
	}
	if c := in.BrandAccent; c != nil {
		if !notice.ValidAccent(*c) {
			return apperr.E(apperr.Invalid, "brandAccent is a colour written #rrggbb, such as #1f3a5f").AtPointer("/data/attributes/brandAccent")
		}
		st.BrandAccent = strings.ToLower(*c)
	}
	if in.InviteSendsPassword != nil {
		st.InviteSendsPassword = *in.InviteSendsPassword
	}
	if l := in.Locale; l != nil {
		if !i18n.Supported(*l) {
			return apperr.E(apperr.Invalid, "locale is one of %s", strings.Join(i18n.Codes(), ", ")).AtPointer("/data/attributes/locale")
		}
		st.Locale = *l
	}
	if z := in.TimeZone; z != nil {
		if !i18n.ValidZone(*z) {
			return apperr.E(apperr.Invalid, "timeZone is an IANA time zone such as Europe/Helsinki").AtPointer("/data/attributes/timeZone")
		}
		st.TimeZone = *z
	}
	if m := in.DigestMinutes; m != nil {
		if *m < MinDigestMinutes || *m > MaxDigestMinutes {
			return apperr.E(apperr.Invalid, "digestMinutes is between %d and %d", MinDigestMinutes, MaxDigestMinutes).
				AtPointer("/data/attributes/digestMinutes")
		}
		st.DigestMinutes = *m
	}
	return nil
}

// logoURLValid accepts "" (no logo) or an https address of at most 2,000 characters: pages
// and mails load it as an image, and the portal's CSP admits images over https only.
func logoURLValid(raw string) error {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(raw) > 2000 {
		return apperr.E(apperr.Invalid, "brandLogoUrl is an https address of an image, or empty for none").
			AtPointer("/data/attributes/brandLogoUrl")
	}
	return nil
}
