package cases

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notice"
)

// inviteContact gives a newly shared contact a way in (EXT-4, EXT-9) and tells them so by a
// mail in their language (else the firm's), under the firm's brand, naming the firm, the
// person who shared and the case.
//
// A contact without a permanent password gets a single-use invite link that lets them choose
// their password, and a fresh temporary password, both expiring after the organisation's
// temp_password_hours. Where the firm's invitations carry the temporary password
// (settings.invite_sends_password) the mail gives it next to the link; otherwise the mail
// carries the link only, and the stored temporary password is a random one that is never
// shown to anyone, so nobody can log in with it. A contact who already set their own
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
	brand := notice.BrandOf(settings)
	l := brand.LocaleOf(ct)
	portal := strings.TrimRight(s.portal, "/")
	m := notice.Mail{
		To:       ct.Email,
		Subject:  l.T("auth.invite.mail.subject", "firm", brand.Name, "sharer", sharer.Name, "case", c.Name),
		Greeting: greeting(l, ct.FirstName),
		Lines:    []string{l.T("auth.invite.mail.shared", "firm", brand.Name, "sharer", sharer.Name, "case", c.Name)},
		Facts:    [][2]string{{l.T("auth.invite.mail.portal"), portal}},
	}
	if hasCred && !cred.PasswordTemporary {
		m.Lines = append(m.Lines, l.T("auth.invite.mail.known", "email", ct.Email))
		m.Action = &notice.Link{Label: l.T("auth.invite.mail.open"), URL: portal + "/cases/" + strconv.FormatInt(c.ID, 10)}
		return inviteSend(ctx, tx, m, l, brand, now)
	}
	password := auth.TemporaryPassword()
	if !settings.InviteSendsPassword {
		password = auth.RandomToken(32) // never sent: the link is the only way in
	}
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
	m.Lines = append(m.Lines, l.T("auth.invite.mail.login", "email", ct.Email))
	m.Action = &notice.Link{Label: l.T("auth.invite.mail.action"), URL: portal + "/invite/" + token}
	if settings.InviteSendsPassword {
		m.Lines = append(m.Lines, l.T("auth.invite.mail.with_password", "expires", l.DateTime(expires)))
		m.Facts = append(m.Facts, [2]string{l.T("auth.invite.mail.temporary"), password})
	} else {
		m.Lines = append(m.Lines, l.T("auth.invite.mail.link_only", "expires", l.DateTime(expires)))
	}
	return inviteSend(ctx, tx, m, l, brand, now)
}

// greeting is the first line of a mail to a contact: "Hello Anna," or, without a first
// name, "Hello,".
func greeting(l *i18n.Locale, firstName string) string {
	if firstName == "" {
		return l.T("auth.mail.greeting_anonymous")
	}
	return l.T("auth.mail.greeting", "name", firstName)
}

// inviteSend queues an invitation mail in tx, written in both parts by notice.
func inviteSend(ctx context.Context, tx bun.IDB, m notice.Mail, l *i18n.Locale, brand notice.Brand, now time.Time) error {
	if err := notice.Send(ctx, tx, m, l, brand, now); err != nil {
		return apperr.Wrap(err, "queue invitation to "+m.To)
	}
	return nil
}
