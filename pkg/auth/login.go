package auth

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// LoginLimits are the two limits of one sign-in door, counted in the database across
// replicas: the account bucket stops guessing one account's password, the address bucket
// stops trying many emails from one place.
type LoginLimits struct {
	PerAccount, PerIP throttle.Rule
}

// Lookup finds the account that answers to a normalised email, with its password hash. A
// hash of "" says that no account may log in with this email; that costs the same work as a
// wrong password (CheckNobody). Its errors are failures of the lookup, not refusals.
type Lookup[T any] func(ctx context.Context, email string) (account T, hash string, err error)

// NormalEmail is the form of an email that logins look up and count attempts by.
func NormalEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// SignIn is the one sign-in of both services (the API's employees, the extranet's
// contacts): it checks password against the account lookup finds for email, through limits.
//
// An unknown email and a wrong password answer wrong after the same work: one argon2id check,
// inside the process's hash gate. Failures count against the email and clientIP; at a limit
// every attempt answers apperr.RateLimited, a right password included. A check the hash gate
// refused (ErrBusy) counts against nobody, since nothing was checked. A success clears the
// account's failures.
func SignIn[T any](ctx context.Context, limiter *throttle.Limiter, limits LoginLimits, email, password, clientIP string,
	lookup Lookup[T], wrong error) (T, error) {
	var none T
	email = NormalEmail(email)
	attempt, err := limiter.Begin(ctx, map[string]throttle.Rule{
		limits.PerAccount.Prefix + email: limits.PerAccount,
		limits.PerIP.Prefix + clientIP:   limits.PerIP,
	})
	if err != nil {
		return none, err
	}
	account, err := checkLogin(ctx, email, password, lookup)
	switch {
	case errors.Is(err, ErrMismatch):
		if ferr := attempt.Failed(ctx); ferr != nil {
			return none, apperr.Wrap(ferr, "count failed login")
		}
		return none, wrong
	case errors.Is(err, ErrBusy):
		return none, errors.Join(err, attempt.Succeeded(ctx))
	case err != nil:
		return none, err
	}
	if err := attempt.Succeeded(ctx, limits.PerAccount.Prefix+email); err != nil {
		return none, apperr.Wrap(err, "reset login limit")
	}
	return account, nil
}

// checkLogin looks the account up and checks its password, or spends the same time failing.
func checkLogin[T any](ctx context.Context, email, password string, lookup Lookup[T]) (T, error) {
	account, hash, err := lookup(ctx, email)
	if err != nil {
		return account, err
	}
	if hash == "" {
		return account, CheckNobody(password)
	}
	if err := CheckPassword(hash, password); err != nil {
		if errors.Is(err, ErrBadHash) {
			return account, apperr.Wrap(err, "check password")
		}
		return account, err
	}
	return account, nil
}

// Session is a minted session token, as both services answer a sign-in.
type Session struct {
	SubjectID int64 // the user or contact
	Token     string
	ExpiresAt time.Time
}

// Session mints a session token for subject id at its token version.
func (i *Issuer) Session(id, tokenVersion int64) (Session, error) {
	token, exp, err := i.Mint(id, tokenVersion)
	if err != nil {
		return Session{}, err
	}
	return Session{SubjectID: id, Token: token, ExpiresAt: exp}, nil
}

// ResourceID names the sessions resource: the subject and the expiry.
func (s Session) ResourceID() string {
	return strconv.FormatInt(s.SubjectID, 10) + "-" + strconv.FormatInt(s.ExpiresAt.Unix(), 10)
}

// Attributes are the attributes every sessions resource carries: the Bearer token and when
// it expires.
func (s Session) Attributes() map[string]any {
	return map[string]any{"token": s.Token, "tokenType": "Bearer", "expiresAt": s.ExpiresAt.UTC().Format(time.RFC3339)}
}
