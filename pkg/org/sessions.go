package org

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// Caller is an authenticated employee: who acts, and whether the request came with an API
// key rather than a session (a key neither mints keys nor has sessions to end: API-3).
type Caller struct {
	domain.Actor
	ViaKey bool
}

// ErrBadCredential marks the refusals of a credential itself (a token or key that is
// malformed, forged, expired or revoked), which a Bearer challenge names invalid_token.
var ErrBadCredential = errors.New("bad credential")

func refused(detail string) *apperr.Error {
	return &apperr.Error{Code: apperr.Unauthenticated, Detail: detail, Err: ErrBadCredential}
}

var (
	errBadToken     = refused("The token is invalid or expired.")
	errUnknownToken = apperr.E(apperr.Unauthenticated, "The token is invalid or expired.")
	errEnded        = apperr.E(apperr.Unauthenticated, "The session has ended; log in again.")
)

// Authenticate finds the caller of a request by its Bearer credential: an API key
// (APIKeyPrefix) or a session token minted by tokens. The caller's user row, with its
// active flag and token version, is read on every request, and their subject comes from
// subjects, which rebuilds it whenever the rights epoch or the user row moved: a rights
// change applies at the very next request, on every replica (PRF-6). Errors:
// apperr.Unauthenticated (with ErrBadCredential for the credential's own faults).
func (s *Service) Authenticate(ctx context.Context, tokens *auth.Issuer, subjects *access.Cache, bearer string) (*Caller, error) {
	if strings.HasPrefix(bearer, APIKeyPrefix) {
		return s.keyCaller(ctx, subjects, bearer)
	}
	id, version, err := tokens.Verify(bearer)
	if err != nil {
		return nil, errBadToken
	}
	u, epoch, err := access.UserWithEpoch(ctx, s.env.DB, id)
	if err != nil {
		if domain.IsNoRows(err) {
			return nil, errUnknownToken
		}
		return nil, apperr.Wrap(err, "load caller "+itoa(id))
	}
	if !u.Active || u.TokenVersion != version {
		return nil, errEnded
	}
	subject, err := subjects.SubjectAt(ctx, s.env.DB, u, epoch)
	if err != nil {
		return nil, apperr.Wrap(err, "load rights of caller "+itoa(id))
	}
	return &Caller{Actor: domain.Employee(u, subject)}, nil
}

// Login limits of the API, per account and per client address, counted across replicas.
var (
	LoginPerAccount = throttle.Rule{Prefix: "api:account:", Max: 5, Window: 15 * time.Minute}
	LoginPerIP      = throttle.Rule{Prefix: "api:ip:", Max: 30, Window: 15 * time.Minute}
)

// ErrWrongLogin is the one answer to a wrong email and a wrong password alike.
var ErrWrongLogin = apperr.E(apperr.Unauthenticated, "The email or password is wrong.")

// LoginInput is a sign-in: the credentials and where they come from.
type LoginInput struct {
	Email, Password *string
	ClientIP        string
}

// Login signs an active employee in and mints their session token with tokens, through the
// sign-in both services share (auth.SignIn): a wrong email and a wrong password get the same
// answer after the same work, and failures are limited per account and per address. Errors:
// apperr.Invalid (missing email or password), apperr.Unauthenticated (ErrWrongLogin),
// apperr.RateLimited, apperr.Unavailable (auth.ErrBusy).
func (s *Service) Login(ctx context.Context, tokens *auth.Issuer, in LoginInput) (*auth.Session, error) {
	if in.Email == nil || strings.TrimSpace(*in.Email) == "" {
		return nil, apperr.E(apperr.Invalid, "email is required").AtPointer("/data/attributes/email")
	}
	if in.Password == nil || *in.Password == "" {
		return nil, apperr.E(apperr.Invalid, "password is required").AtPointer("/data/attributes/password")
	}
	if len(auth.NormalEmail(*in.Email)) > 254 {
		return nil, ErrWrongLogin
	}
	limits := auth.LoginLimits{PerAccount: LoginPerAccount, PerIP: LoginPerIP}
	u, err := auth.SignIn(ctx, s.limiter, limits, *in.Email, *in.Password, in.ClientIP, s.findLogin, ErrWrongLogin)
	if err != nil {
		return nil, err
	}
	sess, err := tokens.Session(u.ID, u.TokenVersion)
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// findLogin finds the active user with email and their password hash (auth.Lookup).
func (s *Service) findLogin(ctx context.Context, email string) (*model.User, string, error) {
	var u model.User
	if err := s.env.DB.NewSelect().Model(&u).Where("lower(email) = ?", email).Where("active").Scan(ctx); err != nil {
		if domain.IsNoRows(err) {
			return nil, "", nil
		}
		return nil, "", apperr.Wrap(err, "load user for login")
	}
	return &u, u.PasswordHash, nil
}

// EndSessions logs the caller out everywhere: their token version moves, so every session
// token of theirs stops working on its next request. API keys are not sessions and stay
// valid until revoked. Errors: apperr.Forbidden (through a key).
func (s *Service) EndSessions(ctx context.Context, c Caller) error {
	if c.ViaKey {
		return apperr.E(apperr.Forbidden, "An API key has no session to end; revoke the key instead.")
	}
	if _, err := s.env.DB.NewUpdate().Model((*model.User)(nil)).Set("token_version = token_version + 1").
		Where("id = ?", c.User.ID).Exec(ctx); err != nil {
		return apperr.Wrap(err, "end sessions of user "+itoa(c.User.ID))
	}
	return nil
}
