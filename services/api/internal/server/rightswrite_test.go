package server_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
)

// ids of the demo organisation, looked up by email, profile key and unit name.
func (e *env) userID(name string) string {
	e.t.Helper()
	var u model.User
	if err := e.db.NewSelect().Model(&u).Where("email = ?", name+"@northwind.example").Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return strconv.FormatInt(u.ID, 10)
}

func (e *env) profileID(key string) string {
	e.t.Helper()
	var p model.Profile
	if err := e.db.NewSelect().Model(&p).Where("key = ?", key).Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return strconv.FormatInt(p.ID, 10)
}

func (e *env) unitID(name string) string {
	e.t.Helper()
	var u model.BusinessUnit
	if err := e.db.NewSelect().Model(&u).Where("name = ?", name).Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return strconv.FormatInt(u.ID, 10)
}

func (e *env) version(table, id string) int64 {
	e.t.Helper()
	var v int64
	if err := e.db.NewSelect().Table(table).Column("version").Where("id = ?", id).Scan(context.Background(), &v); err != nil {
		e.t.Fatal(err)
	}
	return v
}

func patchDoc(typ, id string, attrs map[string]any, rels map[string]any) map[string]any {
	data := map[string]any{"type": typ, "id": id}
	if attrs != nil {
		data["attributes"] = attrs
	}
	if rels != nil {
		data["relationships"] = rels
	}
	return map[string]any{"data": data}
}

func rel(typ, id string) map[string]any {
	if id == "" {
		return map[string]any{"data": nil}
	}
	return map[string]any{"data": map[string]any{"type": typ, "id": id}}
}

func TestRightsWrites(t *testing.T) {
	e := newEnv(t)
	ada, bea, carl := e.login("ada"), e.login("bea"), e.login("carl")
	cases := []struct {
		name   string
		token  string
		path   string
		typ    string
		id     string
		attrs  map[string]any
		rels   map[string]any
		status int
	}{
		{"rule USR-5: a manager cannot change their own profile", carl, "/api/v1/users/", "users", e.userID("carl"),
			nil, map[string]any{"profile": rel("profiles", e.profileID("administrator"))}, http.StatusForbidden},
		{"rule USR-5: an administrator cannot change their own overrides", ada, "/api/v1/users/", "users", e.userID("ada"),
			map[string]any{"rightOverrides": map[string]string{"cases": "none"}}, nil, http.StatusForbidden},
		{"rule USR-5: nobody switches their own API access", ada, "/api/v1/users/", "users", e.userID("ada"),
			map[string]any{"apiAccess": true}, nil, http.StatusForbidden},
		{"rule PRF-3: nobody edits the profile they use", ada, "/api/v1/profiles/", "profiles", e.profileID("administrator"),
			map[string]any{"name": "Boss"}, nil, http.StatusForbidden},
		{"rule PRF-4: the last Administrator keeps the profile", bea, "/api/v1/users/", "users", e.userID("ada"),
			nil, map[string]any{"profile": rel("profiles", e.profileID("employee"))}, http.StatusUnprocessableEntity},
		{"rule PRF-4: the last Administrator cannot be deactivated", bea, "/api/v1/users/", "users", e.userID("ada"),
			map[string]any{"active": false}, nil, http.StatusUnprocessableEntity},
		{"rule ORG-1: a supervisor change may not make a cycle", ada, "/api/v1/users/", "users", e.userID("carl"),
			nil, map[string]any{"supervisor": rel("users", e.userID("lea"))}, http.StatusUnprocessableEntity},
		{"rule ORG-1: there is only one head", ada, "/api/v1/users/", "users", e.userID("bea"),
			nil, map[string]any{"supervisor": rel("users", "")}, http.StatusUnprocessableEntity},
		{"rule ORG-3: a unit may not move below its own sub-unit", ada, "/api/v1/business-units/", "business-units", e.unitID("Consulting"),
			nil, map[string]any{"parent": rel("business-units", e.unitID("Strategy"))}, http.StatusUnprocessableEntity},
		{"rule USR-2: a manager does not edit users outside their subordinates", carl, "/api/v1/users/", "users", e.userID("ivan"),
			map[string]any{"name": "Ivan X"}, nil, http.StatusForbidden},
		{"rights escalation: a manager cannot lift a subordinate above themself", carl, "/api/v1/users/", "users", e.userID("erik"),
			map[string]any{"rightOverrides": map[string]string{"admin": "all"}}, nil, http.StatusForbidden},
		{"rule ADM-1: without admin rights no unit changes", carl, "/api/v1/business-units/", "business-units", e.unitID("Strategy"),
			map[string]any{"name": "S"}, nil, http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			table := map[string]string{"users": "users", "profiles": "profiles", "business-units": "business_units"}[tc.typ]
			before := e.version(table, tc.id)
			attrs := map[string]any{"version": before}
			for k, v := range tc.attrs {
				attrs[k] = v
			}
			r := e.do(call{method: "PATCH", path: tc.path + tc.id, token: tc.token, body: patchDoc(tc.typ, tc.id, attrs, tc.rels)})
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.Status, tc.status, r.Body)
			}
			if after := e.version(table, tc.id); after != before {
				t.Fatalf("refused write changed the row: version %d → %d", before, after)
			}
		})
	}
}

