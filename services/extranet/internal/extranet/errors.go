package extranet

import "github.com/caseroom/caseroom/pkg/apperr"

// The portal's own refusals. Each is an *apperr.Error, so pkg/httpx maps it to its status;
// the portal also gives each a stable error code (see portal.errorCodes) so that a client
// can tell them apart. Tests match them with errors.Is.
var (
	// ErrBadLogin is the one answer to a wrong email and a wrong password alike.
	ErrBadLogin = apperr.E(apperr.Unauthenticated, "The email or password is wrong.")
	// ErrTemporaryExpired: the temporary password of the invitation has expired (EXT-9).
	ErrTemporaryExpired = apperr.E(apperr.Unauthenticated,
		"Your temporary password has expired. Ask your contact at the firm to invite you again.")
	// ErrSessionEnded: the token was revoked (password change, disabled login) or its
	// contact is gone (EXT-9).
	ErrSessionEnded = apperr.E(apperr.Unauthenticated, "Your session has ended. Log in again.")
	// ErrNothingShared: no case is shared with the contact any more (EXT-9).
	ErrNothingShared = apperr.E(apperr.Unauthenticated, "No case is shared with you at the moment.")
	// ErrPasswordChangeRequired: a session on a temporary password may only change it (EXT-9).
	ErrPasswordChangeRequired = apperr.E(apperr.Forbidden, "Set a new password before you continue.").Because("EXT-9")
	// ErrWrongPassword: the current password given to a password change is wrong.
	ErrWrongPassword = apperr.E(apperr.Invalid, "The current password is wrong.")
	// ErrInviteInvalid: the invitation link is unknown, used, expired or revoked.
	ErrInviteInvalid = apperr.E(apperr.NotFound, "This invitation link is invalid, already used or expired.")
	// ErrResetInvalid: the password link is unknown, used, expired or replaced by a newer one,
	// or its login may not be used any more.
	ErrResetInvalid = apperr.E(apperr.NotFound, "This password link is invalid, already used or expired. Ask for a new one.")
	// ErrEmailRequired: a password link was asked for without an email address.
	ErrEmailRequired = apperr.E(apperr.Invalid, "Enter your email address.").AtPointer("/data/attributes/email")
	// ErrPasswordTooShort, ErrPasswordTooLong and ErrPasswordUnchanged refuse a new password
	// (CheckNewPassword).
	ErrPasswordTooShort = apperr.E(apperr.Invalid, "The new password needs at least %d characters.", MinPasswordLength).
				AtPointer("/data/attributes/newPassword")
	ErrPasswordTooLong = apperr.E(apperr.Invalid, "The new password may have at most %d characters.", MaxPasswordLength).
				AtPointer("/data/attributes/newPassword")
	ErrPasswordUnchanged = apperr.E(apperr.Invalid, "The new password must differ from the current one.").
				AtPointer("/data/attributes/newPassword")
)
