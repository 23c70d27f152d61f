package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
)

func (e *env) setAPIAccess(admin, user string, on bool) {
	e.t.Helper()
	id := e.userID(user)
	r := e.do(call{method: "PATCH", path: "/api/v1/users/" + id, token: admin,
		body: patchDoc("users", id, map[string]any{"version": e.version("users", id), "apiAccess": on}, nil)})
	if r.Status != http.StatusOK {
		e.t.Fatalf("switch API access: %d %s", r.Status, r.Body)
	}
}

func TestAPIKeys(t *testing.T) {
	e := newEnv(t)
	ada, erik := e.login("ada"), e.login("erik")
	keyDoc := map[string]any{"data": map[string]any{"type": "api-keys", "attributes": map[string]any{"name": "reporting script"}}}

	t.Run("rule API-3: no key while the switch is off", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/api-keys", token: erik, body: keyDoc})
		if r.Status != http.StatusForbidden {
			t.Fatalf("status %d", r.Status)
		}
	})
	// rule API-2: a manager (here Users all) switches it on, but does not get a key by that.
	e.setAPIAccess(ada, "erik", true)
	r := e.do(call{method: "POST", path: "/api/v1/api-keys", token: erik, body: keyDoc})
	if r.Status != http.StatusCreated {
		t.Fatalf("create key: %d %s", r.Status, r.Body)
	}
	key := attrs(r.Doc["data"].(map[string]any))["key"].(string)
	keyID := r.Doc["data"].(map[string]any)["id"].(string)
	var stored model.APIKey
	if err := e.db.NewSelect().Model(&stored).Where("id = ?", keyID).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored.SecretHash, key) || len(stored.SecretHash) != 64 {
		t.Fatal("the key is not stored as a hash")
	}
	t.Run("the secret is shown once", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/api-keys", token: erik})
		if r.Status != http.StatusOK || len(r.dataList()) != 1 || attrs(r.dataList()[0])["key"] != nil {
			t.Fatalf("list: %d %s", r.Status, r.Body)
		}
	})
	t.Run("rule API-4: a key has exactly its user's rights", func(t *testing.T) {
		viaToken := caseNames(e.do(call{method: "GET", path: "/api/v1/cases", token: erik}))
		viaKey := e.do(call{method: "GET", path: "/api/v1/cases", token: key})
		if viaKey.Status != http.StatusOK || !slices.Equal(caseNames(viaKey), viaToken) {
			t.Fatalf("key sees %v, user sees %v", caseNames(viaKey), viaToken)
		}
		if r := e.do(call{method: "GET", path: "/api/v1/profiles", token: key}); r.Status != http.StatusForbidden {
			t.Fatalf("the key reached what its user may not: %d", r.Status)
		}
	})
	t.Run("rule API-3: a key cannot mint keys, and nobody else revokes it", func(t *testing.T) {
		if r := e.do(call{method: "POST", path: "/api/v1/api-keys", token: key, body: keyDoc}); r.Status != http.StatusForbidden {
			t.Fatalf("key made a key: %d", r.Status)
		}
		if r := e.do(call{method: "DELETE", path: "/api/v1/api-keys/" + keyID, token: e.login("carl")}); r.Status != http.StatusNotFound {
			t.Fatalf("carl revoked erik's key: %d", r.Status)
		}
	})
	t.Run("rule API-1: switching access off stops the key at once", func(t *testing.T) {
		e.setAPIAccess(ada, "erik", false)
		if r := e.do(call{method: "GET", path: "/api/v1/cases", token: key}); r.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", r.Status)
		}
		e.setAPIAccess(ada, "erik", true)
		if r := e.do(call{method: "GET", path: "/api/v1/cases", token: key}); r.Status != http.StatusOK {
			t.Fatalf("status %d after switching back on", r.Status)
		}
	})
	t.Run("a revoked key stops working", func(t *testing.T) {
		if r := e.do(call{method: "DELETE", path: "/api/v1/api-keys/" + keyID, token: erik}); r.Status != http.StatusNoContent {
			t.Fatalf("revoke: %d", r.Status)
		}
		if r := e.do(call{method: "GET", path: "/api/v1/cases", token: key}); r.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("a forged key is refused", func(t *testing.T) {
		if r := e.do(call{method: "GET", path: "/api/v1/cases", token: key[:len(key)-3] + "abc"}); r.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", r.Status)
		}
	})
}
