package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/services/api/internal/server"
)

// rightsChanged moves the rights epoch after a test wrote what subjects are built from
// straight into the database, as every product writer does in its own transaction (PRF-6).
func (e *env) rightsChanged() {
	e.t.Helper()
	if err := access.Bump(context.Background(), e.db); err != nil {
		e.t.Fatal(err)
	}
}

// replica returns a second API app on e's database, with its own subject cache: another
// replica of the same deployment.
func (e *env) replica() *env {
	e.t.Helper()
	files, err := storage.NewDisk(e.t.TempDir())
	if err != nil {
		e.t.Fatal(err)
	}
	now := e.now
	app := server.New(server.Deps{DB: e.db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Tokens: e.tokens,
		Now: func() time.Time { return now }, PortalURL: "http://portal.test", Files: files, MaxUpload: 64 << 10})
	other := *e
	other.app = app
	return &other
}

// expect sends c and fails unless the answer has status want.
func (e *env) expect(c call, want int) response {
	e.t.Helper()
	r := e.do(c)
	if r.Status != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", c.method, c.path, r.Status, want, r.Body)
	}
	return r
}

// warm makes the same request twice, so that the caller's subject is cached when a test
// then changes their rights.
func (e *env) warm(token, path string, want int) {
	e.t.Helper()
	for range 2 {
		e.expect(call{method: "GET", path: path, token: token}, want)
	}
}

func membersDoc(userIDs ...string) map[string]any {
	data := make([]any, len(userIDs))
	for i, id := range userIDs {
		data[i] = map[string]any{"type": "users", "id": id}
	}
	return map[string]any{"data": data}
}

