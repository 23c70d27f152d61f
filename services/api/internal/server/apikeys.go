package server

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// apiKeyPrefix marks Caseroom API keys: "crk_<prefix>_<secret>". The prefix finds the row;
// only a SHA-256 of the whole key is stored. Keys carry 256 random bits, so a fast hash is
// enough; a slow password hash would only slow every API request down.
const apiKeyPrefix = "crk_"

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

func apiKeyResource(k *model.APIKey, secret string) *jsonapi.Resource {
	id := strconv.FormatInt(k.ID, 10)
	attrs := map[string]any{"name": k.Name, "prefix": k.Prefix, "createdAt": k.CreatedAt.UTC(), "lastUsedAt": nil, "revoked": k.RevokedAt != nil}
	if k.LastUsedAt != nil {
		attrs["lastUsedAt"] = k.LastUsedAt.UTC()
	}
	if secret != "" {
		attrs["key"] = secret // shown once, on creation
	}
	return &jsonapi.Resource{Type: "api-keys", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{"user": toOne("api-keys", id, "user", "users", k.UserID)},
		Links:         &jsonapi.Links{Self: apiBase + "/api-keys/" + id}}
}

// listAPIKeys answers GET /api/v1/api-keys: the caller's own keys, never their secrets.
func (s *Server) listAPIKeys(c *fiber.Ctx) error {
	p := caller(c)
	return collection[model.APIKey]{table: "api_keys AS k",
		scope: func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("k.user_id = ?", p.User.ID) },
		sorts: map[string]string{"createdAt": "k.created_at", "name": "k.name"}, include: []string{"user"},
		resource: func(k *model.APIKey) *jsonapi.Resource { return apiKeyResource(k, "") }}.run(s, c)
}

// getAPIKey answers GET /api/v1/api-keys/:id: one's own key, never its secret; anyone
// else's key is missing (API-3).
func (s *Server) getAPIKey(c *fiber.Ctx) error {
	id, err := pathID(c, "API key")
	if err != nil {
		return err
	}
	var k model.APIKey
	if err := s.db.NewSelect().Model(&k).Where("id = ? AND user_id = ?", id, caller(c).User.ID).Scan(c.UserContext()); err != nil {
		if isNoRows(err) {
			return apperr.E(apperr.NotFound, "No API key %d.", id)
		}
		return apperr.Wrap(err, "load api key")
	}
	return writeOne(c, fiber.StatusOK, apiKeyResource(&k, ""))
}

type apiKeyBody struct {
	Name *string `jsonapi:"name"`
}

// createAPIKey answers POST /api/v1/api-keys: only the user themself, and only while their
// API switch is on (API-1, API-3). The key is in the response once and nowhere else.
func (s *Server) createAPIKey(c *fiber.Ctx) error {
	p := caller(c)
	if p.viaKey {
		return apperr.E(apperr.Forbidden, "An API key cannot create API keys; log in as yourself.").Because("API-3")
	}
	if d := rights.DecideUser(p.Subject, rights.UserCreateAPIKey, rights.UserAttrs{ID: p.User.ID, UnitID: p.User.UnitID}); !d.Allow {
		return denied(d)
	}
	var req apiKeyBody
	if err := bind(c, "api-keys", "", &req, "key", "prefix", "createdAt", "lastUsedAt", "revoked", "user"); err != nil {
		return err
	}
	name := "API key"
	if req.Name != nil && strings.TrimSpace(*req.Name) != "" {
		name = strings.TrimSpace(*req.Name)
	}
	prefix := strings.ToLower(auth.RandomToken(6))
	prefix = strings.NewReplacer("-", "x", "_", "y").Replace(prefix)
	secret := apiKeyPrefix + prefix + "_" + auth.RandomToken(32)
	k := &model.APIKey{UserID: p.User.ID, Name: name, Prefix: prefix, SecretHash: hashKey(secret), CreatedAt: s.now().UTC()}
	err := s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(k).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert api key")
		}
		return s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "api-keys", ResourceID: k.ID, SubjectUserID: p.User.ID,
			Changes: history.Diff(nil, map[string]any{"name": name, "prefix": prefix})})
	})
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, apiKeyResource(k, secret))
}

// revokeAPIKey answers DELETE /api/v1/api-keys/:id: only the owner revokes (API-3). Someone
// else's key is missing to the caller.
func (s *Server) revokeAPIKey(c *fiber.Ctx) error {
	p := caller(c)
	id, err := pathID(c, "API key")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		var k model.APIKey
		if err := tx.NewSelect().Model(&k).Where("id = ? AND user_id = ?", id, p.User.ID).Scan(ctx); err != nil {
			if isNoRows(err) {
				return apperr.E(apperr.NotFound, "No API key %d.", id)
			}
			return apperr.Wrap(err, "load api key")
		}
		now := s.now().UTC()
		if _, err := tx.NewUpdate().Model(&k).Set("revoked_at = ?", now).WherePK().Where("revoked_at IS NULL").Exec(ctx); err != nil {
			return apperr.Wrap(err, "revoke api key")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "api-keys", ResourceID: k.ID, SubjectUserID: p.User.ID,
			Changes: history.Diff(map[string]any{"revoked": k.RevokedAt != nil}, map[string]any{"revoked": true})}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

// keyPrincipal authenticates a request made with an API key. The request gets exactly the
// key owner's rights (API-4), and only while their API switch is on (API-1, API-3).
func (s *Server) keyPrincipal(ctx context.Context, key string) (*principal, error) {
	rest := strings.TrimPrefix(key, apiKeyPrefix)
	prefix, _, ok := strings.Cut(rest, "_")
	refused := apperr.E(apperr.Unauthenticated, "The API key is invalid or revoked.")
	if !ok || prefix == "" {
		return nil, refused
	}
	var k model.APIKey
	if err := s.db.NewSelect().Model(&k).Where("prefix = ?", prefix).Scan(ctx); err != nil {
		if isNoRows(err) {
			return nil, refused
		}
		return nil, apperr.Wrap(err, "load api key")
	}
	if subtle.ConstantTimeCompare([]byte(k.SecretHash), []byte(hashKey(key))) != 1 || k.RevokedAt != nil {
		return nil, refused
	}
	var u model.User
	if err := s.db.NewSelect().Model(&u).Where("id = ?", k.UserID).Scan(ctx); err != nil || !u.Active {
		return nil, refused
	}
	subj, err := s.subjects.Subject(ctx, s.db, &u)
	if err != nil {
		return nil, apperr.Wrap(err, "load key owner rights")
	}
	if d := rights.DecideAPIRequest(subj); !d.Allow {
		return nil, apperr.E(apperr.Unauthenticated, "API access is switched off for this user.").Because(ruleList(d.Reason))
	}
	if _, err := s.db.NewUpdate().Model(&k).Set("last_used_at = ?", s.now().UTC()).WherePK().Exec(ctx); err != nil {
		s.log.Warn("could not note api key use", "key", k.ID, "err", err)
	}
	return &principal{User: &u, Subject: subj, viaKey: true}, nil
}

// apiKeyKind is the api-keys type of the registry.
func (s *Server) apiKeyKind() kind {
	return kind{name: "api-keys", list: s.listAPIKeys, create: s.createAPIKey, get: s.getAPIKey, remove: s.revokeAPIKey,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			var k model.APIKey
			if err := s.db.NewSelect().Model(&k).Where("id = ? AND user_id = ?", id, p.User.ID).Scan(ctx); err != nil {
				if isNoRows(err) {
					return nil, nil
				}
				return nil, apperr.Wrap(err, "load api key")
			}
			return apiKeyResource(&k, ""), nil
		})}
}
