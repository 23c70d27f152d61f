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

// serverOwnedProfileFields: the key marks the built-in profiles, and the count is counted.
var serverOwnedProfileFields = []string{"key", "userCount", "builtIn"}

func profileResource(p *org.Profile) *jsonapi.Resource {
	id := strconv.FormatInt(p.ID, 10)
	attrs := map[string]any{"name": p.Name, "rights": access.ProfileValues(&p.Profile), "userCount": p.UserCount,
		"version": p.Version, "builtIn": p.Key != nil}
	if p.Key != nil {
		attrs["key"] = *p.Key
	}
	return &jsonapi.Resource{Type: "profiles", ID: id, Attributes: attrs, Links: &jsonapi.Links{Self: apiBase + "/profiles/" + id}}
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

// createProfile answers POST /api/v1/profiles (org.Service.CreateProfile).
func (s *Server) createProfile(c *fiber.Ctx) error {
	var req profileBody
	if err := bind(c, "profiles", "", &req, append(serverOwnedProfileFields, "version")...); err != nil {
		return err
	}
	p, err := s.org.CreateProfile(c.UserContext(), actorOf(c), org.ProfileInput{Name: req.Name, Rights: req.Rights})
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, profileResource(p))
}

// updateProfile answers PATCH /api/v1/profiles/:id (org.Service.UpdateProfile).
func (s *Server) updateProfile(c *fiber.Ctx) error {
	id, err := pathID(c, "profile")
	if err != nil {
		return err
	}
	var req profileBody
	if err := bind(c, "profiles", strconv.FormatInt(id, 10), &req, serverOwnedProfileFields...); err != nil {
		return err
	}
	in := org.ProfileInput{Name: req.Name, Rights: req.Rights}
	p, err := s.org.UpdateProfile(c.UserContext(), actorOf(c), id, in, expect(c, req.Version))
	if err != nil {
		return err
	}
	tagVersion(c, p.Version)
	return writeOne(c, fiber.StatusOK, profileResource(p))
}

// profileKind is the profiles type (pkg/org).
func (s *Server) profileKind() kind {
	return kind{name: "profiles", list: s.listProfiles, create: s.createProfile, get: getter(s, "profile", s.org.Profile, profileResource), update: s.updateProfile,
		remove: remover("profile", s.org.DeleteProfile), batch: batchOf(s.org.ProfilesByID, profileResource)}
}
