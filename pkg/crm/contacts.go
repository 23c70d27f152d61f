package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Contact is a person at an account; the portal's users are contacts.
type Contact struct {
	model.Contact `bun:",extend"`
}

// Versioned implements domain.Versioned.
func (ct *Contact) Versioned() (int64, *int64) { return ct.ID, &ct.Version }

func (ct *Contact) times() (created, updated *time.Time) { return &ct.CreatedAt, &ct.UpdatedAt }

// ContactInput is a new contact or a change of one; nil fields stay as they are.
type ContactInput struct {
	FirstName, LastName, Email, Phone, Title *string
	Active                                   *bool
	AccountID                                *int64 // create only: a contact stays with its account
	// Locale and TimeZone are the portal's language and zone for the contact, and the
	// language of their mails; "" means the firm's default.
	Locale, TimeZone *string
}

// EmailPointer is where a contact's email sits in a request document.
const EmailPointer = "/data/attributes/email"

// apply validates and makes the change: names may not be emptied, and a contact always has
// a valid email, because it is how the portal reaches them (EXT-1). Emails are kept in lower
// case.
func (in *ContactInput) apply(ct *Contact) error {
	if err := required("firstName", in.FirstName); err != nil {
		return err
	}
	if err := required("lastName", in.LastName); err != nil {
		return err
	}
	if in.Email != nil && !domain.ValidEmail(strings.TrimSpace(*in.Email)) {
		return apperr.E(apperr.Invalid, "not a valid email address").AtPointer(EmailPointer)
	}
	trimmed(&ct.FirstName, in.FirstName)
	trimmed(&ct.LastName, in.LastName)
	if in.Email != nil {
		ct.Email = strings.ToLower(strings.TrimSpace(*in.Email))
	}
	trimmed(&ct.Phone, in.Phone)
	trimmed(&ct.Title, in.Title)
	if in.Active != nil {
		ct.Active = *in.Active
	}
	return in.applyLanguage(ct)
}

// applyLanguage sets the contact's language and time zone: a language the portal ships
// and an IANA zone, or "" for the firm's default.
func (in *ContactInput) applyLanguage(ct *Contact) error {
	if l := in.Locale; l != nil {
		if *l != "" && !i18n.Supported(*l) {
			return apperr.E(apperr.Invalid, "locale is one of %s, or empty for the firm's default", strings.Join(i18n.Codes(), ", ")).
				AtPointer("/data/attributes/locale")
		}
		ct.Locale = *l
	}
	if z := in.TimeZone; z != nil {
		if *z != "" && !i18n.ValidZone(*z) {
			return apperr.E(apperr.Invalid, "timeZone is an IANA time zone such as Europe/Helsinki, or empty for the firm's default").
				AtPointer("/data/attributes/timeZone")
		}
		ct.TimeZone = *z
	}
	return nil
}

var contacts = part[Contact, *Contact]{what: "contact", resource: "contacts", table: "contacts", alias: "ct",
	snapshot: func(ct *Contact) map[string]any {
		return map[string]any{"firstName": ct.FirstName, "lastName": ct.LastName, "email": ct.Email, "phone": ct.Phone,
			"title": ct.Title, "active": ct.Active, "account": ct.AccountID, "locale": ct.Locale, "timeZone": ct.TimeZone}
	},
	set: func(q *bun.UpdateQuery, ct *Contact) *bun.UpdateQuery {
		return q.Set("first_name = ?", ct.FirstName).Set("last_name = ?", ct.LastName).Set("email = ?", ct.Email).
			Set("phone = ?", ct.Phone).Set("title = ?", ct.Title).Set("active = ?", ct.Active).
			Set("locale = ?", ct.Locale).Set("time_zone = ?", ct.TimeZone)
	}}

// ContactList is the collection of contacts: all of them for whoever may view accounts, none
// for anyone else (ACC-1, ACC-4).
func (s *Service) ContactList(a domain.Actor) listing.Spec[Contact] {
	return contacts.list(s, a, map[string]string{"lastName": "ct.last_name", "firstName": "ct.first_name", "email": "ct.email"},
		map[string]string{"account": "ct.account_id", "email": "ct.email"}, "account")
}

// Contact returns contact id (ACC-4). Errors: apperr.NotFound, also when a may not view
// accounts (ACC-1).
func (s *Service) Contact(ctx context.Context, a domain.Actor, id int64) (*Contact, error) {
	return contacts.load(ctx, s.env.DB, a, id, rights.AccountView)
}

// ContactsByID returns the contacts of ids that a may view, in one query (include).
func (s *Service) ContactsByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Contact, error) {
	return contacts.byID(ctx, s, a, ids)
}

// CreateContact adds a contact to an account (ACC-5) with a valid email (EXT-1) that no other
// contact logs in to the portal with (EXT-5, domain.PortalEmailFree). Errors:
// apperr.NotFound (ACC-1), apperr.Forbidden (ACC-4), apperr.Invalid, apperr.Conflict (email).
func (s *Service) CreateContact(ctx context.Context, a domain.Actor, in ContactInput) (*Contact, error) {
	if err := decide(a, rights.AccountCreate, "contact", 0); err != nil {
		return nil, err
	}
	if in.FirstName == nil || in.LastName == nil || in.Email == nil || in.AccountID == nil {
		return nil, apperr.E(apperr.Invalid, "firstName, lastName, email and the account relationship are required").AtPointer("/data")
	}
	ct := &Contact{model.Contact{AccountID: *in.AccountID, Active: true}}
	if err := in.apply(ct); err != nil {
		return nil, err
	}
	return contacts.create(ctx, s, a, ct, func(ctx context.Context, tx bun.IDB) error {
		if err := AccountRef(ctx, tx, ct.AccountID); err != nil {
			return err
		}
		return domain.PortalEmailFree(ctx, tx, ct.Email, 0, EmailPointer)
	})
}

// UpdateContact changes contact id (ACC-5). A contact stays with its account; a new email
// must be free of other portal logins (EXT-5); a disabled contact loses the portal on their
// next request (EXT-9). Errors: apperr.NotFound (ACC-1), apperr.Forbidden (ACC-4),
// apperr.Stale, apperr.Invalid, apperr.Conflict (email).
func (s *Service) UpdateContact(ctx context.Context, a domain.Actor, id int64, in ContactInput, x domain.Expect) (*Contact, error) {
	return contacts.update(ctx, s, a, id, x,
		func(ctx context.Context, tx bun.IDB, ct *Contact) error {
			was := ct.Email
			if err := in.apply(ct); err != nil {
				return err
			}
			if ct.Email == was {
				return nil
			}
			return domain.PortalEmailFree(ctx, tx, ct.Email, ct.ID, EmailPointer)
		},
		func(ctx context.Context, tx bun.IDB, ct *Contact) error {
			if ct.Active {
				return nil
			}
			if _, err := tx.NewUpdate().Model((*model.ContactCredential)(nil)).Set("token_version = token_version + 1").
				Where("contact_id = ?", ct.ID).Exec(ctx); err != nil {
				return apperr.Wrap(err, fmt.Sprintf("end sessions of contact %d", ct.ID))
			}
			return nil
		})
}

// DeleteContact deletes contact id (ACC-7); their shares go with them, while a contact who
// approved hours or wrote on a case stays. Errors: apperr.NotFound (ACC-1),
// apperr.Forbidden (ACC-7), apperr.Conflict.
func (s *Service) DeleteContact(ctx context.Context, a domain.Actor, id int64) error {
	return contacts.remove(ctx, s, a, id)
}
