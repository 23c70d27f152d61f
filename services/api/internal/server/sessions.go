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
	ctx := c.UserContext()
	buckets := map[string]throttle.Rule{
		loginPerAccount.Prefix + email: loginPerAccount,
		loginPerIP.Prefix + c.IP():     loginPerIP,
	}
	if err := s.limiter.Check(ctx, buckets); err != nil {
		return err
	}
	u, err := s.checkLogin(ctx, email, *req.Password)
	if err != nil {
		if errors.Is(err, auth.ErrMismatch) {
			if ferr := s.limiter.Fail(ctx, buckets); ferr != nil {
				return ferr
			}
			return apperr.E(apperr.Unauthenticated, "The email or password is wrong.")
		}
		return err
	}
	if err := s.limiter.Reset(ctx, loginPerAccount.Prefix+email); err != nil {
		return err
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