func TestUserPatchConcurrencyAndInput(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	gus := e.userID("gus")
	t.Run("no version is refused", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: "/api/v1/users/" + gus, token: ada, body: patchDoc("users", gus, map[string]any{"name": "Gus B"}, nil)})
		if r.Status != http.StatusPreconditionFailed {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("stale version is refused and nothing changes", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: "/api/v1/users/" + gus, token: ada,
			body: patchDoc("users", gus, map[string]any{"name": "Gus B", "version": 1}, nil)})
		if r.Status != http.StatusOK {
			t.Fatalf("first write: status %d: %s", r.Status, r.Body)
		}
		r = e.do(call{method: "PATCH", path: "/api/v1/users/" + gus, token: ada,
			body: patchDoc("users", gus, map[string]any{"name": "Gus C", "version": 1}, nil)})
		if r.Status != http.StatusPreconditionFailed {
			t.Fatalf("stale write: status %d: %s", r.Status, r.Body)
		}
		var u model.User
		if err := e.db.NewSelect().Model(&u).Where("id = ?", gus).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if u.Name != "Gus B" || u.Version != 2 {
			t.Fatalf("row after stale write: %q v%d", u.Name, u.Version)
		}
	})
	t.Run("If-Match works too", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: "/api/v1/users/" + gus, token: ada, header: map[string]string{"If-Match": `"2"`},
			body: patchDoc("users", gus, map[string]any{"name": "Gus D"}, nil)})
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("unknown attribute is 400", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: "/api/v1/users/" + gus, token: ada, lax: true,
			body: patchDoc("users", gus, map[string]any{"shoeSize": 44, "version": 3}, nil)})
		if r.Status != http.StatusBadRequest || r.errorCode() != "unknown_attribute" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("forbidden attribute is 403", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: "/api/v1/users/" + gus, token: ada, lax: true,
			body: patchDoc("users", gus, map[string]any{"password": "new-password-123", "version": 3}, nil)})
		if r.Status != http.StatusForbidden || r.errorCode() != "forbidden_attribute" {
			t.Fatalf("status %d code %s", r.Status, r.errorCode())
		}
	})
	t.Run("id mismatch is 409", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: "/api/v1/users/" + gus, token: ada, lax: true,
			body: patchDoc("users", e.userID("fay"), map[string]any{"version": 3}, nil)})
		if r.Status != http.StatusConflict {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}

// TestRightsChangeAppliesOnNextRequest: rule PRF-6. A new profile takes effect on the very
// next request of the same token, and the change is in the change history.
func TestRightsChangeAppliesOnNextRequest(t *testing.T) {
	e := newEnv(t)
	kimTok := e.login("kim")
	if n := len(e.do(call{method: "GET", path: "/api/v1/cases", token: kimTok}).dataList()); n != 1 {
		t.Fatalf("kim sees %d cases before, want 1", n)
	}
	kim := e.userID("kim")
	r := e.do(call{method: "PATCH", path: "/api/v1/users/" + kim, token: e.login("ada"),
		body: patchDoc("users", kim, map[string]any{"version": e.version("users", kim)},
			map[string]any{"profile": rel("profiles", e.profileID("business_controller"))})})
	if r.Status != http.StatusOK {
		t.Fatalf("change profile: %d %s", r.Status, r.Body)
	}
	if n := len(e.do(call{method: "GET", path: "/api/v1/cases", token: kimTok}).dataList()); n != 4 {
		t.Fatalf("kim sees %d cases after, want 4 without logging in again", n)
	}
	n, err := e.db.NewSelect().Model((*model.ChangeRecord)(nil)).Where("resource_type = 'users'").Where("resource_id = ?", kim).Count(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("history entries for the change: %d, %v", n, err)
	}
}

// TestProfiles: rule PRF-2 (user counts, in-use profiles stay), PRF-1 (defaults exist).
func TestProfiles(t *testing.T) {
	e := newEnv(t)
	ada := e.login("ada")
	r := e.do(call{method: "GET", path: "/api/v1/profiles", token: ada})
	if r.Status != http.StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	counts := map[string]float64{}
	for _, p := range r.dataList() {
		counts[attrs(p)["key"].(string)] = attrs(p)["userCount"].(float64)
	}
	want := map[string]float64{"administrator": 1, "business_controller": 1, "project_manager": 3, "employee": 7}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("profile %s: %v users, want %v", k, counts[k], v)
		}
	}
	t.Run("in use cannot be deleted", func(t *testing.T) {
		r := e.do(call{method: "DELETE", path: "/api/v1/profiles/" + e.profileID("employee"), token: ada})
		if r.Status != http.StatusConflict {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
	t.Run("create, then delete an unused one", func(t *testing.T) {
		rightsMap := map[string]string{"accounts": "read_only", "delete_accounts": "false", "cases": "member", "delete_cases": "false",
			"own_resource_allocations": "false", "join_cases": "no", "users": "none", "invoice_status": "any",
			"scheduled_invoicing": "false", "approval": "none", "approve_own_cases": "false", "travel": "create",
			"sharing": "false", "admin": "none"}
		r := e.do(call{method: "POST", path: "/api/v1/profiles", token: ada,
			body: map[string]any{"data": map[string]any{"type": "profiles", "attributes": map[string]any{"name": "Intern", "rights": rightsMap}}}})
		if r.Status != http.StatusCreated || r.Header.Get("Location") == "" {
			t.Fatalf("create: %d %s", r.Status, r.Body)
		}
		id := r.Doc["data"].(map[string]any)["id"].(string)
		if d := e.do(call{method: "DELETE", path: "/api/v1/profiles/" + id, token: ada}); d.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", d.Status, d.Body)
		}
	})
	t.Run("bad right value is 400", func(t *testing.T) {
		r := e.do(call{method: "POST", path: "/api/v1/profiles", token: ada, lax: true,
			body: map[string]any{"data": map[string]any{"type": "profiles", "attributes": map[string]any{"name": "X", "rights": map[string]string{"cases": "godmode"}}}}})
		if r.Status != http.StatusBadRequest {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
	})
}
