package extranet

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notice"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// ResetTTL is how long a password link works.
const ResetTTL = 30 * time.Minute

// ResetAnswerTime is the least time RequestReset takes. Mailing a link costs a transaction
// that an unknown address does not; waiting out the rest of this time on every path keeps
// the answer's timing from telling who has a login.
const ResetAnswerTime = 300 * time.Millisecond

// Limits on asking for password links, counted in the database across replicas: per
// address, so that nobody's mailbox is flooded; per client, so that nobody probes many
// addresses. Their buckets are apart from the login's, so asking for links never locks
// anyone out of logging in.
var (
	ResetPerAddress = throttle.Rule{Prefix: "extranet:reset:address:", Max: 3, Window: time.Hour}
	ResetPerIP      = throttle.Rule{Prefix: "extranet:reset:ip:", Max: 20, Window: time.Hour}
)

// RequestReset mails a single-use password link to the contact with this email, if there
// is one that may log in: an active contact with a login that is not disabled, whether its
// password is their own or the invitation's temporary one, and at least one live share. The
// link expires after ResetTTL; only its SHA-256 is stored, and asking again replaces it. The
// mail is in the contact's language (else the firm's), under the firm's brand, queued in the
// transaction that stores the link.
//
// The answer is the same whatever the address: nil for an unknown address, an inactive
// contact, a disabled login, a contact with nothing shared, and for a request over the
// limits (which sends nothing), so that it tells nobody whether the address has a login;
// nor does its timing: no password is hashed on either path, and every answer but the
// blank address's comes ResetAnswerTime after the request. Errors: ErrEmailRequired for a
// blank address, and internal failures.
func (s *Service) RequestReset(ctx context.Context, email, clientIP string) error {
	email = auth.NormalEmail(email)
	if email == "" {
		return ErrEmailRequired
	}
	start := s.now()
	defer func() { s.sleep(ctx, ResetAnswerTime-s.now().Sub(start)) }()
	attempt, err := s.limiter.Begin(ctx, map[string]throttle.Rule{
		ResetPerAddress.Prefix + email: ResetPerAddress,
		ResetPerIP.Prefix + clientIP:   ResetPerIP,
	})
	if apperr.CodeOf(err) == apperr.RateLimited {
		return nil
	}
	if err != nil {
		return err
	}
	// Every request counts against the limits, whether it sends a link or not.
	if err := attempt.Failed(ctx); err != nil {
		return apperr.Wrap(err, "count a request for a password link")
	}
	if len(email) > 254 {
		return nil
	}
	cr, _, err := s.findCredential(ctx, email)
	if err != nil || cr == nil {
		return err
	}
	if err := s.requireShare(ctx, s.db, cr.contact()); err != nil {
		if apperr.CodeOf(err) == apperr.Unauthenticated {
			return nil
		}
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return s.sendReset(ctx, tx, cr) })
}

// sendReset stores a fresh password link for cr and queues its mail in tx.
func (s *Service) sendReset(ctx context.Context, tx bun.Tx, cr *credential) error {
	now := s.now().UTC()
	token := auth.RandomToken(32)
	expires := now.Add(ResetTTL)
	if _, err := tx.NewUpdate().Table("contact_credentials").Set("reset_token_hash = ?", InviteHash(token)).
		Set("reset_expires_at = ?", expires).Set("updated_at = ?", now).Where("contact_id = ?", cr.ContactID).Exec(ctx); err != nil {
		return apperr.Wrap(err, "store a password link")
	}
	brand, err := notice.LoadBrand(ctx, tx)
	if err != nil {
		return err
	}
	l := brand.LocaleOf(&model.Contact{Locale: cr.Locale, TimeZone: cr.TimeZone})
	m := notice.Mail{
		To:       cr.Email,
		Subject:  l.T("auth.reset.mail.subject", "firm", brand.Name),
		Greeting: greeting(l.T, cr.FirstName),
		Lines:    []string{l.T("auth.reset.mail.asked", "firm", brand.Name, "email", cr.Email)},
		Action:   &notice.Link{Label: l.T("auth.reset.mail.action"), URL: s.portal + "/reset/" + token},
		After: []string{l.T("auth.reset.mail.expires", "expires", l.DateTime(expires)),
			l.T("auth.reset.mail.ignore")},
	}
	return notice.Send(ctx, tx, m, l, brand, now)
}

// greeting is the first line of a mail to a person: "Hello Anna," or, without a first name,
// "Hello,". t is the recipient's catalogue (i18n.Locale.T).
func greeting(t func(key string, args ...any) string, firstName string) string {
	if firstName == "" {
		return t("auth.mail.greeting_anonymous")
	}
	return t("auth.mail.greeting", "name", firstName)
}

// CheckReset tells whether a password link still works, without spending it: the page a
// link opens asks for the new password only when it does (mail scanners open links too).
// It returns the contact the link is for. Errors: ErrResetInvalid, ErrNothingShared.
func (s *Service) CheckReset(ctx context.Context, token string) (*Contact, error) {
	cr, err := s.resetCredential(ctx, token)
	if err != nil {
		return nil, err
	}
	return cr.contact(), nil
}

// ResetPassword spends a password link: it sets newPassword as the contact's own
// (permanent) password, bumps the token version so that every earlier session ends (EXT-9),
// forgets the failed logins of the address, and returns the contact with the new version, to
// be signed in. The link is spent by the statement that sets the password, so two uses cannot
// both win, and a weak password leaves it unspent. Errors: ErrResetInvalid for an unknown,
// used, expired or replaced link or a login that may not be used; ErrNothingShared; the
// errors of CheckNewPassword.
func (s *Service) ResetPassword(ctx context.Context, token, newPassword string) (*Contact, error) {
	cr, err := s.resetCredential(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := CheckNewPassword(newPassword, ""); err != nil {
		return nil, err
	}
	return s.setPassword(ctx, cr, newPassword, "password reset", InviteHash(token))
}

// resetCredential loads the credential a live password link is for.
func (s *Service) resetCredential(ctx context.Context, token string) (*credential, error) {
	if token == "" || len(token) > 200 {
		return nil, ErrResetInvalid
	}
	return s.linkCredential(ctx, selectCredential(s.db).Where("cc.reset_token_hash = ?", InviteHash(token)).
		Where("cc.reset_expires_at > ?", s.now().UTC()), ErrResetInvalid, "load password link")
}
