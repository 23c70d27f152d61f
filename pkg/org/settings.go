package org

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
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
}

// The bounds of how long a temporary password lives, in hours.
const (
	MinTempPasswordHours = 1
	MaxTempPasswordHours = 720
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
		"travelEnabled": st.TravelEnabled, "tempPasswordHours": st.TempPasswordHours}
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
				Set("temp_password_hours = ?", st.TempPasswordHours).Set("updated_at = ?", st.UpdatedAt)
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
	return nil
}
