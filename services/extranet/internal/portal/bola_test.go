package portal_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/cases"
)

// bolaWorld is a database with two accounts, three shares and unshared sections:
//
//	strategy  (Acme)    shared with aino: Phases only (no Financials, no Other), no Upload right
//	migration (Acme)    shared with mikko: everything; aino's invitation to it has expired
//	pricing   (Globex)  shared with sven: everything
//	initech   (Initech) shared with nobody
type bolaWorld struct {
	*env
	strategy, migration, pricing, initech int64
	ainoFile                              int64 // a file of the strategy review: its section is not shared with aino
	ainoFileComment                       int64 // a comment on that file
}

func newBolaWorld(t *testing.T) *bolaWorld {
	e := newEnv(t)
	w := &bolaWorld{env: e, strategy: e.caseID(strategy), migration: e.caseID(migration), pricing: e.caseID(pricing), initech: e.caseID(initech)}
	e.invite(e.share(strategy, sections{phases: true}), aino, rights{approve: true, comment: true, status: true}, nil)
	s2 := e.share(migration, allSections)
	e.invite(s2, mikko, allRights, nil)
	e.invite(s2, aino, allRights, ptr(e.clock.Now().Add(-time.Hour)))
	e.invite(e.share(pricing, allSections), sven, allRights, nil)
	for _, email := range []string{aino, mikko, sven} {
		e.credential(email, password, false)
	}
	for _, c := range []int64{w.strategy, w.migration, w.pricing, w.initech} {
		f := e.addFile(c, "report.txt")
		e.addComment(c, cases.TargetCase, c, "on the case")
		e.addComment(c, cases.TargetPhase, e.firstID("phases", c), "on a phase")
		fc := e.addComment(c, cases.TargetFile, f, "on a file")
		if c == w.strategy {
			w.ainoFile, w.ainoFileComment = f, fc
		}
	}
	return w
}

// probe is one request that must not reach its object.
type probe struct {
	method, path string
	body         any
	contentType  string
}

// unreachable lists every request by which aino could reach what is not hers: the cases of
// another share (migration, whose invitation expired), of another account (pricing), of
// no share (initech), every object of them, and the sections of her own case that are not
// shared with her (work hours, files and billing of the strategy review).
func (w *bolaWorld) unreachable() []probe {
	var ps []probe
	comment := map[string]any{"data": map[string]any{"type": "comments", "attributes": map[string]any{"body": "hello"}}}
	upload, uploadType := multipartBody(map[string]string{}, "a.txt", "text/plain", []byte("hello"))
	for _, c := range []int64{w.migration, w.pricing, w.initech} {
		base := "/portal/v1/cases/" + id(c)
		status := map[string]any{"data": map[string]any{"type": "cases", "id": id(c), "attributes": map[string]any{"status": "closed", "version": 1}}}
		ps = append(ps, probe{method: "GET", path: base}, probe{method: "PATCH", path: base, body: status})
		for _, sub := range []string{"work-hours", "phases", "comments", "files", "invoices"} {
			ps = append(ps, probe{method: "GET", path: base + "/" + sub})
		}
		ps = append(ps, probe{method: "POST", path: base + "/comments", body: comment},
			probe{method: "POST", path: base + "/files", body: upload, contentType: uploadType})
		for _, p := range w.rowIDs("phases", c) {
			ps = append(ps, probe{method: "GET", path: "/portal/v1/phases/" + p},
				probe{method: "POST", path: "/portal/v1/phases/" + p + "/approve"},
				probe{method: "POST", path: "/portal/v1/phases/" + p + "/reject", body: decisionBody("no")})
		}
	}
	for _, c := range []int64{w.strategy, w.migration, w.pricing, w.initech} {
		for _, h := range w.rowIDs("work_hours", c) {
			ps = append(ps, probe{method: "GET", path: "/portal/v1/work-hours/" + h},
				probe{method: "POST", path: "/portal/v1/work-hours/" + h + "/approve"},
				probe{method: "POST", path: "/portal/v1/work-hours/" + h + "/reject", body: decisionBody("no")})
		}
		for _, f := range w.rowIDs("files", c) {
			ps = append(ps, probe{method: "GET", path: "/portal/v1/files/" + f}, probe{method: "GET", path: "/portal/v1/files/" + f + "/download"})
		}
		for _, cm := range w.rowIDs("comments", c) {
			if c != w.strategy || cm == id(w.ainoFileComment) {
				ps = append(ps, probe{method: "GET", path: "/portal/v1/comments/" + cm})
			}
		}
	}
	own := "/portal/v1/cases/" + id(w.strategy)
	ps = append(ps, probe{method: "GET", path: own + "/work-hours"}, probe{method: "GET", path: own + "/files"},
		probe{method: "GET", path: own + "/invoices"}, probe{method: "POST", path: own + "/files", body: upload, contentType: uploadType})
	// Comments on her own case about objects she may not see.
	for _, target := range []struct {
		typ string
		id  int64
	}{{"files", w.ainoFile}, {"phases", w.firstID("phases", w.migration)}, {"files", w.firstID("files", w.pricing)}} {
		ps = append(ps, probe{method: "POST", path: own + "/comments", body: map[string]any{"data": map[string]any{
			"type": "comments", "attributes": map[string]any{"body": "hello"},
			"relationships": map[string]any{"target": map[string]any{"data": map[string]any{"type": target.typ, "id": id(target.id)}}}}}})
	}
	return ps
}

