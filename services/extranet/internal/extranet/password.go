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
// Errors: ErrPasswordTooShort, ErrPasswordTooLong, ErrPasswordUnchanged (apperr.Invalid,
// pointing at the newPassword attribute).
func CheckNewPassword(newPassword, current string) error {
	n := utf8.RuneCountInString(newPassword)
	switch {
	case n < MinPasswordLength:
		return ErrPasswordTooShort
	case n > MaxPasswordLength:
		return ErrPasswordTooLong
	case current != "" && newPassword == current:
		return ErrPasswordUnchanged
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
	return s.setPassword(ctx, &cr, newPassword, "password change", "")
}

// ReplaceTemporaryPassword sets the first own password of a contact whose session started
// with the temporary password of the invitation (EXT-9). Having just logged in with it, they
// are not asked for it again; the session must still be of the credential's current version,
// on a temporary password that has not expired. The new password must differ from the
// temporary one. Errors: ErrSessionEnded, ErrTemporaryExpired, ErrPasswordUnchanged,
// apperr.Invalid for a weak password, apperr.Unavailable (auth.ErrBusy), apperr.Stale.
func (s *Service) ReplaceTemporaryPassword(ctx context.Context, who *Contact, newPassword string) (*Contact, error) {
	cr, err := s.sessionCredential(ctx, who.ID, who.TokenVersion, "load credential for a first password")
	if err != nil {
		return nil, err
	}
	if !cr.PasswordTemporary {
		return nil, ErrSessionEnded
	}
	if err := cr.usable(s.now()); err != nil {
		return nil, err
	}
	if err := CheckNewPassword(newPassword, ""); err != nil {
		return nil, err
	}
	switch err := auth.CheckPassword(cr.PasswordHash, newPassword); {
	case err == nil:
		return nil, ErrPasswordUnchanged
	case errors.Is(err, auth.ErrBusy):
		return nil, err
	case !errors.Is(err, auth.ErrMismatch):
		return nil, apperr.Wrap(err, "compare with the temporary password")
	}
	return s.setPassword(ctx, cr, newPassword, "first password", "")
}

// setPassword stores a new permanent password for cr, bumping the token version and
// dropping any pending invitation and password link, with a change-history entry by the
// contact. The login's failed attempts are forgotten: whoever sets a password has shown who
// they are. With resetHash not empty, the password link of that hash must still be the live one,
// and is spent by the same statement (ErrResetInvalid otherwise).
func (s *Service) setPassword(ctx context.Context, cr *credential, newPassword, why, resetHash string) (*Contact, error) {
	hash, err := s.hash(newPassword)
	if err != nil {
		return nil, apperr.Wrap(err, "hash new password")
	}
	now := s.now().UTC()
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Table("contact_credentials").
			Set("password_hash = ?", hash).Set("password_temporary = ?", false).Set("password_expires_at = NULL").
			Set("token_version = token_version + 1").Set("invite_token_hash = NULL").Set("invite_expires_at = NULL").
			Set("reset_token_hash = NULL").Set("reset_expires_at = NULL").Set("updated_at = ?", now).
			Where("contact_id = ?", cr.ContactID).Where("token_version = ?", cr.TokenVersion)
		if resetHash != "" {
			q = q.Where("reset_token_hash = ?", resetHash).Where("reset_expires_at > ?", now)
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return apperr.Wrap(err, why)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if resetHash != "" {
				return ErrResetInvalid
			}
			return apperr.E(apperr.Stale, "Your login changed meanwhile. Log in again.")
		}
		limiter := &throttle.Limiter{DB: tx, Now: s.now}
		if err := limiter.Clear(ctx, LoginPerAccount.Prefix+auth.NormalEmail(cr.Email),
			passwordChanges.Prefix+strconv.FormatInt(cr.ContactID, 10)); err != nil {
			return apperr.Wrap(err, "forget failed logins")
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
