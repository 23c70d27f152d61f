package extranet

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// Contact is the authenticated caller of the portal: a customer contact with portal
// credentials and at least one live share.
type Contact struct {
	ID        int64
	AccountID int64
	Name      string
	Email     string
	// TokenVersion is the credential's current version; a token of another version is dead.
	TokenVersion int64
	// PasswordTemporary is true until the contact sets their own password (EXT-9).
	PasswordTemporary bool
	FirstName         string
	// Locale and TimeZone are the contact's own choices; empty means the firm's default.
	Locale   string
	TimeZone string
}

// credential is a contact joined with their portal credential.
type credential struct {
	ContactID         int64      `bun:"contact_id"`
	AccountID         int64      `bun:"account_id"`
	FirstName         string     `bun:"first_name"`
	LastName          string     `bun:"last_name"`
	Email             string     `bun:"email"`
	Active            bool       `bun:"active"`
	PasswordHash      string     `bun:"password_hash"`
	PasswordTemporary bool       `bun:"password_temporary"`
	PasswordExpiresAt *time.Time `bun:"password_expires_at"`
	TokenVersion      int64      `bun:"token_version"`
	InviteUsedAt      *time.Time `bun:"invite_used_at"`
	Disabled          bool       `bun:"disabled"`
	Locale            string     `bun:"locale"`
	TimeZone          string     `bun:"time_zone"`
}

func (c *credential) contact() *Contact {
	return &Contact{ID: c.ContactID, AccountID: c.AccountID, Email: c.Email, TokenVersion: c.TokenVersion,
		PasswordTemporary: c.PasswordTemporary, Name: strings.TrimSpace(c.FirstName + " " + c.LastName),
		FirstName: c.FirstName, Locale: c.Locale, TimeZone: c.TimeZone}
}

// usable reports whether the credential may log in now: the contact is active, the login
// is not disabled, and a temporary password has not expired.
func (c *credential) usable(now time.Time) error {
	if !c.Active || c.Disabled {
		return ErrSessionEnded
	}
	if c.PasswordTemporary && (c.PasswordExpiresAt == nil || !c.PasswordExpiresAt.After(now)) {
		return ErrTemporaryExpired
	}
	return nil
}

// selectCredential starts a query for contacts joined with their credentials.
func selectCredential(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("contacts AS c").
		ColumnExpr("c.id AS contact_id, c.account_id, c.first_name, c.last_name, c.email, c.active, c.locale, c.time_zone").
		ColumnExpr("cc.password_hash, cc.password_temporary, cc.password_expires_at, cc.token_version").
		ColumnExpr("cc.invite_used_at, cc.disabled").
		Join("JOIN contact_credentials AS cc ON cc.contact_id = c.id")
}

// Authenticate turns a verified token's subject and version into the calling contact. It
// runs on every request, so that a password change (which bumps the token version), a
// disabled login, a deactivated contact or the removal of their last share ends the
// session on the next request (EXT-9). Errors: ErrSessionEnded, ErrTemporaryExpired,
// ErrNothingShared (all apperr.Unauthenticated).
func (s *Service) Authenticate(ctx context.Context, contactID, tokenVersion int64) (*Contact, error) {
	cr, err := s.sessionCredential(ctx, contactID, tokenVersion, "load contact credential")
	if err != nil {
		return nil, err
	}
	return s.liveContact(ctx, cr)
}

// sessionCredential loads the credential behind a session of contactID minted at
// tokenVersion (what names the load in an internal error). A contact who is gone, or a
// credential of another version (a password set or the sessions ended since), is
// ErrSessionEnded.
func (s *Service) sessionCredential(ctx context.Context, contactID, tokenVersion int64, what string) (*credential, error) {
	var cr credential
	if err := selectCredential(s.db).Where("c.id = ?", contactID).Scan(ctx, &cr); err != nil {
		if isNoRows(err) {
			return nil, ErrSessionEnded
		}
		return nil, apperr.Wrap(err, what)
	}
	if cr.TokenVersion != tokenVersion {
		return nil, ErrSessionEnded
	}
	return &cr, nil
}

// liveContact returns the contact of cr if they may be signed in now: the credential is
// usable and at least one live share names them. Errors: ErrSessionEnded,
// ErrTemporaryExpired, ErrNothingShared.
func (s *Service) liveContact(ctx context.Context, cr *credential) (*Contact, error) {
	if err := cr.usable(s.now()); err != nil {
		return nil, err
	}
	who := cr.contact()
	if err := s.requireShare(ctx, s.db, who); err != nil {
		return nil, err
	}
	return who, nil
}

// requireShare fails with ErrNothingShared unless at least one live share names who.
func (s *Service) requireShare(ctx context.Context, db bun.IDB, who *Contact) error {
	ok, err := s.grants(db, who).Exists(ctx)
	if err != nil {
		return apperr.Wrap(err, "check shares")
	}
	if !ok {
		return ErrNothingShared
	}
	return nil
}

// EndSessions ends every session of the contact at once (logout): the token version moves,
// so each token minted before is refused on its next request (EXT-9).
func (s *Service) EndSessions(ctx context.Context, contactID int64) error {
	if _, err := s.db.NewUpdate().Table("contact_credentials").Set("token_version = token_version + 1").
		Set("updated_at = ?", s.now().UTC()).Where("contact_id = ?", contactID).Exec(ctx); err != nil {
		return apperr.Wrap(err, "end contact sessions")
	}
	return nil
}