// rule EXT-8: a contact never reaches another account's data, a case not shared with them
// (or no longer: an expired invitation), or a section not chosen: each answers 404, as if
// it did not exist. A token of the internal API answers 401 on every one of them.
func TestBOLA(t *testing.T) {
	w := newBolaWorld(t)
	token := w.login(aino, password)
	probes := w.unreachable()
	if len(probes) < 100 {
		t.Fatalf("only %d probes: the world is smaller than expected", len(probes))
	}
	t.Logf("%d probes", len(probes))
	for _, p := range probes {
		t.Run("contact "+p.method+" "+p.path, func(t *testing.T) {
			r := w.do(call{method: p.method, path: p.path, token: token, body: p.body, contentType: p.contentType, lax: true})
			if r.Status != http.StatusNotFound {
				t.Fatalf("status %d, want 404: %s", r.Status, r.Body)
			}
		})
	}
	internal, _ := auth.NewIssuer([]byte("the-internal-api-secret-is-another-one"), auth.AudienceAPI, time.Hour, w.clock.Now)
	staff, _, _ := internal.Mint(w.userID("carl"), 0)
	for _, p := range append(probes, probe{method: "GET", path: "/portal/v1/cases/" + id(w.strategy)}) {
		t.Run("internal token "+p.method+" "+p.path, func(t *testing.T) {
			r := w.do(call{method: p.method, path: p.path, token: staff, body: p.body, contentType: p.contentType, lax: true})
			if r.Status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", r.Status, r.Body)
			}
		})
	}
	t.Run("what is shared stays reachable", func(t *testing.T) {
		own := "/portal/v1/cases/" + id(w.strategy)
		w.do(call{method: "GET", path: own, token: token}).must(t, http.StatusOK)
		w.do(call{method: "GET", path: own + "/phases", token: token}).must(t, http.StatusOK)
		r := w.do(call{method: "GET", path: own + "/comments", token: token}).must(t, http.StatusOK)
		if n := len(r.dataList()); n != 2 {
			t.Fatalf("%d comments, want the 2 on the case and the phase (not the one on the file): %s", n, r.Body)
		}
	})
	t.Run("an invisible object answers exactly like a missing one", func(t *testing.T) {
		a := w.do(call{method: "GET", path: "/portal/v1/work-hours/" + id(w.firstID("work_hours", w.pricing)), token: token})
		b := w.do(call{method: "GET", path: "/portal/v1/work-hours/987654321", token: token})
		if a.errorCode() != b.errorCode() || a.Status != b.Status {
			t.Fatalf("%s vs %s", a.Body, b.Body)
		}
	})
}

// rule EXT-8 (STYLE rule 2): every list returns exactly the rows the single-object route
// allows, for every contact and every row of the database.
func TestListsMatchSingleObjects(t *testing.T) {
	w := newBolaWorld(t)
	kinds := []struct{ table, list, one string }{
		{"work_hours", "work-hours", "work-hours"},
		{"phases", "phases", "phases"},
		{"files", "files", "files"},
		{"comments", "comments", "comments"},
	}
	cases := []int64{w.strategy, w.migration, w.pricing, w.initech}
	for _, email := range []string{aino, mikko, sven} {
		token := w.login(email, password)
		listed := w.do(call{method: "GET", path: "/portal/v1/cases", token: token}).must(t, http.StatusOK).ids()
		for _, c := range cases {
			r := w.do(call{method: "GET", path: "/portal/v1/cases/" + id(c), token: token})
			if (r.Status == http.StatusOK) != slices.Contains(listed, id(c)) {
				t.Errorf("%s: case %d answers %d but listed=%v", email, c, r.Status, slices.Contains(listed, id(c)))
			}
		}
		for _, k := range kinds {
			var visible []string
			for _, c := range listed {
				r := w.do(call{method: "GET", path: "/portal/v1/cases/" + c + "/" + k.list + "?page[size]=100", token: token})
				if r.Status == http.StatusOK {
					visible = append(visible, r.ids()...)
				}
			}
			for _, c := range cases {
				for _, rowID := range w.rowIDs(k.table, c) {
					r := w.do(call{method: "GET", path: "/portal/v1/" + k.one + "/" + rowID, token: token})
					if (r.Status == http.StatusOK) != slices.Contains(visible, rowID) {
						t.Errorf("%s: %s %s answers %d but listed=%v", email, k.one, rowID, r.Status, slices.Contains(visible, rowID))
					}
				}
			}
		}
	}
}
