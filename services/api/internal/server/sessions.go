package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/throttle"
)

// loginLimits: per account and per client address, counted across replicas.
var (
	loginPerAccount = throttle.Rule{Prefix: "api:account:", Max: 5, Window: 15 * time.Minute}
	loginPerIP      = throttle.Rule{Prefix: "api:ip:", Max: 30, Window: 15 * time.Minute}
)

type sessionRequest struct {
	Email    *string `jsonapi:"email"`
	Password *string `jsonapi:"password"`
}

// createSession logs an employee in: POST /api/v1/sessions with email and password
// returns a JWT for the API's audience. A wrong email and a wrong password get the same
// answer after the same work, and failures are rate-limited per account and address.
func (s *Server) createSession(c *fiber.Ctx) error {
	in, err := jsonapi.ParseResource(c.Body(), "sessions", "")
	if err != nil {
		return err
	}
	var req sessionRequest
	if err := in.Bind(&req); err != nil {
		return err
	}
	if req.Email == nil || strings.TrimSpace(*req.Email) == "" {
		return apperr.E(apperr.Invalid, "email is required").AtPointer("/data/attributes/email")
	}
	if req.Password == nil || *req.Password == "" {
		return apperr.E(apperr.Invalid, "password is required").AtPointer("/data/attributes/password")
	}
	email := strings.ToLower(strings.TrimSpace(*req.Email))
	if len(email) > 254 {
		return apperr.E(apperr.Unauthenticated, "The email or password is wrong.")
	}
	ctx := c.UserContext()
	buckets := map[string]throttle.Rule{
		loginPerAccount.Prefix + email: loginPerAccount,
		loginPerIP.Prefix + c.IP():     loginPerIP,
	}
	attempt, err := s.limiter.Begin(ctx, buckets)
	if err != nil {
		return err
	}
	u, err := s.checkLogin(ctx, email, *req.Password)
	if err != nil {
		if errors.Is(err, auth.ErrMismatch) {
			if ferr := attempt.Failed(ctx); ferr != nil {
				return apperr.Wrap(ferr, "count failed login")
			}
			return apperr.E(apperr.Unauthenticated, "The email or password is wrong.")
		}
		if errors.Is(err, auth.ErrBusy) {
			// Nothing was checked, so nothing counts against the account.
			return errors.Join(err, attempt.Succeeded(ctx))
		}
		return err
	}
	if err := attempt.Succeeded(ctx, loginPerAccount.Prefix+email); err != nil {
		return apperr.Wrap(err, "reset login limit")
	}
	token, exp, err := s.tokens.Mint(u.ID, u.TokenVersion)
	if err != nil {
		return err
	}
	uid := strconv.FormatInt(u.ID, 10)
	res := &jsonapi.Resource{
		Type: "sessions",
		ID:   uid + "-" + strconv.FormatInt(exp.Unix(), 10),
		Attributes: map[string]any{
			"token":     token,
			"tokenType": "Bearer",
			"expiresAt": exp.UTC().Format(time.RFC3339),
		},
		Relationships: map[string]jsonapi.Relationship{
			"user": {Data: jsonapi.ToOne("users", uid)},
		},
	}
	return jsonapi.WriteDocument(c, http.StatusCreated, jsonapi.Document{Data: jsonapi.One(res)})
}

// checkLogin returns the active user with this email and password, or auth.ErrMismatch.
func (s *Server) checkLogin(ctx context.Context, email, password string) (*model.User, error) {
	var u model.User
	err := s.db.NewSelect().Model(&u).Where("lower(email) = ?", email).Where("active").Scan(ctx)
	if err != nil {
		if isNoRows(err) {
			return nil, auth.CheckNobody(password)
		}
		return nil, apperr.Wrap(err, "load user for login")
	}
	if err := auth.CheckPassword(u.PasswordHash, password); err != nil {
		if errors.Is(err, auth.ErrBadHash) {
			return nil, apperr.Wrap(err, "check password")
		}
		return nil, err
	}
	return &u, nil
}

// endSessions answers DELETE /api/v1/sessions (logout): the user's token version moves, so
// every session token of theirs stops working on its next request. API keys are not sessions
// and stay valid until revoked.
func (s *Server) endSessions(c *fiber.Ctx) error {
	p := caller(c)
	if p.viaKey {
		return apperr.E(apperr.Forbidden, "An API key has no session to end; revoke the key instead.")
	}
	if _, err := s.db.NewUpdate().Model((*model.User)(nil)).Set("token_version = token_version + 1").
		Where("id = ?", p.User.ID).Exec(c.UserContext()); err != nil {
		return apperr.Wrap(err, "end sessions")
	}
	return jsonapi.NoContent(c)
}
