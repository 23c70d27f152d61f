package extranet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// InviteHash is how an invitation token is stored: the hex SHA-256 of the token, so that
// the database never holds a usable link.
func InviteHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// UseInvite consumes the single-use invitation token that the share mail carried (EXT-4)
// and returns the contact, whose only possible next step is SetPasswordByInvite. The token
// is marked used in the same statement that checks it is unused, so two concurrent uses
// cannot both win. Errors: ErrInviteInvalid for an unknown, used or expired token or a
// disabled login; ErrNothingShared when the share was removed meanwhile.
func (s *Service) UseInvite(ctx context.Context, token string) (*Contact, error) {
	if token == "" || len(token) > 200 {
		return nil, ErrInviteInvalid
	}
	now := s.now().UTC()
	cr, err := s.linkCredential(ctx, selectCredential(s.db).Where("cc.invite_token_hash = ?", InviteHash(token)).
		Where("cc.invite_used_at IS NULL").Where("cc.invite_expires_at > ?", now), ErrInviteInvalid, "load invitation")
	if err != nil {
		return nil, err
	}
	res, err := s.db.NewUpdate().Table("contact_credentials").Set("invite_used_at = ?", now).Set("updated_at = ?", now).
		Where("contact_id = ?", cr.ContactID).Where("invite_used_at IS NULL").Exec(ctx)
	if err != nil {
		return nil, apperr.Wrap(err, "use invitation")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, ErrInviteInvalid
	}
	return cr.contact(), nil
}

// linkCredential loads the credential of a single-use link (an invitation, a password
// link): q selects it among the live links by the hash of the link's token (what names the
// load in an internal error). No such link, or a login that may not be used, is invalid; a
// contact with nothing shared is ErrNothingShared.
func (s *Service) linkCredential(ctx context.Context, q *bun.SelectQuery, invalid error, what string) (*credential, error) {
	var cr credential
	if err := q.Scan(ctx, &cr); err != nil {
		if isNoRows(err) {
			return nil, invalid
		}
		return nil, apperr.Wrap(err, what)
	}
	if !cr.Active || cr.Disabled {
		return nil, invalid
	}
	if err := s.requireShare(ctx, s.db, cr.contact()); err != nil {
		return nil, err
	}
	return &cr, nil
}

// SetPasswordByInvite sets the first password of a contact who arrived through an
// invitation link (UseInvite), without asking for the temporary password. tokenVersion is
// the version the invitation session was minted with: a password set or a revocation since
// then voids the session. It returns the contact with a fresh token version. Errors:
// ErrSessionEnded, ErrTemporaryExpired, ErrNothingShared, apperr.Invalid.
func (s *Service) SetPasswordByInvite(ctx context.Context, contactID, tokenVersion int64, newPassword string) (*Contact, error) {
	cr, err := s.inviteCredential(ctx, contactID, tokenVersion)
	if err != nil {
		return nil, err
	}
	if err := s.requireShare(ctx, s.db, cr.contact()); err != nil {
		return nil, err
	}
	if err := CheckNewPassword(newPassword, ""); err != nil {
		return nil, err
	}
	return s.setPassword(ctx, cr, newPassword, "set password from invitation", "")
}

// InviteSession checks that an invitation session of contactID at tokenVersion is still
// good, so that the page asking for the new password is shown to a live one only.
func (s *Service) InviteSession(ctx context.Context, contactID, tokenVersion int64) (*Contact, error) {
	cr, err := s.inviteCredential(ctx, contactID, tokenVersion)
	if err != nil {
		return nil, err
	}
	return cr.contact(), nil
}

// inviteCredential loads the credential behind an invitation session: same token version,
// invitation used, password still temporary and not expired, login usable.
func (s *Service) inviteCredential(ctx context.Context, contactID, tokenVersion int64) (*credential, error) {
	cr, err := s.sessionCredential(ctx, contactID, tokenVersion, "load credential for invitation")
	if err != nil {
		return nil, err
	}
	if cr.InviteUsedAt == nil || !cr.PasswordTemporary {
		return nil, ErrSessionEnded
	}
	if err := cr.usable(s.now()); err != nil {
		return nil, err
	}
	return cr, nil
}
