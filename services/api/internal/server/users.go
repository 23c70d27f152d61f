package server

import (
	"strconv"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
)

// userResource renders a user of the directory; their access (profile, overrides, API
// switch) only where the caller manages them or is them (org.User.Managed).
func userResource(u *org.User) *jsonapi.Resource {
	id := strconv.FormatInt(u.ID, 10)
	res := &jsonapi.Resource{Type: "users", ID: id,
		Attributes: map[string]any{"name": u.Name, "email": u.Email, "active": u.Active, "version": u.Version},
		Relationships: map[string]jsonapi.Relationship{
			"unit":       toOne("users", id, "unit", "business-units", u.UnitID),
			"supervisor": optRel("users", id, "supervisor", "users", u.SupervisorID),
		},
		Links: selfLink("users", id)}
	if u.Managed {
		overrides := u.Overrides
		if overrides == nil {
			overrides = map[string]string{}
		}
		res.Attributes["apiAccess"], res.Attributes["rightOverrides"] = u.APIAccess, overrides
		res.Relationships["profile"] = toOne("users", id, "profile", "profiles", u.ProfileID)
	}
	return res
}

// userKind is the users type (pkg/org).
func (s *Server) userKind() kind {
	return kind{
		name:    "users",
		list:    lister(s, s.org.UserList, userResource),
		create:  creator[userBody]("users", []string{"version"}, s.org.CreateUser, userResource),
		get:     getter(s, "user", s.org.User, userResource),
		update:  updater[userBody]("users", "user", []string{"password"}, s.org.UpdateUser, userResource),
		batch:   batchOf(s.org.UsersByID, userResource),
		explain: s.org.ExplainUser,
	}
}
