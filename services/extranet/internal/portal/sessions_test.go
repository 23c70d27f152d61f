package portal_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
	"github.com/caseroom/caseroom/services/extranet/internal/portal"
)

// rule EXT-5: a contact logs in to the portal with email and password.
func TestLogin(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)

	t.Run("right password gives a token of the extranet's audience only", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody("  AINO.Virtanen@acme.example ", password)}).
			must(t, http.StatusCreated)
		a := attrs(r.data())
		tok := a["token"].(string)
		if id, _, err := e.tokens.Verify(tok); err != nil || id != e.contactID(aino) {
			t.Fatalf("token does not verify for aino: id %d, %v", id, err)
		}
		api, _ := auth.NewIssuer(secret, auth.AudienceAPI, time.Hour, e.clock.Now)
		if _, _, err := api.Verify(tok); err == nil {
			t.Fatal("the internal API's issuer accepts a portal token (same secret, other audience)")
		}
		if a["passwordTemporary"] != false || a["name"] != "Aino Virtanen" {
			t.Fatalf("attributes %v", a)
		}
	})
	t.Run("wrong password and unknown email answer alike", func(t *testing.T) {
		a := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, "wrong-password")})
		b := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody("nobody@acme.example", "wrong-password")})
		if a.Status != http.StatusUnauthorized || b.Status != http.StatusUnauthorized {
			t.Fatalf("statuses %d, %d; want 401, 401", a.Status, b.Status)
		}
		if string(a.Body) != string(b.Body) || a.errorCode() != "invalid_credentials" {
			t.Fatalf("answers differ: %s vs %s", a.Body, b.Body)
		}
	})
	t.Run("a contact without a login, or a disabled one, answers like a wrong password", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(mikko, password)})
		if r.Status != http.StatusUnauthorized || r.errorCode() != "invalid_credentials" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("missing password is a 400 pointing at it", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", lax: true,
			body: map[string]any{"data": map[string]any{"type": "sessions", "attributes": map[string]any{"email": aino}}}})
		r.must(t, http.StatusBadRequest)
		src := r.Doc["errors"].([]any)[0].(map[string]any)["source"].(map[string]any)
		if src["pointer"] != "/data/attributes/password" {
			t.Fatalf("pointer %v", src["pointer"])
		}
	})
	t.Run("unknown attribute is a 400", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", lax: true, body: map[string]any{"data": map[string]any{
			"type": "sessions", "attributes": map[string]any{"email": aino, "password": password, "admin": true}}}})
		if r.Status != http.StatusBadRequest || r.errorCode() != "unknown_attribute" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("a contact with no live share cannot log in", func(t *testing.T) {
		e.credential(sven, password, false)
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(sven, password)})
		if r.Status != http.StatusUnauthorized || r.errorCode() != "nothing_shared" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
}

// rule EXT-9: the temporary password must be changed at first login; every other route is
// 403 until then, and it expires.
func TestTemporaryPassword(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, "Temp0rary-pw", true)
	r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, "Temp0rary-pw")}).must(t, http.StatusCreated)
	if attrs(r.data())["passwordTemporary"] != true {
		t.Fatalf("passwordTemporary should be true: %s", r.Body)
	}
	temp := attrs(r.data())["token"].(string)
	caseID := id(e.caseID(strategy))

	for _, path := range []string{"/portal/v1/cases", "/portal/v1/cases/" + caseID, "/portal/v1/cases/" + caseID + "/work-hours"} {
		t.Run("GET "+path+" is 403 before the change", func(t *testing.T) {
			r := e.do(call{method: "GET", path: path, token: temp})
			if r.Status != http.StatusForbidden || r.errorCode() != "password_change_required" {
				t.Fatalf("status %d code %s", r.Status, r.errorCode())
			}
		})
	}
	t.Run("a short new password is a 400", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/password", token: temp, body: passwordBody("Temp0rary-pw", "short"), lax: true})
		r.must(t, http.StatusBadRequest)
	})
	t.Run("a wrong current password is a 400", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/password", token: temp, body: passwordBody("not-it-at-all", password)})
		if r.Status != http.StatusBadRequest || r.errorCode() != "wrong_password" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	var fresh string
	t.Run("changing it returns a working token and kills the old one", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/password", token: temp, body: passwordBody("Temp0rary-pw", password)}).
			must(t, http.StatusOK)
		if attrs(r.data())["passwordTemporary"] != false {
			t.Fatalf("still temporary: %s", r.Body)
		}
		fresh = attrs(r.data())["token"].(string)
		e.do(call{method: "GET", path: "/portal/v1/cases", token: fresh}).must(t, http.StatusOK)
		old := e.do(call{method: "GET", path: "/portal/v1/cases", token: temp})
		if old.Status != http.StatusUnauthorized || old.errorCode() != "session_ended" {
			t.Fatalf("old token: status %d code %s", old.Status, old.errorCode())
		}
		var cr model.ContactCredential
		if err := e.db.NewSelect().Model(&cr).Where("contact_id = ?", e.contactID(aino)).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if cr.PasswordTemporary || cr.PasswordExpiresAt != nil || auth.CheckPassword(cr.PasswordHash, password) != nil {
			t.Fatalf("credential not updated: %+v", cr)
		}
	})
	t.Run("the temporary password no longer logs in", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, "Temp0rary-pw")})
		r.must(t, http.StatusUnauthorized)
	})
}

