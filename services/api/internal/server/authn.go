package server

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/org"
	"github.com/caseroom/caseroom/pkg/rights"
)

const principalKey = "principal"

// principal is the authenticated caller of one request.
type principal struct {
	User    *model.User
	Subject *rights.Subject
	viaKey  bool // the request carries an API key rather than a session
}

// authenticate checks the Bearer credential, a session token or an API key
// (org.Service.Authenticate, which applies a rights change at the very next request: PRF-6).
// A token of another audience (the extranet's) is refused here.
func (s *Server) authenticate(c *fiber.Ctx) error {
	token, ok := strings.CutPrefix(c.Get(fiber.HeaderAuthorization), "Bearer ")
	if !ok || token == "" {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="caseroom-api"`)
		return apperr.E(apperr.Unauthenticated, "A Bearer token is required.")
	}
	who, err := s.org.Authenticate(c.UserContext(), s.tokens, s.subjects, token)
	if err != nil {
		if errors.Is(err, org.ErrBadCredential) {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="caseroom-api", error="invalid_token"`)
		}
		return err
	}
	c.Locals(principalKey, &principal{User: who.User, Subject: who.Subject, viaKey: who.ViaKey})
	return c.Next()
}

// caller returns the request's principal; routes behind authenticate always have one.
func caller(c *fiber.Ctx) *principal {
	return c.Locals(principalKey).(*principal)
}

// callerOf returns the request's caller as the org service knows them.
func callerOf(c *fiber.Ctx) org.Caller {
	p := caller(c)
	return org.Caller{Actor: p.actor(), ViaKey: p.viaKey}
}
