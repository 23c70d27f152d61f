package soak

import (
	"net/http"
	"testing"
)

// testSessions proves that no replica keeps session or rights state of its own: a token
// from one works on the other, and a logout or a rights change made on one applies on the
// other at the very next request (EXT-9, PRF-6). Each request goes to one replica
// directly, not through the balancer.
func testSessions(t *testing.T, st *stack, fx *fixture) {
	a1, a2 := st.api[0].url(), st.api[1].url()
	p1, p2 := st.portal[0].url(), st.portal[1].url()
	caseURL := func(base string) string { return base + "/api/v1/cases/" + fx.caseID }

	t.Run("an API session made on one replica works on the other", func(t *testing.T) {
		on1, on2 := st.login(t, a1, "erik@northwind.example"), st.login(t, a2, "erik@northwind.example")
		call(t, "GET", caseURL(a2), on1, nil).must(t, http.StatusOK)
		call(t, "GET", caseURL(a1), on2, nil).must(t, http.StatusOK)
	})
	t.Run("a portal session made on one replica works on the other", func(t *testing.T) {
		on1 := st.portalLogin(t, p1, ainoEmail, fx.ainoPassword)
		on2 := st.portalLogin(t, p2, ainoEmail, fx.ainoPassword)
		call(t, "GET", p2+"/portal/v1/cases/"+fx.caseID, on1, nil).must(t, http.StatusOK)
		call(t, "GET", p1+"/portal/v1/cases/"+fx.caseID, on2, nil).must(t, http.StatusOK)
	})
	t.Run("a logout on one replica applies on the other at the next request", func(t *testing.T) {
		jon := st.login(t, a1, "jon@northwind.example")
		call(t, "GET", a2+"/api/v1/cases", jon, nil).must(t, http.StatusOK)
		if r := call(t, "DELETE", a1+"/api/v1/sessions", jon, nil); r.status != http.StatusNoContent && r.status != http.StatusOK {
			t.Fatalf("logout: %d %s", r.status, r.raw)
		}
		call(t, "GET", a2+"/api/v1/cases", jon, nil).must(t, http.StatusUnauthorized)
	})
	t.Run("a portal logout on one replica applies on the other at the next request", func(t *testing.T) {
		// Every session of the contact ends (EXT-9): the load's token is made again after.
		tok := st.portalLogin(t, p1, ainoEmail, fx.ainoPassword)
		call(t, "GET", p2+"/portal/v1/cases", tok, nil).must(t, http.StatusOK)
		call(t, "DELETE", p2+"/portal/v1/sessions", tok, nil).must(t, http.StatusNoContent)
		call(t, "GET", p1+"/portal/v1/cases", tok, nil).must(t, http.StatusUnauthorized)
		fx.ainoToken = st.portalLogin(t, st.lb.portalURL, ainoEmail, fx.ainoPassword)
	})
	t.Run("PRF-6: a rights change on one replica applies on the other at the next request", func(t *testing.T) {
		erik := st.login(t, a2, "erik@northwind.example")
		users := call(t, "GET", a1+"/api/v1/users?page[size]=100", fx.ada, nil).must(t, http.StatusOK).list()
		id := findBy(t, users, "email", "erik@northwind.example")["id"].(string)
		setCases := func(base string, overrides map[string]string) {
			t.Helper()
			version := attr(call(t, "GET", base+"/api/v1/users/"+id, fx.ada, nil).must(t, http.StatusOK).one(), "version")
			call(t, "PATCH", base+"/api/v1/users/"+id, fx.ada, resource("users", id,
				map[string]any{"version": version, "rightOverrides": overrides}, nil)).must(t, http.StatusOK)
		}
		// Both replicas have Erik's subject cached from the requests before the change.
		call(t, "GET", caseURL(a1), erik, nil).must(t, http.StatusOK)
		call(t, "GET", caseURL(a2), erik, nil).must(t, http.StatusOK)
		setCases(a1, map[string]string{"cases": "none"})
		call(t, "GET", caseURL(a2), erik, nil).must(t, http.StatusNotFound)
		setCases(a2, map[string]string{})
		call(t, "GET", caseURL(a1), erik, nil).must(t, http.StatusOK)
	})
}
