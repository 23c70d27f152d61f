package extranet

import (
	"context"
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

// Login checks a contact's email and password (EXT-5) and returns the contact, through the
// sign-in both services share (auth.SignIn).
//
// An unknown email, an inactive contact, a disabled login and a wrong password all answer
// ErrBadLogin after the same work: one argon2id check (auth.CheckNobody when there is no
// hash to check), so neither the answer nor its timing tells whether the email exists.
// Failures count against the email and the client address; at the limit every attempt
// answers apperr.RateLimited, a right password included. A right but expired temporary
// password answers ErrTemporaryExpired (EXT-9); a contact with no live share left answers
// ErrNothingShared.
func (s *Service) Login(ctx context.Context, email, password, clientIP string) (*Contact, error) {
	limits := auth.LoginLimits{PerAccount: LoginPerAccount, PerIP: LoginPerIP}
	cr, err := auth.SignIn(ctx, s.limiter, limits, email, password, clientIP, s.findCredential, ErrBadLogin)
	if err != nil {
		return nil, err
	}
	return s.liveContact(ctx, cr)
}

// findCredential finds the one active contact with a usable login for email, and its
// password hash; "" when there is none (auth.Lookup).
func (s *Service) findCredential(ctx context.Context, email string) (*credential, string, error) {
	var found []credential
	err := selectCredential(s.db).Where("lower(c.email) = ?", email).Where("c.active").Where("NOT cc.disabled").
		OrderExpr("c.id").Limit(2).Scan(ctx, &found)
	if err != nil {
		return nil, "", apperr.Wrap(err, "load contact for login")
	}
	// The share endpoint lets at most one contact per email hold a login; two would be a
	// data error, and guessing between them could log someone in as the other.
	if len(found) != 1 {
		return nil, "", nil
	}
	return &found[0], found[0].PasswordHash, nil
}
