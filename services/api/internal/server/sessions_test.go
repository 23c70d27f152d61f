package server_test

import (
	"net/http"
	"testing"

	"github.com/caseroom/caseroom/pkg/demo"
)

func TestLogin(t *testing.T) {
	e := newEnv(t)
	t.Run("right password gives a token for the API audience", func(t *testing.T) {
		tok := e.login("ada")
		if id, _, err := e.tokens.Verify(tok); err != nil || id == 0 {
			t.Fatalf("token does not verify: %v", err)
		}
	})
	t.Run("wrong password and unknown email answer alike", func(t *testing.T) {
		a := e.do(call{method: "POST", path: "/api/v1/sessions", body: sessionBody("bea@northwind.example", "nope")})
		b := e.do(call{method: "POST", path: "/api/v1/sessions", body: sessionBody("nobody@northwind.example", "nope")})
		if a.Status != http.StatusUnauthorized || b.Status != http.StatusUnauthorized {
			t.Fatalf("statuses %d, %d; want 401, 401", a.Status, b.Status)
		}
		if a.errorCode() != b.errorCode() || string(a.Doc["errors"].([]any)[0].(map[string]any)["detail"].(string)) !=
			b.Doc["errors"].([]any)[0].(map[string]any)["detail"].(string) {
			t.Fatalf("answers differ: %s vs %s", a.Body, b.Body)
		}
	})
	t.Run("missing password is a 400 pointing at it", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/sessions", lax: true,
			body: map[string]any{"data": map[string]any{"type": "sessions", "attributes": map[string]any{"email": "ada@northwind.example"}}}})
		if r.Status != http.StatusBadRequest {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		src := r.Doc["errors"].([]any)[0].(map[string]any)["source"].(map[string]any)
		if src["pointer"] != "/data/attributes/password" {
			t.Fatalf("pointer %v", src["pointer"])
		}
	})
	t.Run("unknown attribute is a 400", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/sessions", lax: true,
			body: map[string]any{"data": map[string]any{"type": "sessions", "attributes": map[string]any{
				"email": "ada@northwind.example", "password": demo.Password, "admin": true}}}})
		if r.Status != http.StatusBadRequest || r.errorCode() != "unknown_attribute" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("wrong type is a 409", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/sessions", lax: true,
			body: map[string]any{"data": map[string]any{"type": "users", "attributes": map[string]any{}}}})
		if r.Status != http.StatusConflict {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("malformed JSON is a 400", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/sessions", body: `{"data":`, lax: true})
		if r.Status != http.StatusBadRequest {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("media type parameter is a 415", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/sessions", body: sessionBody("ada@northwind.example", demo.Password),
			header: map[string]string{"Content-Type": mediaType + "; charset=utf-8"}, lax: true})
		if r.Status != http.StatusUnsupportedMediaType {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("unacceptable Accept is a 406", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/sessions", body: sessionBody("ada@northwind.example", demo.Password),
			header: map[string]string{"Accept": mediaType + "; version=2"}, lax: true})
		if r.Status != http.StatusNotAcceptable {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}

func TestLoginIsRateLimitedPerAccount(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		r := e.do(call{method: "POST", path: "/api/v1/sessions", body: sessionBody("gus@northwind.example", "wrong")})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d", i+1, r.Status)
		}
	}
	r := e.do(call{method: "POST", path: "/api/v1/sessions", body: sessionBody("gus@northwind.example", demo.Password)})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("sixth attempt: status %d, want 429", r.Status)
	}
	other := e.do(call{method: "POST", path: "/api/v1/sessions", body: sessionBody("fay@northwind.example", demo.Password)})
	if other.Status != http.StatusCreated {
		t.Fatalf("another account is blocked too: %d", other.Status)
	}
}

func TestBearer(t *testing.T) {
	e := newEnv(t)
	t.Run("no token is 401", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases"})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("garbage token is 401", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/cases", token: "abc.def.ghi"})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("raising token_version ends the session", func(t *testing.T) {
		tok := e.login("carl")
		if _, err := e.db.NewRaw("UPDATE users SET token_version = token_version + 1 WHERE email = 'carl@northwind.example'").Exec(t.Context()); err != nil {
			t.Fatal(err)
		}
		r := e.do(call{method: "GET", path: "/api/v1/cases", token: tok})
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", r.Status)
		}
	})
}

func TestLogoutEndsEverySession(t *testing.T) {
	e := newEnv(t)
	a, b := e.login("fay"), e.login("fay")
	if r := e.do(call{method: "DELETE", path: "/api/v1/sessions", token: a}); r.Status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	for _, tok := range []string{a, b} {
		if r := e.do(call{method: "GET", path: "/api/v1/cases", token: tok}); r.Status != http.StatusUnauthorized {
			t.Fatalf("a token still works after logout: %d", r.Status)
		}
	}
}
