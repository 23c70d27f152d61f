package server

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
)

type sessionRequest struct {
	Email    *string `jsonapi:"email"`
	Password *string `jsonapi:"password"`
}

// createSession logs an employee in: POST /api/v1/sessions with email and password returns
// a JWT for the API's audience (org.Service.Login).
func (s *Server) createSession(c *fiber.Ctx) error {
	in, err := jsonapi.ParseResource(c.Body(), "sessions", "")
	if err != nil {
		return err
	}
	var req sessionRequest
	if err := in.Bind(&req); err != nil {
		return err
	}
	sess, err := s.org.Login(c.UserContext(), s.tokens, org.LoginInput{Email: req.Email, Password: req.Password, ClientIP: c.IP()})
	if err != nil {
		return err
	}
	res := &jsonapi.Resource{Type: "sessions", ID: sess.ResourceID(), Attributes: sess.Attributes(),
		Relationships: map[string]jsonapi.Relationship{"user": {Data: jsonapi.ToOne("users", idString(sess.SubjectID))}}}
	return jsonapi.WriteDocument(c, http.StatusCreated, jsonapi.Document{Data: jsonapi.One(res)})
}

// endSessions answers DELETE /api/v1/sessions (logout; org.Service.EndSessions).
func (s *Server) endSessions(c *fiber.Ctx) error {
	if err := s.org.EndSessions(c.UserContext(), callerOf(c)); err != nil {
		return err
	}
	return jsonapi.NoContent(c)
}
