package server

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
	"github.com/caseroom/caseroom/pkg/webapi"
)

// createSession logs an employee in: POST /api/v1/sessions with email and password returns
// a JWT for the API's audience (org.Service.Login).
func (s *Server) createSession(c *fiber.Ctx) error {
	cred, err := webapi.ReadCredentials(c)
	if err != nil {
		return err
	}
	sess, err := s.org.Login(c.UserContext(), s.tokens, org.LoginInput{Email: &cred.Email, Password: &cred.Password, ClientIP: c.IP()})
	if err != nil {
		return err
	}
	res := webapi.SessionResource(*sess)
	res.Relationships = map[string]jsonapi.Relationship{"user": {Data: jsonapi.ToOne("users", idString(sess.SubjectID))}}
	return jsonapi.WriteDocument(c, http.StatusCreated, jsonapi.Document{Data: jsonapi.One(res)})
}

// endSessions answers DELETE /api/v1/sessions (logout; org.Service.EndSessions).
func (s *Server) endSessions(c *fiber.Ctx) error {
	if err := s.org.EndSessions(c.UserContext(), callerOf(c)); err != nil {
		return err
	}
	return jsonapi.NoContent(c)
}
