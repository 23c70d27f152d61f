package portal_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/model"
)

// rule EXT-9: un-sharing or removing a contact ends their access on the next request; the
// session is short-lived and dies with a password change or a disabled login.
func TestSessionsAreRevocable(t *testing.T) {
	setup := func(t *testing.T) (*env, string) {
		e := newEnv(t)
		e.invite(e.share(strategy, allSections), aino, allRights, nil)
		e.invite(e.share(migration, allSections), aino, allRights, nil)
		e.credential(aino, password, false)
		return e, e.login(aino, password)
	}
	exec := func(t *testing.T, e *env, q string, args ...any) {
		t.Helper()
		if _, err := e.db.NewRaw(q, args...).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	get := func(e *env, token, caseName string) response {
		return e.do(call{method: "GET", path: "/portal/v1/cases/" + id(e.caseID(caseName)), token: token})
	}

	t.Run("a removed share is 404 at once; removing the last ends the session", func(t *testing.T) {
		e, token := setup(t)
		get(e, token, strategy).must(t, http.StatusOK)
		exec(t, e, "DELETE FROM share_contacts WHERE contact_id = ? AND share_id = (SELECT id FROM extranet_shares WHERE case_id = ?)",
			e.contactID(aino), e.caseID(strategy))
		get(e, token, strategy).must(t, http.StatusNotFound)
		get(e, token, migration).must(t, http.StatusOK)
		exec(t, e, "DELETE FROM extranet_shares WHERE case_id = ?", e.caseID(migration))
		r := get(e, token, migration)
		if r.Status != http.StatusUnauthorized || r.errorCode() != "nothing_shared" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("an expired invitation is 404 from its expiry on", func(t *testing.T) {
		e, token := setup(t)
		exec(t, e, "UPDATE share_contacts SET expires_at = ? WHERE contact_id = ? AND share_id = (SELECT id FROM extranet_shares WHERE case_id = ?)",
			e.clock.Now().Add(10*time.Minute), e.contactID(aino), e.caseID(strategy))
		get(e, token, strategy).must(t, http.StatusOK)
		e.clock.Add(10 * time.Minute)
		get(e, token, strategy).must(t, http.StatusNotFound)
		get(e, token, migration).must(t, http.StatusOK)
	})
	t.Run("a disabled login", func(t *testing.T) {
		e, token := setup(t)
		exec(t, e, "UPDATE contact_credentials SET disabled = ? WHERE contact_id = ?", true, e.contactID(aino))
		if r := get(e, token, strategy); r.Status != http.StatusUnauthorized || r.errorCode() != "session_ended" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
		e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(aino, password)}).must(t, http.StatusUnauthorized)
	})
	t.Run("a deactivated contact", func(t *testing.T) {
		e, token := setup(t)
		exec(t, e, "UPDATE contacts SET active = ? WHERE id = ?", false, e.contactID(aino))
		get(e, token, strategy).must(t, http.StatusUnauthorized)
	})
	t.Run("a deleted contact", func(t *testing.T) {
		e, token := setup(t)
		exec(t, e, "DELETE FROM share_contacts WHERE contact_id = ?", e.contactID(aino))
		exec(t, e, "DELETE FROM contact_credentials WHERE contact_id = ?", e.contactID(aino))
		get(e, token, strategy).must(t, http.StatusUnauthorized)
	})
	t.Run("a password change on another device", func(t *testing.T) {
		e, token := setup(t)
		other := e.login(aino, password)
		e.do(call{method: "POST", path: "/portal/v1/password", token: other, body: passwordBody(password, "another-long-password")}).
			must(t, http.StatusOK)
		if r := get(e, token, strategy); r.Status != http.StatusUnauthorized || r.errorCode() != "session_ended" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("a token version raised by the firm (a new invitation)", func(t *testing.T) {
		e, token := setup(t)
		_, err := e.db.NewUpdate().Model((*model.ContactCredential)(nil)).Set("token_version = token_version + 1").
			Where("contact_id = ?", e.contactID(aino)).Exec(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		get(e, token, strategy).must(t, http.StatusUnauthorized)
	})
	t.Run("logging out ends every session of the contact", func(t *testing.T) {
		e, token := setup(t)
		other := e.login(aino, password)
		e.do(call{method: "DELETE", path: "/portal/v1/sessions", token: other}).must(t, http.StatusNoContent)
		get(e, token, strategy).must(t, http.StatusUnauthorized)
		get(e, other, strategy).must(t, http.StatusUnauthorized)
	})
	t.Run("the token lives 30 minutes", func(t *testing.T) {
		e, token := setup(t)
		e.clock.Add(29 * time.Minute)
		get(e, token, strategy).must(t, http.StatusOK)
		e.clock.Add(2 * time.Minute)
		get(e, token, strategy).must(t, http.StatusUnauthorized)
	})
}
