package extranet

import (
	"context"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// Password length limits, in characters. The upper bound keeps a hash from becoming a
// denial of service; argon2id takes any length.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// passwordChanges limits wrong current passwords per contact, so that a stolen session
// cannot be used to guess the password behind it.
var passwordChanges = throttle.Rule{Prefix: "extranet:password:", Max: 5, Window: 15 * time.Minute}

func hashPassword(pw string) (string, error) { return auth.HashPassword(pw) }

// CheckNewPassword validates a new password: 12 to 256 characters, not the current one.
// It returns apperr.Invalid pointing at the newPassword attribute.
func CheckNewPassword(newPassword, current string) error {
	n := utf8.RuneCountInString(newPassword)
	switch {
	case n < MinPasswordLength:
		return apperr.E(apperr.Invalid, "The new password needs at least %d characters.", MinPasswordLength).
			AtPointer("/data/attributes/newPassword")
	case n > MaxPasswordLength:
		return apperr.E(apperr.Invalid, "The new password may have at most %d characters.", MaxPasswordLength).
			AtPointer("/data/attributes/newPassword")
	case current != "" && newPassword == current:
		return apperr.E(apperr.Invalid, "The new password must differ from the current one.").
			AtPointer("/data/attributes/newPassword")
	}
	return nil
}

// ChangePassword replaces who's password after checking the current one, and returns the
// contact as it is now. It clears the temporary flag and bumps the token version, so every
// session minted before (on any device) is dead on its next request (EXT-9). Errors:
// ErrWrongPassword, apperr.Invalid for a weak password, apperr.RateLimited after repeated
// wrong current passwords, apperr.Stale when the credential changed meanwhile.
func (s *Service) ChangePassword(ctx context.Context, who *Contact, current, newPassword string) (*Contact, error) {
	bucket := map[string]throttle.Rule{passwordChanges.Prefix + strconv.FormatInt(who.ID, 10): passwordChanges}
	attempt, err := s.limiter.Begin(ctx, bucket)
	if err != nil {
		return nil, err
	}
	var cr credential
	if err := selectCredential(s.db).Where("c.id = ?", who.ID).Scan(ctx, &cr); err != nil {
		return nil, apperr.Wrap(err, "load credential for password change")
	}
	if err := auth.CheckPassword(cr.PasswordHash, current); err != nil {
		if errors.Is(err, auth.ErrBusy) {
			return nil, errors.Join(err, attempt.Succeeded(ctx)) // nothing was checked
		}
		if !errors.Is(err, auth.ErrMismatch) {
			return nil, apperr.Wrap(err, "check current password")
		}
		if ferr := attempt.Failed(ctx); ferr != nil {
			return nil, apperr.Wrap(ferr, "count wrong current password")
		}
		return nil, ErrWrongPassword.AtPointer("/data/attributes/currentPassword")
	}
	if err := attempt.Succeeded(ctx); err != nil {
		return nil, apperr.Wrap(err, "forget password-change attempt")
	}
	if err := CheckNewPassword(newPassword, current); err != nil {
		return nil, err
	}
	return s.setPassword(ctx, &cr, newPassword, "password change")
}

// setPassword stores a new permanent password for cr, bumping the token version and
// dropping any pending invitation, with a change-history entry by the contact.
func (s *Service) setPassword(ctx context.Context, cr *credential, newPassword, why string) (*Contact, error) {
	hash, err := s.hash(newPassword)
	if err != nil {
		return nil, apperr.Wrap(err, "hash new password")
	}
	now := s.now().UTC()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Table("contact_credentials").
			Set("password_hash = ?", hash).Set("password_temporary = ?", false).Set("password_expires_at = NULL").
			Set("token_version = token_version + 1").Set("invite_token_hash = NULL").Set("invite_expires_at = NULL").
			Set("updated_at = ?", now).
			Where("contact_id = ?", cr.ContactID).Where("token_version = ?", cr.TokenVersion).Exec(ctx)
		if err != nil {
			return apperr.Wrap(err, why)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return apperr.E(apperr.Stale, "Your login changed meanwhile. Log in again.")
		}
		return history.Record(ctx, tx, now, history.Entry{
			Actor: history.Actor{ContactID: cr.ContactID}, Action: "update",
			ResourceType: "contact-credentials", ResourceID: cr.ContactID,
			Changes: map[string]history.Change{
				"password":          {Before: "(hidden)", After: "(changed)"},
				"passwordTemporary": {Before: cr.PasswordTemporary, After: false},
			}})
	})
	if err != nil {
		return nil, err
	}
	cr.TokenVersion++
	cr.PasswordTemporary = false
	cr.PasswordExpiresAt = nil
	return cr.contact(), nil
}
