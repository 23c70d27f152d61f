package extranet

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// Login limits, counted in the database across replicas. The account bucket stops guessing
// one contact's password; the address bucket stops trying many emails from one place.
var (
	LoginPerAccount = throttle.Rule{Prefix: "extranet:account:", Max: 5, Window: 15 * time.Minute}
	LoginPerIP      = throttle.Rule{Prefix: "extranet:ip:", Max: 30, Window: 15 * time.Minute}
)

// Login checks a contact's email and password (EXT-5) and returns the contact.
//
// An unknown email, an inactive contact, a disabled login and a wrong password all answer
// ErrBadLogin after the same work: one argon2id check (auth.CheckNobody when there is no
// hash to check), so neither the answer nor its timing tells whether the email exists.
// Failures count against the email and the client address; at the limit every attempt
// answers apperr.RateLimited, a right password included. A right but expired temporary
// password answers ErrTemporaryExpired (EXT-9); a contact with no live share left answers
// ErrNothingShared.
func (s *Service) Login(ctx context.Context, email, password, clientIP string) (*Contact, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	buckets := map[string]throttle.Rule{
		LoginPerAccount.Prefix + email: LoginPerAccount,
		LoginPerIP.Prefix + clientIP:   LoginPerIP,
	}
	attempt, err := s.limiter.Begin(ctx, buckets)
	if err != nil {
		return nil, err
	}
	cr, err := s.checkPassword(ctx, email, password)
	if errors.Is(err, auth.ErrMismatch) {
		if ferr := attempt.Failed(ctx); ferr != nil {
			return nil, apperr.Wrap(ferr, "count failed login")
		}
		return nil, ErrBadLogin
	}
	if errors.Is(err, auth.ErrBusy) {
		// Nothing was checked, so nothing counts against the account.
		return nil, errors.Join(err, attempt.Succeeded(ctx))
	}
	if err != nil {
		return nil, err
	}
	if err := attempt.Succeeded(ctx, LoginPerAccount.Prefix+email); err != nil {
		return nil, apperr.Wrap(err, "reset login limit")
	}
	if err := cr.usable(s.now()); err != nil {
		return nil, err
	}
	who := cr.contact()
	if err := s.requireShare(ctx, s.db, who); err != nil {
		return nil, err
	}
	return who, nil
}

// checkPassword finds the one active contact with a usable login for email and checks the
// password, or spends the same time failing. It returns auth.ErrMismatch on any miss.
func (s *Service) checkPassword(ctx context.Context, email, password string) (*credential, error) {
	var found []credential
	err := selectCredential(s.db).Where("lower(c.email) = ?", email).Where("c.active").Where("NOT cc.disabled").
		OrderExpr("c.id").Limit(2).Scan(ctx, &found)
	if err != nil {
		return nil, apperr.Wrap(err, "load contact for login")
	}
	// The share endpoint lets at most one contact per email hold a login; two would be a
	// data error, and guessing between them could log someone in as the other.
	if len(found) != 1 {
		return nil, auth.CheckNobody(password)
	}
	if err := auth.CheckPassword(found[0].PasswordHash, password); err != nil {
		if errors.Is(err, auth.ErrBadHash) {
			return nil, apperr.Wrap(err, "check contact password")
		}
		return nil, err
	}
	return &found[0], nil
}
