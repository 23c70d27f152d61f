package server_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/model"
)

func shareDoc(caseID string, contacts ...map[string]any) map[string]any {
	list := []any{}
	for _, c := range contacts {
		list = append(list, c)
	}
	return map[string]any{"data": map[string]any{"type": "extranet-shares",
		"attributes":    map[string]any{"showFinancials": false, "showPhases": true, "showOther": true, "contacts": list},
		"relationships": map[string]any{"case": rel("cases", caseID)}}}
}

func shareContact(id string) map[string]any {
	return map[string]any{"contact": id, "canApprove": true, "canComment": true, "canUpload": true, "canChangeStatus": false, "expiresAt": nil}
}

func (e *env) outbox() []model.OutboxEmail {
	e.t.Helper()
	var mails []model.OutboxEmail
	if err := e.db.NewSelect().Model(&mails).OrderExpr("id").Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return mails
}

// invitationsSendPassword makes the firm's invitations carry the temporary password next to
// the link (a new firm's carry the link only).
func (e *env) invitationsSendPassword() {
	e.t.Helper()
	if _, err := e.db.NewUpdate().Model((*model.Settings)(nil)).Set("invite_sends_password = TRUE").Where("id = 1").
		Exec(context.Background()); err != nil {
		e.t.Fatal(err)
	}
}

var tempPassword = regexp.MustCompile(`Temporary password: (\S+)`)
var inviteLink = regexp.MustCompile(`Accept the invitation: (\S+)/invite/(\S+)`)

// TestShareInvitesContacts: rule EXT-4 (saving the share mails each new contact the portal
// address, a single-use invite link and a temporary password) and EXT-9 (the temporary
// password expires after 72 hours and is marked temporary).
func TestShareInvitesContacts(t *testing.T) {
	e := newEnv(t)
	e.invitationsSendPassword()
	carl := e.login("carl")
	acme := e.caseID("Acme strategy review")
	aino := e.resolve("{contact:aino.virtanen@acme.example}")
	r := e.do(call{method: "POST", path: "/api/v1/extranet-shares", token: carl, body: shareDoc(acme, shareContact(aino))})
	if r.Status != http.StatusCreated {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	mails := e.outbox()
	if len(mails) != 1 || mails[0].Recipient != "aino.virtanen@acme.example" || mails[0].Status != "pending" {
		t.Fatalf("outbox %+v", mails)
	}
	pw := tempPassword.FindStringSubmatch(mails[0].BodyText)
	link := inviteLink.FindStringSubmatch(mails[0].BodyText)
	if pw == nil || link == nil || link[1] != "http://portal.test" || !strings.Contains(mails[0].BodyText, "Acme strategy review") {
		t.Fatalf("mail body lacks the portal, link or password:\n%s", mails[0].BodyText)
	}
	var cred model.ContactCredential
	if err := e.db.NewSelect().Model(&cred).Where("contact_id = ?", aino).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := auth.CheckPassword(cred.PasswordHash, pw[1]); err != nil {
		t.Fatalf("the mailed password does not match the stored argon2id hash: %v", err)
	}
	if !cred.PasswordTemporary || cred.PasswordExpiresAt == nil || !cred.PasswordExpiresAt.Equal(e.now.Add(72*time.Hour)) {
		t.Fatalf("credential %+v, want temporary until %v", cred, e.now.Add(72*time.Hour))
	}
	if cred.InviteTokenHash == nil || strings.Contains(*cred.InviteTokenHash, link[2]) {
		t.Fatal("invite token stored in clear or missing")
	}

	id := r.Doc["data"].(map[string]any)["id"].(string)
	t.Run("rule EXT-9: removing the contact deletes their share row", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: "/api/v1/extranet-shares/" + id, token: carl,
			body: patchDoc("extranet-shares", id, map[string]any{"version": 1, "contacts": []any{}}, nil)})
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		n, _ := e.db.NewSelect().Model((*model.ShareContact)(nil)).Where("contact_id = ?", aino).Count(context.Background())
		if n != 0 {
			t.Fatalf("share row still there")
		}
	})
	t.Run("a second share of the same case is a conflict", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/extranet-shares", token: carl, body: shareDoc(acme)})
		if r.Status != http.StatusConflict {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("a contact with a permanent password gets no new temporary one", func(t *testing.T) {
		if _, err := e.db.NewUpdate().Model((*model.ContactCredential)(nil)).Set("password_temporary = FALSE").Where("contact_id = ?", aino).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		hana := e.login("hana")
		migration := e.caseID("Acme platform migration")
		r := e.do(call{method: "POST", path: "/api/v1/extranet-shares", token: hana, body: shareDoc(migration, shareContact(aino))})
		if r.Status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		last := e.outbox()[len(e.outbox())-1]
		if strings.Contains(last.BodyText, "Temporary password") || !strings.Contains(last.BodyText, "Acme platform migration") {
			t.Fatalf("mail to an active contact:\n%s", last.BodyText)
		}
	})
}

// TestShareRules: rule EXT-1. Only owner-like users share; only contacts of the case's
// account with a valid email can be invited; a refused share writes nothing and mails nobody.
func TestShareRules(t *testing.T) {
	e := newEnv(t)
	acme := e.caseID("Acme strategy review")
	globex := e.caseID("Globex pricing study")
	cases := []struct {
		name, user, caseID, contact string
		status                      int
		detail                      string
	}{
		{"a plain member cannot share", "fay", acme, "{contact:aino.virtanen@acme.example}", http.StatusForbidden, ""},
		{"an unrelated user does not see the case", "kim", acme, "{contact:aino.virtanen@acme.example}", http.StatusNotFound, ""},
		{"a contact of another account cannot be invited", "carl", acme, "{contact:sven.berg@globex.example}", http.StatusUnprocessableEntity, "not a contact of the case's account"},
		{"a contact without a valid email cannot be invited", "erik", globex, "nora", http.StatusUnprocessableEntity, "no valid email address"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			contact := tc.contact
			if contact == "nora" {
				var ct model.Contact
				if err := e.db.NewSelect().Model(&ct).Where("first_name = 'Nora'").Scan(context.Background()); err != nil {
					t.Fatal(err)
				}
				contact = itoa(ct.ID)
			} else {
				contact = e.resolve(contact)
			}
			r := e.do(call{method: "POST", path: "/api/v1/extranet-shares", token: e.login(tc.user), body: shareDoc(tc.caseID, shareContact(contact))})
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if tc.detail != "" && !strings.Contains(string(r.Body), tc.detail) {
				t.Fatalf("error does not say why: %s", r.Body)
			}
			if n, _ := e.db.NewSelect().Model((*model.ExtranetShare)(nil)).Count(context.Background()); n != 0 {
				t.Fatalf("a refused share left %d share rows", n)
			}
			if len(e.outbox()) != 0 {
				t.Fatalf("a refused share queued mail")
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
