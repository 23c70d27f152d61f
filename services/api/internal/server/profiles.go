package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
)

type profileBody struct {
	Name    *string            `jsonapi:"name"`
	Rights  *map[string]string `jsonapi:"rights"`
	Version *int64             `jsonapi:"version"`
}

func (b *profileBody) input() (org.ProfileInput, error) {
	return org.ProfileInput{Name: b.Name, Rights: b.Rights}, nil
}

func (b *profileBody) edited() *int64 { return b.Version }

// serverOwnedProfileFields: the key marks the built-in profiles, and the count is counted.
var serverOwnedProfileFields = []string{"key", "userCount", "builtIn"}

func profileResource(p *org.Profile) *jsonapi.Resource {
	id := strconv.FormatInt(p.ID, 10)
	attrs := map[string]any{"name": p.Name, "rights": access.ProfileValues(&p.Profile), "userCount": p.UserCount,
		"version": p.Version, "builtIn": p.Key != nil}
	if p.Key != nil {
		attrs["key"] = *p.Key
	}
	return &jsonapi.Resource{Type: "profiles", ID: id, Attributes: attrs, Links: selfLink("profiles", id)}
}

// listProfiles answers GET /api/v1/profiles with each profile's user count
// (org.Service.ProfileList).
func (s *Server) listProfiles(c *fiber.Ctx) error {
	spec, err := s.org.ProfileList(actorOf(c))
	if err != nil {
		return err
	}
	return list(s, c, spec, profileResource)
}

// profileKind is the profiles type (pkg/org).
func (s *Server) profileKind() kind {
	return kind{
		name:   "profiles",
		list:   s.listProfiles,
		create: creator[profileBody]("profiles", append(serverOwnedProfileFields, "version"), s.org.CreateProfile, profileResource),
		get:    getter(s, "profile", s.org.Profile, profileResource),
		update: updater[profileBody]("profiles", "profile", serverOwnedProfileFields, s.org.UpdateProfile, profileResource),
		remove: remover("profile", s.org.DeleteProfile),
		batch:  batchOf(s.org.ProfilesByID, profileResource),
	}
}
