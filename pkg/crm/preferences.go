package crm

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/model"
)

// Preferences are a portal contact's own choices: the language and time zone of the portal
// and of their mails ("" is the firm's default), and the mails they opted in to.
type Preferences struct {
	Locale             string
	TimeZone           string
	NotifyPendingHours bool // work hours wait for their approval
	NotifyNewFiles     bool // the firm added files or links
	Version            int64
}

// PreferencesInput is a change of a contact's preferences; nil fields stay as they are.
type PreferencesInput struct {
	Locale             *string
	TimeZone           *string
	NotifyPendingHours *bool
	NotifyNewFiles     *bool
}

// The fields of PreferencesInput, as apperr pointers name them, so that a form can show an
// error beside its input.
const (
	PointerLocale   = "/locale"
	PointerTimeZone = "/timeZone"
)

// ownPreferences is the contact row a contact changes for themself.
type ownPreferences struct {
	model.Contact `bun:",extend"`
}

func (p *ownPreferences) Versioned() (int64, *int64) { return p.ID, &p.Version }

func (p *ownPreferences) preferences() *Preferences {
	return &Preferences{Locale: p.Locale, TimeZone: p.TimeZone, NotifyPendingHours: p.NotifyPendingHours,
		NotifyNewFiles: p.NotifyNewFiles, Version: p.Version}
}

func preferencesSnapshot(p *ownPreferences) map[string]any {
	return map[string]any{"locale": p.Locale, "timeZone": p.TimeZone, "notifyPendingHours": p.NotifyPendingHours,
		"notifyNewFiles": p.NotifyNewFiles}
}

// apply validates and makes the change: a language Caseroom ships and a time zone it knows,
// or "" for the firm's default.
func (in *PreferencesInput) apply(p *ownPreferences) error {
	if in.Locale != nil {
		code := strings.TrimSpace(*in.Locale)
		if code != "" && !i18n.Supported(code) {
			return apperr.E(apperr.Invalid, "%q is not a language of the portal.", code).AtPointer(PointerLocale)
		}
		p.Locale = code
	}
	if in.TimeZone != nil {
		zone := strings.TrimSpace(*in.TimeZone)
		if zone != "" && !i18n.ValidZone(zone) {
			return apperr.E(apperr.Invalid, "%q is not a time zone.", zone).AtPointer(PointerTimeZone)
		}
		p.TimeZone = zone
	}
	if in.NotifyPendingHours != nil {
		p.NotifyPendingHours = *in.NotifyPendingHours
	}
	if in.NotifyNewFiles != nil {
		p.NotifyNewFiles = *in.NotifyNewFiles
	}
	return nil
}

// loadOwn reads the contact row of a, who must be a portal contact: preferences are a
// contact's own, and no one else's (an employee meets apperr.Forbidden).
func (s *Service) loadOwn(ctx context.Context, db bun.IDB, a domain.Actor) (*ownPreferences, error) {
	if !a.IsContact() {
		return nil, apperr.E(apperr.Forbidden, "Only a contact sets their own portal preferences.")
	}
	var p ownPreferences
	if err := db.NewSelect().Model(&p).ModelTableExpr("contacts AS contact").Where("contact.id = ?", a.Contact.ID).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "contact", a.Contact.ID)
	}
	return &p, nil
}

// Preferences returns the preferences of the contact a. Errors: apperr.Forbidden (not a
// contact), apperr.NotFound.
func (s *Service) Preferences(ctx context.Context, a domain.Actor) (*Preferences, error) {
	p, err := s.loadOwn(ctx, s.env.DB, a)
	if err != nil {
		return nil, err
	}
	return p.preferences(), nil
}

// SetPreferences changes the preferences of the contact a, with a new version of the
// contact and the change in the history (by the contact). Setting what is already set
// changes nothing. Errors: apperr.Forbidden (not a contact), apperr.NotFound,
// apperr.Invalid (at PointerLocale or PointerTimeZone).
func (s *Service) SetPreferences(ctx context.Context, a domain.Actor, in PreferencesInput) (*Preferences, error) {
	p, err := domain.Save(ctx, s.env, a, domain.Update[*ownPreferences]{Table: "contacts", Resource: "contacts", SkipUnchanged: true,
		Load:     func(ctx context.Context, tx bun.IDB) (*ownPreferences, error) { return s.loadOwn(ctx, tx, a) },
		Snapshot: preferencesSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, p *ownPreferences) error {
			if err := in.apply(p); err != nil {
				return err
			}
			p.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, p *ownPreferences) *bun.UpdateQuery {
			return q.Set("locale = ?", p.Locale).Set("time_zone = ?", p.TimeZone).
				Set("notify_pending_hours = ?", p.NotifyPendingHours).Set("notify_new_files = ?", p.NotifyNewFiles).
				Set("updated_at = ?", p.UpdatedAt)
		},
	})
	if err != nil {
		return nil, err
	}
	return p.preferences(), nil
}
