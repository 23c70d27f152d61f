package server

import (
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
)

// userBody is the body of POST and PATCH /users. Pointer fields: nil means "not sent".
type userBody struct {
	Name       *string                       `jsonapi:"name"`
	Email      *string                       `jsonapi:"email"`
	Password   *string                       `jsonapi:"password"`
	Active     *bool                         `jsonapi:"active"`
	APIAccess  *bool                         `jsonapi:"apiAccess"`
	Overrides  *map[string]string            `jsonapi:"rightOverrides"`
	Version    *int64                        `jsonapi:"version"`
	Unit       *jsonapi.IncomingRelationship `jsonapi:"unit,rel"`
	Supervisor *jsonapi.IncomingRelationship `jsonapi:"supervisor,rel"`
	Profile    *jsonapi.IncomingRelationship `jsonapi:"profile,rel"`
}

// input converts the request to the service's input.
func (b *userBody) input() (in org.UserInput, err error) {
	in = org.UserInput{Name: b.Name, Email: b.Email, Password: b.Password, Active: b.Active, APIAccess: b.APIAccess, Overrides: b.Overrides}
	if in.UnitID, err = relRef(b.Unit, "business-units", "/data/relationships/unit"); err != nil {
		return in, err
	}
	if in.ProfileID, err = relRef(b.Profile, "profiles", "/data/relationships/profile"); err != nil {
		return in, err
	}
	in.SupervisorID, err = relRef(b.Supervisor, "users", "/data/relationships/supervisor")
	return in, err
}

func (b *userBody) edited() *int64 { return b.Version }
