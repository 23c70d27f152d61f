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
	attrs := map[string]any{"name": k.Name, "prefix": k.Prefix, "createdAt": k.CreatedAt.UTC(),
		"lastUsedAt": nullableTime(k.LastUsedAt), "revoked": k.RevokedAt != nil}
	if k.Secret != "" {
		attrs["key"] = k.Secret
	}
	return &jsonapi.Resource{Type: "api-keys", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{"user": toOne("api-keys", id, "user", "users", k.UserID)},
		Links:         selfLink("api-keys", id)}
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

// apiKeyKind is the api-keys type (pkg/org).
func (s *Server) apiKeyKind() kind {
	return kind{
		name:   "api-keys",
		list:   lister(s, s.org.APIKeyList, apiKeyResource),
		create: s.createAPIKey,
		get:    getter(s, "API key", s.org.APIKey, apiKeyResource),
		remove: remover("API key", s.org.RevokeAPIKey),
		batch:  batchOf(s.org.APIKeysByID, apiKeyResource),
	}
}
