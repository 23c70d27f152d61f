package webapi

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// Credentials are what a login sends: POST …/sessions with an email and a password.
type Credentials struct {
	Email, Password string
}

type credentialsBody struct {
	Email    *string `jsonapi:"email"`
	Password *string `jsonapi:"password"`
}

// ReadCredentials reads the sessions document of a login. Both attributes are required: a
// missing or blank email, or a missing or empty password, is a 400 that points at it.
func ReadCredentials(c *fiber.Ctx) (Credentials, error) {
	var req credentialsBody
	if err := Bind(c, "sessions", "", &req); err != nil {
		return Credentials{}, err
	}
	if req.Email == nil || strings.TrimSpace(*req.Email) == "" {
		return Credentials{}, apperr.E(apperr.Invalid, "email is required").AtPointer("/data/attributes/email")
	}
	if req.Password == nil || *req.Password == "" {
		return Credentials{}, apperr.E(apperr.Invalid, "password is required").AtPointer("/data/attributes/password")
	}
	return Credentials{Email: *req.Email, Password: *req.Password}, nil
}

// SessionResource is the sessions resource both services answer a login with: the token and
// when it expires (auth.Session.Attributes). A service adds what its clients need besides.
func SessionResource(sess auth.Session) *jsonapi.Resource {
	return &jsonapi.Resource{Type: "sessions", ID: sess.ResourceID(), Attributes: sess.Attributes()}
}
