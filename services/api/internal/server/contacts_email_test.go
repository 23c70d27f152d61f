package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/model"
)

// portalLogins returns the contacts the portal's login would consider for email: active, with
// a login that is not disabled, matched in any letter case. The portal logs in only when there
// is exactly one (EXT-5).
func (e *env) portalLogins(t *testing.T, email string) []model.ContactCredential {
	t.Helper()
	var found []model.ContactCredential
	if err := e.db.NewSelect().Model(&found).ModelTableExpr("contact_credentials AS cc").ColumnExpr("cc.*").
		Join("JOIN contacts AS c ON c.id = cc.contact_id").Where("lower(c.email) = ?", strings.ToLower(email)).
		Where("c.active").Where("NOT cc.disabled").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return found
}

// mustConflictOnEmail checks a 409 that points at the email attribute.
func mustConflictOnEmail(t *testing.T, r response, pointer string) {
	t.Helper()
	if r.Status != http.StatusConflict {
		t.Fatalf("status %d, want 409: %s", r.Status, r.Body)
	}
	errs, _ := r.Doc["errors"].([]any)
	source, _ := errs[0].(map[string]any)["source"].(map[string]any)
	if source["pointer"] != pointer {
		t.Fatalf("error source %v, want %s", source, pointer)
	}
}

func (e *env) storedContact(t *testing.T, id string) model.Contact {
	t.Helper()
	var ct model.Contact
	if err := e.db.NewSelect().Model(&ct).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ct
}

// TestContactEmailCannotLockOutPortalUser: rule EXT-5. The portal finds a contact by email
// alone, so no write may give a second contact with a portal login, or one that could get a
// login, the address of a portal user, in any letter case. Contact create, contact update and
// sharing refuse the clash with 409 at the email, store nothing, and the portal user still logs
// in with their password.
func TestContactEmailCannotLockOutPortalUser(t *testing.T) {
	e := newEnv(t)
	e.invitationsSendPassword() // the test holds aino's password from her invitation
	carl := e.login("carl")
	const ainoEmail = "aino.virtanen@acme.example"
	aino, mikko := e.resolve("{contact:"+ainoEmail+"}"), e.resolve("{contact:mikko.laine@acme.example}")
	sven := e.resolve("{contact:sven.berg@globex.example}")
	r := e.do(call{method: "POST", path: "/api/v1/extranet-shares", token: carl,
		body: shareDoc(e.caseID("Acme strategy review"), shareContact(aino), shareContact(mikko))})
	if r.Status != http.StatusCreated {
		t.Fatalf("share: %d %s", r.Status, r.Body)
	}
	shareID := r.Doc["data"].(map[string]any)["id"].(string)
	var password string
	for _, m := range e.outbox() {
		if pw := tempPassword.FindStringSubmatch(m.BodyText); m.Recipient == ainoEmail && pw != nil {
			password = pw[1]
		}
	}
	if password == "" {
		t.Fatal("no temporary password mailed to aino")
	}
	mustLogIn := func(t *testing.T) {
		t.Helper()
		found := e.portalLogins(t, ainoEmail)
		if len(found) != 1 || itoa(found[0].ContactID) != aino {
			t.Fatalf("the portal finds %d logins for aino's address, want hers alone", len(found))
		}
		if err := auth.CheckPassword(found[0].PasswordHash, password); err != nil {
			t.Fatalf("aino's password no longer matches: %v", err)
		}
	}
	mustLogIn(t)

	for _, tc := range []struct{ name, contact, email string }{
		{"another portal user cannot take the address in other letters", mikko, "Aino.Virtanen@ACME.example"},
		{"a contact without a login cannot take it either", sven, "AINO.VIRTANEN@acme.example"},
	} {
		t.Run("PATCH: "+tc.name, func(t *testing.T) {
			was := e.storedContact(t, tc.contact)
			r := e.do(call{method: "PATCH", path: "/api/v1/contacts/" + tc.contact, token: carl,
				body: patchDoc("contacts", tc.contact, map[string]any{"version": was.Version, "email": tc.email}, nil)})
			mustConflictOnEmail(t, r, "/data/attributes/email")
			if now := e.storedContact(t, tc.contact); now.Email != was.Email || now.Version != was.Version {
				t.Fatalf("the refused email was stored: %q v%d, was %q v%d", now.Email, now.Version, was.Email, was.Version)
			}
			mustLogIn(t)
		})
	}
	t.Run("POST: a new contact cannot take the address", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/contacts", token: carl, body: map[string]any{"data": map[string]any{"type": "contacts",
			"attributes":    map[string]any{"firstName": "Aino", "lastName": "Twin", "email": " Aino.Virtanen@Acme.Example "},
			"relationships": map[string]any{"account": rel("accounts", e.resolve("{account:Globex AB}"))}}}})
		mustConflictOnEmail(t, r, "/data/attributes/email")
		if n, _ := e.db.NewSelect().Model((*model.Contact)(nil)).Where("lower(email) = ?", ainoEmail).Count(context.Background()); n != 1 {
			t.Fatalf("%d contacts answer to aino's address", n)
		}
		mustLogIn(t)
	})
	t.Run("PATCH: the portal user keeps her own address in other letters", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: "/api/v1/contacts/" + aino, token: carl,
			body: patchDoc("contacts", aino, map[string]any{"version": e.version("contacts", aino), "email": "Aino.Virtanen@Acme.example"}, nil)})
		if r.Status != http.StatusOK || e.storedContact(t, aino).Email != ainoEmail {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		mustLogIn(t)
	})
	t.Run("an address nobody logs in with may be shared by contacts", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/contacts", token: carl, body: map[string]any{"data": map[string]any{"type": "contacts",
			"attributes":    map[string]any{"firstName": "Sven", "lastName": "Desk", "email": "Sven.Berg@globex.example"},
			"relationships": map[string]any{"account": rel("accounts", e.resolve("{account:Globex AB}"))}}}})
		if r.Status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("sharing: two contacts of one address cannot both get a login", func(t *testing.T) {
		mk := func(email string) string {
			r := e.do(call{method: "POST", path: "/api/v1/contacts", token: carl, body: map[string]any{"data": map[string]any{"type": "contacts",
				"attributes":    map[string]any{"firstName": "Front", "lastName": "Desk", "email": email},
				"relationships": map[string]any{"account": rel("accounts", e.resolve("{account:Acme Oy}"))}}}})
			if r.Status != http.StatusCreated {
				t.Fatalf("contact %s: %d %s", email, r.Status, r.Body)
			}
			return r.Doc["data"].(map[string]any)["id"].(string)
		}
		first, second := mk("desk@acme.example"), mk("Desk@Acme.example")
		share := func(contacts ...string) response {
			list := []any{}
			for _, c := range contacts {
				list = append(list, shareContact(c))
			}
			return e.do(call{method: "PATCH", path: "/api/v1/extranet-shares/" + shareID, token: carl,
				body: patchDoc("extranet-shares", shareID, map[string]any{"version": e.version("extranet_shares", shareID), "contacts": list}, nil)})
		}
		if r := share(aino, mikko, first); r.Status != http.StatusOK {
			t.Fatalf("share the first: %d %s", r.Status, r.Body)
		}
		mustConflictOnEmail(t, share(aino, mikko, first, second), "/data/attributes/contacts/3/contact")
		if found := e.portalLogins(t, "desk@acme.example"); len(found) != 1 {
			t.Fatalf("%d logins answer to the desk address", len(found))
		}
		mustLogIn(t)
	})
}
