package cases

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/outbox"
)

// inviteContact gives a newly shared contact a way in (EXT-4, EXT-9): a contact without a
// permanent password gets a fresh temporary password and a single-use invite link, both
// expiring after the organisation's temp_password_hours; a contact who already set their own
// password is only told about the new case. The mail goes to the outbox in the share's
// transaction, so it is sent exactly when the share is saved.
func (s *Service) inviteContact(ctx context.Context, tx bun.IDB, sharer *model.User, c *model.Case, ct *model.Contact) error {
	settings, err := access.LoadSettings(ctx, tx)
	if err != nil {
		return apperr.Wrap(err, "load settings for an invitation")
	}
	now := s.env.Now().UTC()
	var cred model.ContactCredential
	err = tx.NewSelect().Model(&cred).Where("contact_id = ?", ct.ID).Scan(ctx)
	if err != nil && !domain.IsNoRows(err) {
		return apperr.Wrap(err, fmt.Sprintf("load credential of contact %d", ct.ID))
	}
	hasCred := err == nil
	greeting := fmt.Sprintf("Hello %s,\n\n%s has shared the case %q with you on the %s portal.\n\nPortal: %s\n",
		ct.FirstName, sharer.Name, c.Name, settings.OrganizationName, s.portal)
	subject := fmt.Sprintf("%s: you are invited to follow %q", settings.OrganizationName, c.Name)
	if hasCred && !cred.PasswordTemporary {
		return inviteSend(ctx, tx, outbox.Message{To: ct.Email, Subject: subject,
			Text: greeting + "\nLog in with your email address and your password.\n"}, now)
	}
	password := auth.TemporaryPassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return apperr.Wrap(err, "hash temporary password")
	}
	token := auth.RandomToken(32)
	sum := sha256.Sum256([]byte(token))
	tokenHash := hex.EncodeToString(sum[:])
	expires := now.Add(time.Duration(settings.TempPasswordHours) * time.Hour)
	cred = model.ContactCredential{ContactID: ct.ID, PasswordHash: hash, PasswordTemporary: true, PasswordExpiresAt: &expires,
		TokenVersion: cred.TokenVersion + 1, InviteTokenHash: &tokenHash, InviteExpiresAt: &expires, UpdatedAt: now}
	_, err = tx.NewInsert().Model(&cred).
		On("CONFLICT (contact_id) DO UPDATE").
		Set("password_hash = EXCLUDED.password_hash, password_temporary = EXCLUDED.password_temporary").
		Set("password_expires_at = EXCLUDED.password_expires_at, token_version = EXCLUDED.token_version").
		Set("invite_token_hash = EXCLUDED.invite_token_hash, invite_expires_at = EXCLUDED.invite_expires_at").
		Set("invite_used_at = NULL, updated_at = EXCLUDED.updated_at").Exec(ctx)
	if err != nil {
		return apperr.Wrap(err, fmt.Sprintf("store credential of contact %d", ct.ID))
	}
	text := greeting + fmt.Sprintf("Invite link: %s/invite/%s\nTemporary password: %s\n\n"+
		"The invite link works once. The temporary password expires on %s (%d hours from now) and must be changed when you first log in.\n",
		s.portal, token, password, expires.Format("2006-01-02 15:04 MST"), settings.TempPasswordHours)
	return inviteSend(ctx, tx, outbox.Message{To: ct.Email, Subject: subject, Text: text}, now)
}

// inviteSend queues an invitation mail in tx.
func inviteSend(ctx context.Context, tx bun.IDB, m outbox.Message, now time.Time) error {
	if _, err := outbox.Enqueue(ctx, tx, m, now); err != nil {
		return apperr.Wrap(err, "queue invitation to "+m.To)
	}
	return nil
}
