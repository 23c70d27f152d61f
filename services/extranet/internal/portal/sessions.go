package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/webapi"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// createSession logs a contact in: POST /portal/v1/sessions with email and password returns
// a short-lived JWT for the extranet's own audience (EXT-5). A wrong email and a wrong
// password get the same 401 after the same work; failures are limited per account and per
// address (429). While the password is the temporary one, the token only changes it
// (attribute passwordTemporary tells the client so); an expired temporary password is a
// 401 with code temporary_password_expired (EXT-9).
func (h *handler) createSession(c *fiber.Ctx) error {
	cred, err := webapi.ReadCredentials(c)
	if err != nil {
		return err
	}
	who, err := h.svc.Login(c.UserContext(), cred.Email, cred.Password, c.IP())
	if err != nil {
		return err
	}
	return h.writeSession(c, http.StatusCreated, who)
}

// writeSession mints a token for who and writes it as a sessions resource: the shape both
// services share (auth.Session), with whether the password is the temporary one.
func (h *handler) writeSession(c *fiber.Ctx, status int, who *extranet.Contact) error {
	sess, err := h.tokens.Session(who.ID, who.TokenVersion)
	if err != nil {
		return err
	}
	res := webapi.SessionResource(sess)
	res.Attributes["passwordTemporary"], res.Attributes["name"] = who.PasswordTemporary, who.Name
	return jsonapi.WriteDocument(c, status, jsonapi.Document{Data: jsonapi.One(res)})
}

// endSessions answers DELETE /portal/v1/sessions (logout): every token of the contact stops
// working at once (EXT-9).
func (h *handler) endSessions(c *fiber.Ctx) error {
	if err := h.svc.EndSessions(c.UserContext(), caller(c).ID); err != nil {
		return err
	}
	return jsonapi.NoContent(c)
}
