package server

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

const principalKey = "principal"

// principal is the authenticated caller of one request.
type principal struct {
	User    *model.User
	Subject *rights.Subject
	viaKey  bool // the request carries an API key rather than a session
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// authenticate checks the Bearer token and takes the caller's subject from the replica's
// cache, which rebuilds it whenever the rights epoch or the caller's user row moved, so that
// a rights change applies at once, on every replica (RIGHTS.md PRF-6). The user row itself,
// with its active flag and token version, is read for every request. A token of another
// audience (the extranet's) is refused here.
func (s *Server) authenticate(c *fiber.Ctx) error {
	h := c.Get(fiber.HeaderAuthorization)
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="caseroom-api"`)
		return apperr.E(apperr.Unauthenticated, "A Bearer token is required.")
	}
	if strings.HasPrefix(token, apiKeyPrefix) {
		p, err := s.keyPrincipal(c.UserContext(), token)
		if err != nil {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="caseroom-api", error="invalid_token"`)
			return err
		}
		c.Locals(principalKey, p)
		return c.Next()
	}
	id, version, err := s.tokens.Verify(token)
	if err != nil {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="caseroom-api", error="invalid_token"`)
		return apperr.E(apperr.Unauthenticated, "The token is invalid or expired.")
	}
	ctx := c.UserContext()
	u, epoch, err := access.UserWithEpoch(ctx, s.db, id)
	if err != nil {
		if isNoRows(err) {
			return apperr.E(apperr.Unauthenticated, "The token is invalid or expired.")
		}
		return apperr.Wrap(err, "load caller")
	}
	if !u.Active || u.TokenVersion != version {
		return apperr.E(apperr.Unauthenticated, "The session has ended; log in again.")
	}
	subj, err := s.subjects.SubjectAt(ctx, s.db, u, epoch)
	if err != nil {
		return apperr.Wrap(err, "load caller rights")
	}
	c.Locals(principalKey, &principal{User: u, Subject: subj})
	return c.Next()
}

// caller returns the request's principal; routes behind authenticate always have one.
func caller(c *fiber.Ctx) *principal {
	return c.Locals(principalKey).(*principal)
}