func (e *env) epoch() int64 {
	e.t.Helper()
	n, err := access.Epoch(context.Background(), e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestRightsChangeWithWarmSubjectCache: rule PRF-6 with the subject cache warm. Each
// caller has just made requests, so that their subject is cached, when a rights change
// goes through the API; their very next request is decided on the new rights.
func TestRightsChangeWithWarmSubjectCache(t *testing.T) {
	e := newEnv(t)
	ada, dina, jon, fay := e.login("ada"), e.login("dina"), e.login("jon"), e.login("fay")
	acme := "/api/v1/cases/" + e.resolve("{case:Acme strategy review}")
	initech := "/api/v1/cases/" + e.resolve("{case:Initech integration}")

	t.Run("rule PRF-6: a member removed from a case no longer sees it", func(t *testing.T) {
		e.t = t
		e.warm(jon, initech, http.StatusOK)
		e.expect(call{method: "DELETE", path: initech + "/relationships/members", token: dina, body: membersDoc(e.userID("jon"))}, http.StatusOK)
		e.expect(call{method: "GET", path: initech, token: jon}, http.StatusNotFound)
	})
	t.Run("rule PRF-6: a user switched to another profile", func(t *testing.T) {
		e.t = t
		e.warm(fay, initech, http.StatusNotFound)
		id := e.userID("fay")
		e.expect(call{method: "PATCH", path: "/api/v1/users/" + id, token: ada, body: patchDoc("users", id,
			map[string]any{"version": e.version("users", id)}, map[string]any{"profile": rel("profiles", e.profileID("business_controller"))})}, http.StatusOK)
		e.expect(call{method: "GET", path: initech, token: fay}, http.StatusOK)
	})
	t.Run("rule PRF-6: a profile's rights edited apply to every holder", func(t *testing.T) {
		e.t = t
		e.warm(jon, acme, http.StatusNotFound)
		id := e.profileID("employee")
		e.expect(call{method: "PATCH", path: "/api/v1/profiles/" + id, token: ada, body: patchDoc("profiles", id,
			map[string]any{"version": e.version("profiles", id), "rights": map[string]string{"cases": "all"}}, nil)}, http.StatusOK)
		e.expect(call{method: "GET", path: acme, token: jon}, http.StatusOK)
	})
}

// TestRightsChangeOnAnotherReplica: rule PRF-6 across replicas. Two apps share one database,
// each with its own subject cache; a change written through one is seen by the very next
// request on the other.
func TestRightsChangeOnAnotherReplica(t *testing.T) {
	e := newEnv(t)
	other := e.replica()
	dina, jon := e.login("dina"), e.login("jon")
	initech := "/api/v1/cases/" + e.resolve("{case:Initech integration}")
	members := initech + "/relationships/members"

	e.warm(jon, initech, http.StatusOK)
	other.warm(jon, initech, http.StatusOK)
	// rule PRF-6: the owner removes jon through the other replica…
	other.expect(call{method: "DELETE", path: members, token: dina, body: membersDoc(e.userID("jon"))}, http.StatusOK)
	// …and this one, whose cache held jon's subject, decides his next request without him.
	e.expect(call{method: "GET", path: initech, token: jon}, http.StatusNotFound)

	// And back: added again through this replica, seen on the other one.
	other.warm(jon, initech, http.StatusNotFound)
	e.expect(call{method: "POST", path: members, token: dina, body: membersDoc(e.userID("jon"))}, http.StatusOK)
	other.expect(call{method: "GET", path: initech, token: jon}, http.StatusOK)
}

// TestSubjectCacheServesUntilTheEpochMoves is the control for the two tests above: the
// cache really serves their requests. A membership deleted behind the API's back, without
// moving the rights epoch, is not seen; once the epoch moves, it is (PRF-6). This is why
// every write of what a subject is built from must call access.Bump.
func TestSubjectCacheServesUntilTheEpochMoves(t *testing.T) {
	e := newEnv(t)
	jon := e.login("jon")
	initech := e.resolve("{case:Initech integration}")
	e.warm(jon, "/api/v1/cases/"+initech, http.StatusOK)
	if _, err := e.db.NewDelete().Model((*model.CaseMember)(nil)).Where("case_id = ? AND user_id = ?", mustInt(initech), mustInt(e.userID("jon"))).
		Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.expect(call{method: "GET", path: "/api/v1/cases/" + initech, token: jon}, http.StatusOK)
	e.rightsChanged()
	e.expect(call{method: "GET", path: "/api/v1/cases/" + initech, token: jon}, http.StatusNotFound)
}

// TestEveryRightsWriteMovesTheEpoch: each API write of what a subject is built from (users,
// business units, profiles, overrides, case members, settings, invoice statuses) moves the
// rights epoch, so that no replica keeps a stale subject (PRF-6).
func TestEveryRightsWriteMovesTheEpoch(t *testing.T) {
	e := newEnv(t)
	ada, carl := e.login("ada"), e.login("carl")
	acme := e.resolve("{case:Acme strategy review}")
	allRights := map[string]string{"accounts": "read_only", "delete_accounts": "false", "cases": "member", "delete_cases": "false",
		"own_resource_allocations": "false", "join_cases": "no", "users": "none", "invoice_status": "any",
		"scheduled_invoicing": "false", "approval": "none", "approve_own_cases": "false", "travel": "create",
		"sharing": "false", "admin": "none"}
	created := map[string]string{}
	steps := []struct {
		name   string
		call   func() call
		status int
		keep   string // remember the created resource's id under this name
	}{
		{"create a user", func() call {
			return call{method: "POST", path: "/api/v1/users", token: ada, body: map[string]any{"data": map[string]any{"type": "users",
				"attributes": map[string]any{"name": "New Hire", "email": "new.hire@northwind.example", "password": "a-long-password-1"},
				"relationships": map[string]any{"unit": rel("business-units", e.unitID("Strategy")),
					"supervisor": rel("users", e.userID("carl")), "profile": rel("profiles", e.profileID("employee"))}}}}
		}, http.StatusCreated, "user"},
		{"edit a user's overrides", func() call {
			id := created["user"]
			return call{method: "PATCH", path: "/api/v1/users/" + id, token: ada,
				body: patchDoc("users", id, map[string]any{"version": e.version("users", id), "rightOverrides": map[string]string{"cases": "own_unit"}}, nil)}
		}, http.StatusOK, ""},
		{"move a user to another supervisor", func() call {
			id := created["user"]
			return call{method: "PATCH", path: "/api/v1/users/" + id, token: ada,
				body: patchDoc("users", id, map[string]any{"version": e.version("users", id)}, map[string]any{"supervisor": rel("users", e.userID("dina"))})}
		}, http.StatusOK, ""},
		{"deactivate a user", func() call {
			id := created["user"]
			return call{method: "PATCH", path: "/api/v1/users/" + id, token: ada,
				body: patchDoc("users", id, map[string]any{"version": e.version("users", id), "active": false}, nil)}
		}, http.StatusOK, ""},
		{"create a unit", func() call {
			return call{method: "POST", path: "/api/v1/business-units", token: ada, body: map[string]any{"data": map[string]any{"type": "business-units",
				"attributes": map[string]any{"name": "Epoch unit"}, "relationships": map[string]any{"parent": rel("business-units", e.unitID("Consulting"))}}}}
		}, http.StatusCreated, "unit"},
		{"move a unit", func() call {
			id := created["unit"]
			return call{method: "PATCH", path: "/api/v1/business-units/" + id, token: ada,
				body: patchDoc("business-units", id, map[string]any{"version": e.version("business_units", id)}, map[string]any{"parent": rel("business-units", e.unitID("Engineering"))})}
		}, http.StatusOK, ""},
		{"delete a unit", func() call {
			return call{method: "DELETE", path: "/api/v1/business-units/" + created["unit"], token: ada}
		}, http.StatusNoContent, ""},
		{"create a profile", func() call {
			return call{method: "POST", path: "/api/v1/profiles", token: ada,
				body: map[string]any{"data": map[string]any{"type": "profiles", "attributes": map[string]any{"name": "Epoch profile", "rights": allRights}}}}
		}, http.StatusCreated, "profile"},
		{"edit a profile's rights", func() call {
			id := created["profile"]
			return call{method: "PATCH", path: "/api/v1/profiles/" + id, token: ada,
				body: patchDoc("profiles", id, map[string]any{"version": e.version("profiles", id), "rights": map[string]string{"cases": "manager"}}, nil)}
		}, http.StatusOK, ""},
		{"delete a profile", func() call {
			return call{method: "DELETE", path: "/api/v1/profiles/" + created["profile"], token: ada}
		}, http.StatusNoContent, ""},
		{"add a case member", func() call {
			return call{method: "POST", path: "/api/v1/cases/" + acme + "/relationships/members", token: carl, body: membersDoc(e.userID("gus"))}
		}, http.StatusOK, ""},
		{"remove a case member", func() call {
			return call{method: "DELETE", path: "/api/v1/cases/" + acme + "/relationships/members", token: carl, body: membersDoc(e.userID("gus"))}
		}, http.StatusOK, ""},
		{"create a case (its owner becomes a member)", func() call {
			return call{method: "POST", path: "/api/v1/cases", token: carl, body: map[string]any{"data": map[string]any{"type": "cases",
				"attributes": map[string]any{"name": "Epoch case"}, "relationships": map[string]any{"account": rel("accounts", e.resolve("{account:Globex AB}"))}}}}
		}, http.StatusCreated, "case"},
		{"delete a case (its memberships go with it)", func() call {
			return call{method: "DELETE", path: "/api/v1/cases/" + created["case"], token: carl}
		}, http.StatusNoContent, ""},
		{"switch travel off", func() call {
			return call{method: "PATCH", path: "/api/v1/settings", token: ada,
				body: patchDoc("settings", "1", map[string]any{"version": e.version("settings", "1"), "travelEnabled": false}, nil)}
		}, http.StatusOK, ""},
		{"add an invoice status", func() call {
			return call{method: "POST", path: "/api/v1/invoice-statuses", token: ada,
				body: map[string]any{"data": map[string]any{"type": "invoice-statuses", "attributes": map[string]any{"name": "Overdue"}}}}
		}, http.StatusCreated, "status"},
		{"edit an invoice status", func() call {
			id := created["status"]
			return call{method: "PATCH", path: "/api/v1/invoice-statuses/" + id, token: ada,
				body: patchDoc("invoice-statuses", id, map[string]any{"version": e.version("invoice_statuses", id), "active": false}, nil)}
		}, http.StatusOK, ""},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			e.t = t
			before := e.epoch()
			r := e.expect(st.call(), st.status)
			if st.keep != "" {
				created[st.keep] = r.Doc["data"].(map[string]any)["id"].(string)
			}
			if after := e.epoch(); after <= before {
				t.Fatalf("rule PRF-6: the rights epoch stayed at %d", before)
			}
		})
	}
}
