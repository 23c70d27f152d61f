package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
)

// apiKeyResource renders a key; its secret only on creation, once (API-3).
func apiKeyResource(k *org.APIKey) *jsonapi.Resource {
	id := strconv.FormatInt(k.ID, 10)
	attrs := map[string]any{"name": k.Name, "prefix": k.Prefix, "createdAt": k.CreatedAt.UTC(), "lastUsedAt": nil, "revoked": k.RevokedAt != nil}
	if k.LastUsedAt != nil {
		attrs["lastUsedAt"] = k.LastUsedAt.UTC()
	}
	if k.Secret != "" {
		attrs["key"] = k.Secret
	}
	return &jsonapi.Resource{Type: "api-keys", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{"user": toOne("api-keys", id, "user", "users", k.UserID)},
		Links:         &jsonapi.Links{Self: apiBase + "/api-keys/" + id}}
}

// listAPIKeys answers GET /api/v1/api-keys: the caller's own keys (org.Service.APIKeyList).
func (s *Server) listAPIKeys(c *fiber.Ctx) error {
	return list(s, c, s.org.APIKeyList(actorOf(c)), apiKeyResource)
}

// getAPIKey answers GET /api/v1/api-keys/:id.
func (s *Server) getAPIKey(c *fiber.Ctx) error {
	id, err := pathID(c, "API key")
	if err != nil {
		return err
	}
	k, err := s.org.APIKey(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, apiKeyResource(k))
}

type apiKeyBody struct {
	Name *string `jsonapi:"name"`
}

// createAPIKey answers POST /api/v1/api-keys (org.Service.CreateAPIKey).
func (s *Server) createAPIKey(c *fiber.Ctx) error {
	var req apiKeyBody
	if err := bind(c, "api-keys", "", &req, "key", "prefix", "createdAt", "lastUsedAt", "revoked", "user"); err != nil {
		return err
	}
	k, err := s.org.CreateAPIKey(c.UserContext(), callerOf(c), req.Name)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, apiKeyResource(k))
}

// revokeAPIKey answers DELETE /api/v1/api-keys/:id (org.Service.RevokeAPIKey).
func (s *Server) revokeAPIKey(c *fiber.Ctx) error {
	id, err := pathID(c, "API key")
	if err != nil {
		return err
	}
	if err := s.org.RevokeAPIKey(c.UserContext(), actorOf(c), id); err != nil {
		return err
	}
	return jsonapi.NoContent(c)
}

// apiKeyKind is the api-keys type (pkg/org).
func (s *Server) apiKeyKind() kind {
	return kind{name: "api-keys", list: s.listAPIKeys, create: s.createAPIKey, get: s.getAPIKey, remove: s.revokeAPIKey,
		batch: batchOf(s.org.APIKeysByID, apiKeyResource)}
}
