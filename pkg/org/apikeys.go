package org

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// APIKeyPrefix marks Caseroom API keys: "crk_<prefix>_<secret>". The prefix finds the row;
// only a SHA-256 of the whole key is stored. Keys carry 256 random bits, so a fast hash is
// enough; a slow password hash would only slow every API request down.
const APIKeyPrefix = "crk_"

// APIKey is one of a user's API keys. Only its owner ever sees it (API-3).
type APIKey struct {
	model.APIKey `bun:",extend"`
	// Secret is the whole key, set only on the key just created: it is shown once.
	Secret string `bun:"-"`
}

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// APIKeyList is the actor's own keys (API-3).
func (s *Service) APIKeyList(a domain.Actor) listing.Spec[APIKey] {
	return listing.Spec[APIKey]{DB: s.env.DB, Table: "api_keys AS k",
		Scope: func(q *bun.SelectQuery) *bun.SelectQuery { return q.Where("k.user_id = ?", a.User.ID) },
		Sorts: map[string]string{"createdAt": "k.created_at", "name": "k.name"}, Include: []string{"user"}}
}

// APIKey returns one of the actor's own keys; anyone else's is missing (API-3). Errors:
// apperr.NotFound.
func (s *Service) APIKey(ctx context.Context, a domain.Actor, id int64) (*APIKey, error) {
	return ownKey(ctx, s.env.DB, a, id)
}

// APIKeysByID returns those keys of ids that are the actor's own, in one query (include).
func (s *Service) APIKeysByID(ctx context.Context, a domain.Actor, ids []int64) ([]*APIKey, error) {
	var rows []*APIKey
	if err := s.env.DB.NewSelect().Model(&rows).Where("id IN (?) AND user_id = ?", bun.In(ids), a.User.ID).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load api keys")
	}
	return rows, nil
}

func ownKey(ctx context.Context, tx bun.IDB, a domain.Actor, id int64) (*APIKey, error) {
	var k APIKey
	if err := tx.NewSelect().Model(&k).Where("id = ? AND user_id = ?", id, a.User.ID).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "API key", id)
	}
	return &k, nil
}

// CreateAPIKey makes a key for the caller themself, only while their API switch is on, and
// never through another key (API-1, API-3). Its Secret is returned this once and kept
// nowhere. Errors: apperr.Forbidden.
func (s *Service) CreateAPIKey(ctx context.Context, c Caller, name *string) (*APIKey, error) {
	if c.ViaKey {
		return nil, apperr.E(apperr.Forbidden, "An API key cannot create API keys; log in as yourself.").Because("API-3")
	}
	if d := rights.DecideUser(c.Subject, rights.UserCreateAPIKey, rights.UserAttrs{ID: c.User.ID, UnitID: c.User.UnitID}); !d.Allow {
		return nil, domain.Denied(d)
	}
	label := "API key"
	if name != nil && strings.TrimSpace(*name) != "" {
		label = strings.TrimSpace(*name)
	}
	prefix := strings.NewReplacer("-", "x", "_", "y").Replace(strings.ToLower(auth.RandomToken(6)))
	secret := APIKeyPrefix + prefix + "_" + auth.RandomToken(32)
	k := &APIKey{APIKey: model.APIKey{UserID: c.User.ID, Name: label, Prefix: prefix, SecretHash: hashKey(secret),
		CreatedAt: s.env.Now().UTC()}, Secret: secret}
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		if _, err := tx.NewInsert().Model(&k.APIKey).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert api key")
		}
		return s.env.Record(ctx, tx, c.Actor, history.Entry{Action: "create", ResourceType: "api-keys", ResourceID: k.ID,
			SubjectUserID: c.User.ID, Changes: history.Diff(nil, map[string]any{"name": label, "prefix": prefix})})
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// RevokeAPIKey revokes one of the actor's own keys: only the owner revokes (API-3), and
// someone else's key is missing to them. Errors: apperr.NotFound.
func (s *Service) RevokeAPIKey(ctx context.Context, a domain.Actor, id int64) error {
	return s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		k, err := ownKey(ctx, tx, a, id)
		if err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model(&k.APIKey).Set("revoked_at = ?", s.env.Now().UTC()).WherePK().Where("revoked_at IS NULL").Exec(ctx)
		if err != nil {
			return apperr.Wrap(err, "revoke api key "+itoa(id))
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "update", ResourceType: "api-keys", ResourceID: k.ID, SubjectUserID: a.User.ID,
			Changes: history.Diff(map[string]any{"revoked": k.RevokedAt != nil}, map[string]any{"revoked": true})})
	})
}

// errBadKey is the one answer to a key that is malformed, unknown, revoked, or whose owner is
// inactive.
var errBadKey = refused("The API key is invalid or revoked.")

// keyCaller authenticates a request made with an API key. The request gets exactly the key
// owner's rights (API-4), and only while their API switch is on (API-1, API-3).
func (s *Service) keyCaller(ctx context.Context, subjects *access.Cache, key string) (*Caller, error) {
	prefix, _, ok := strings.Cut(strings.TrimPrefix(key, APIKeyPrefix), "_")
	if !ok || prefix == "" {
		return nil, errBadKey
	}
	var k model.APIKey
	if err := s.env.DB.NewSelect().Model(&k).Where("prefix = ?", prefix).Scan(ctx); err != nil {
		if domain.IsNoRows(err) {
			return nil, errBadKey
		}
		return nil, apperr.Wrap(err, "load api key")
	}
	if subtle.ConstantTimeCompare([]byte(k.SecretHash), []byte(hashKey(key))) != 1 || k.RevokedAt != nil {
		return nil, errBadKey
	}
	var u model.User
	if err := s.env.DB.NewSelect().Model(&u).Where("id = ?", k.UserID).Scan(ctx); err != nil {
		if domain.IsNoRows(err) {
			return nil, errBadKey
		}
		return nil, apperr.Wrap(err, "load owner of api key "+itoa(k.ID))
	}
	if !u.Active {
		return nil, errBadKey
	}
	subject, err := subjects.Subject(ctx, s.env.DB, &u)
	if err != nil {
		return nil, apperr.Wrap(err, "load key owner rights")
	}
	if d := rights.DecideAPIRequest(subject); !d.Allow {
		return nil, refused("API access is switched off for this user.").Because(strings.Join(d.Reason.Rules(), ","))
	}
	if _, err := s.env.DB.NewUpdate().Model(&k).Set("last_used_at = ?", s.env.Now().UTC()).WherePK().Exec(ctx); err != nil {
		s.env.Log.Warn("could not note api key use", "key", k.ID, "err", err)
	}
	return &Caller{Actor: domain.Employee(&u, subject), ViaKey: true}, nil
}