// rule EXT-9: the temporary password expires (72 hours by default).
func TestTemporaryPasswordExpires(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, "Temp0rary-pw", true)
	e.clock.Add(72*time.Hour - 10*time.Minute)
	temp := e.login(aino, "Temp0rary-pw") // ten minutes before the password expires
	e.clock.Add(11 * time.Minute)         // the password has expired; the token has not
	t.Run("login answers temporary_password_expired", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, "Temp0rary-pw")})
		if r.Status != http.StatusUnauthorized || r.errorCode() != "temporary_password_expired" {
			t.Fatalf("status %d code %s: %s", r.Status, r.errorCode(), r.Body)
		}
	})
	t.Run("a wrong password still answers the generic 401", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, "Temp0rary-px")})
		if r.Status != http.StatusUnauthorized || r.errorCode() != "invalid_credentials" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("a session started before the expiry ends with it", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/portal/v1/password", token: temp, body: passwordBody("Temp0rary-pw", password)})
		if r.Status != http.StatusUnauthorized || r.errorCode() != "temporary_password_expired" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
}

// rule EXT-5: failed logins are limited per account and per client address.
func TestLoginRateLimits(t *testing.T) {
	e := newEnv(t)
	sh := e.share(strategy, allSections)
	e.invite(sh, aino, allRights, nil)
	e.invite(sh, mikko, allRights, nil)
	e.credential(aino, password, false)
	e.credential(mikko, password, false)
	t.Run("per account", func(t *testing.T) {
		for i := range extranet.LoginPerAccount.Max {
			e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, "wrong-password")}).must(t, http.StatusUnauthorized)
			_ = i
		}
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, password)})
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("after %d failures the right password got %d, want 429", extranet.LoginPerAccount.Max, r.Status)
		}
		e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(mikko, password)}).must(t, http.StatusCreated)
	})
	t.Run("per address", func(t *testing.T) {
		// Fill the address bucket up to one below its limit (fiber's test requests come
		// from 0.0.0.0), then fail once for real with an unknown email.
		for range extranet.LoginPerIP.Max - extranet.LoginPerAccount.Max - 1 {
			row := &model.LoginAttempt{Bucket: extranet.LoginPerIP.Prefix + "0.0.0.0", AttemptedAt: e.clock.Now(), Failed: true}
			if _, err := e.db.NewInsert().Model(row).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody("nobody@acme.example", "x")}).must(t, http.StatusUnauthorized)
		r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(mikko, password)})
		if r.Status != http.StatusTooManyRequests {
			t.Fatalf("status %d, want 429 for every account from this address", r.Status)
		}
	})
	t.Run("the limit lifts after its window", func(t *testing.T) {
		e.clock.Add(extranet.LoginPerIP.Window + time.Second)
		e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, password)}).must(t, http.StatusCreated)
	})
}

// rule EXT-5: an unknown email costs the same argon2id work as a wrong password, so the
// answer's timing does not tell whether the email exists.
func TestLoginTiming(t *testing.T) {
	if testing.Short() {
		t.Skip("measures argon2id at full cost")
	}
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	hash, err := auth.HashPassword(password) // the production cost, as CheckNobody uses
	if err != nil {
		t.Fatal(err)
	}
	cr := &model.ContactCredential{ContactID: e.contactID(aino), PasswordHash: hash, TokenVersion: 1, UpdatedAt: e.clock.Now()}
	if _, err := e.db.NewInsert().Model(cr).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	measure := func(email string) time.Duration {
		start := time.Now()
		e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(email, "wrong-password")}).must(t, http.StatusUnauthorized)
		return time.Since(start)
	}
	var known, unknown []time.Duration
	for range extranet.LoginPerAccount.Max { // every attempt counts; the limit allows this many
		known = append(known, measure(aino))
		unknown = append(unknown, measure("nobody@acme.example"))
	}
	slices.Sort(known)
	slices.Sort(unknown)
	k, u := known[len(known)/2], unknown[len(unknown)/2]
	t.Logf("median wrong password %v, unknown email %v", k, u)
	if u < k/2 || u > k*2 {
		t.Fatalf("timings differ too much: wrong password %v, unknown email %v", k, u)
	}
}

// rule EXT-8: a token of the internal API, or an invitation session, never opens the portal.
func TestForeignTokensAreRefused(t *testing.T) {
	e := newEnv(t)
	e.sharedWith(t)
	contact := e.contactID(aino)
	api, _ := auth.NewIssuer(secret, auth.AudienceAPI, time.Hour, e.clock.Now)
	invite, _ := auth.NewIssuer(secret, portal.AudienceInvite, time.Hour, e.clock.Now)
	for name, iss := range map[string]*auth.Issuer{"internal API": api, "invitation": invite} {
		tok, _, err := iss.Mint(contact, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/portal/v1/cases", "/portal/v1/cases/" + id(e.caseID(strategy))} {
			t.Run(name+" "+path, func(t *testing.T) {
				r := e.do(call{method: "GET", path: path, token: tok})
				if r.Status != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
					t.Fatalf("status %d, WWW-Authenticate %q", r.Status, r.Header.Get("WWW-Authenticate"))
				}
			})
		}
	}
	t.Run("no token", func(t *testing.T) {
		e.do(call{method: "GET", path: "/portal/v1/cases"}).must(t, http.StatusUnauthorized)
	})
	t.Run("garbage token", func(t *testing.T) {
		e.do(call{method: "GET", path: "/portal/v1/cases", token: "abc.def.ghi"}).must(t, http.StatusUnauthorized)
	})
}
