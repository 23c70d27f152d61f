package soak

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/model"
)

const (
	demoPassword = "caseroom-demo"
	ainoEmail    = "aino.virtanen@acme.example"
	caseName     = "Acme strategy review"
)

// fixture is what every part of the soak shares: employees' sessions, the demo case, and
// the contact it is shared with, logged in to the portal with a password of her own.
type fixture struct {
	carl, ada, fay string // API tokens: the case owner, the administrator, a member
	caseID         string
	accountID      string
	aino           string // the contact's id
	ainoPassword   string
	ainoToken      string // portal token
	fileID         string // a file on the case, uploaded through the portal
}

// setUp shares the demo case with Aino through the balancer, as its owner does in the
// app, and takes her through the invitation: the mail, the temporary password, her own.
func (st *stack) setUp(t *testing.T) *fixture {
	t.Helper()
	api := st.lb.apiURL + "/api/v1"
	fx := &fixture{carl: st.login(t, st.lb.apiURL, "carl@northwind.example"), ada: st.login(t, st.lb.apiURL, "ada@northwind.example"),
		fay: st.login(t, st.lb.apiURL, "fay@northwind.example"), ainoPassword: "soak-" + randomHex(8)}
	c := findBy(t, call(t, "GET", api+"/cases?page[size]=100", fx.carl, nil).must(t, 200).list(), "name", caseName)
	fx.caseID = c["id"].(string)
	contacts := call(t, "GET", api+"/contacts?filter[email]="+ainoEmail, fx.carl, nil).must(t, 200).list()
	if len(contacts) != 1 {
		t.Fatalf("%d contacts with %s", len(contacts), ainoEmail)
	}
	fx.aino = contacts[0]["id"].(string)
	fx.accountID = relID(contacts[0], "account")
	// The firm's invitations carry the temporary password (a new firm's carry the link only).
	if _, err := st.db.NewUpdate().Model((*model.Settings)(nil)).Set("invite_sends_password = TRUE").Where("id = 1").
		Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	call(t, "POST", api+"/extranet-shares", fx.carl, shareBody(fx.caseID, fx.aino)).must(t, http.StatusCreated)
	mail := st.mail.waitFor(t, ainoEmail, 30*time.Second)
	temporary := lineValue(mail.Text, "Temporary password:")
	if len(temporary) < 12 {
		t.Fatalf("no temporary password in the invitation:\n%s", mail.Text)
	}
	first := st.portalLogin(t, st.lb.portalURL, ainoEmail, temporary)
	fx.ainoToken = call(t, "POST", st.lb.portalURL+"/portal/v1/password", first, resource("passwords", "",
		map[string]any{"currentPassword": temporary, "newPassword": fx.ainoPassword}, nil)).must(t, 200).one()["attributes"].(map[string]any)["token"].(string)
	return fx
}

// login returns an API session token, through base (a balancer or one replica).
func (st *stack) login(t *testing.T, base, email string) string {
	t.Helper()
	r := call(t, "POST", base+"/api/v1/sessions", "", resource("sessions", "",
		map[string]any{"email": email, "password": demoPassword}, nil)).must(t, http.StatusCreated)
	return r.one()["attributes"].(map[string]any)["token"].(string)
}

// portalLogin returns a portal session token, through base.
func (st *stack) portalLogin(t *testing.T, base, email, password string) string {
	t.Helper()
	r := call(t, "POST", base+"/portal/v1/sessions", "", resource("sessions", "",
		map[string]any{"email": email, "password": password}, nil)).must(t, http.StatusCreated)
	return r.one()["attributes"].(map[string]any)["token"].(string)
}

// shareBody shares a case with one contact: every section; approve, comment, upload.
func shareBody(caseID, contactID string) map[string]any {
	return resource("extranet-shares", "", map[string]any{"showFinancials": true, "showPhases": true, "showOther": true,
		"contacts": []any{map[string]any{"contact": contactID, "canApprove": true, "canComment": true, "canUpload": true,
			"canChangeStatus": false, "expiresAt": nil}}},
		map[string]any{"case": rel("cases", caseID)})
}

// relID is the id of a to-one relationship ("" for none).
func relID(res map[string]any, name string) string {
	rels, _ := res["relationships"].(map[string]any)
	r, _ := rels[name].(map[string]any)
	data, _ := r["data"].(map[string]any)
	id, _ := data["id"].(string)
	return id
}

// isSoakRecipient tells the invitation test's recipients from the demo's contacts.
func isSoakRecipient(rcpt string) bool { return strings.HasPrefix(strings.ToLower(rcpt), "soak-") }
