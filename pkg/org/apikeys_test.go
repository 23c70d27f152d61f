package org_test

import (
	"errors"
	"testing"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/org"
)

func TestAPIKeys(t *testing.T) {
	f := newFixture(t)
	cache := access.NewCache(0)
	ada := f.actor("ada")
	kimID := f.userID("kim")
	setSwitch := func(t *testing.T, on bool) {
		t.Helper()
		_, err := f.svc.UpdateUser(f.ctx, ada, kimID, org.UserInput{APIAccess: &on}, domain.AnyVersion)
		mustOK(t, err)
	}
	t.Run("rule API-3: no key while the switch is off", func(t *testing.T) {
		_, err := f.svc.CreateAPIKey(f.ctx, org.Caller{Actor: f.actor("kim")}, ptr("script"))
		wantCode(t, err, apperr.Forbidden)
	})
	t.Run("rule API-2: a manager switches it but may not create the user's key", func(t *testing.T) {
		setSwitch(t, true)
		_, err := f.svc.UpdateUser(f.ctx, ada, ada.User.ID, org.UserInput{APIAccess: ptr(true)}, domain.AnyVersion)
		wantCode(t, err, apperr.Forbidden) // USR-5: not one's own switch
	})
	var key *org.APIKey
	t.Run("rule API-3: the user creates their key, whose secret is shown once", func(t *testing.T) {
		k, err := f.svc.CreateAPIKey(f.ctx, org.Caller{Actor: f.actor("kim")}, nil)
		mustOK(t, err)
		if k.Secret == "" || k.Name != "API key" || k.UserID != kimID {
			t.Fatalf("key %+v", k)
		}
		key = k
		got, err := f.svc.APIKey(f.ctx, f.actor("kim"), k.ID)
		mustOK(t, err)
		if got.Secret != "" {
			t.Fatal("the secret is shown again")
		}
		if n := len(rowsOf(t, f, f.svc.APIKeyList(f.actor("kim")), "")); n != 1 {
			t.Fatalf("kim lists %d keys", n)
		}
	})
	t.Run("rule API-3: anyone else's key is missing", func(t *testing.T) {
		_, err := f.svc.APIKey(f.ctx, ada, key.ID)
		wantCode(t, err, apperr.NotFound)
		rows, err := f.svc.APIKeysByID(f.ctx, ada, []int64{key.ID})
		if err != nil || len(rows) != 0 {
			t.Fatalf("%d keys, %v", len(rows), err)
		}
		wantCode(t, f.svc.RevokeAPIKey(f.ctx, ada, key.ID), apperr.NotFound)
	})
	t.Run("rule API-4: a key authenticates as its user, and mints no keys", func(t *testing.T) {
		c, err := f.svc.Authenticate(f.ctx, f.tokens, cache, key.Secret)
		mustOK(t, err)
		if !c.ViaKey || c.User.ID != kimID {
			t.Fatalf("caller %+v", c)
		}
		_, err = f.svc.CreateAPIKey(f.ctx, *c, nil)
		wantCode(t, err, apperr.Forbidden)
		wantCode(t, f.svc.EndSessions(f.ctx, *c), apperr.Forbidden)
	})
	t.Run("a forged key is a bad credential", func(t *testing.T) {
		_, err := f.svc.Authenticate(f.ctx, f.tokens, cache, key.Secret+"x")
		if !errors.Is(err, org.ErrBadCredential) {
			t.Fatalf("error %v", err)
		}
	})
	t.Run("rule API-1: switching access off stops the key at once", func(t *testing.T) {
		setSwitch(t, false)
		_, err := f.svc.Authenticate(f.ctx, f.tokens, cache, key.Secret)
		wantCode(t, err, apperr.Unauthenticated)
		setSwitch(t, true)
	})
	t.Run("a revoked key stops working", func(t *testing.T) {
		mustOK(t, f.svc.RevokeAPIKey(f.ctx, f.actor("kim"), key.ID))
		_, err := f.svc.Authenticate(f.ctx, f.tokens, cache, key.Secret)
		if !errors.Is(err, org.ErrBadCredential) {
			t.Fatalf("error %v", err)
		}
	})
}
