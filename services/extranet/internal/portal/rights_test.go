package portal_test

import (
	"net/http"
	"testing"
)

// rules EXT-2 and EXT-6: Approve, Comment, Upload and change-status are independent
// per-contact rights; on a case the contact sees, acting without the right is a 403, and
// nothing else is writable.
func TestRightsAreIndependent(t *testing.T) {
	type want struct{ approve, comment, upload, status int }
	for name, tc := range map[string]struct {
		r    rights
		want want
	}{
		"no rights":   {rights{}, want{http.StatusForbidden, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden}},
		"approve":     {rights{approve: true}, want{http.StatusOK, http.StatusForbidden, http.StatusForbidden, http.StatusForbidden}},
		"comment":     {rights{comment: true}, want{http.StatusForbidden, http.StatusCreated, http.StatusForbidden, http.StatusForbidden}},
		"upload":      {rights{upload: true}, want{http.StatusForbidden, http.StatusForbidden, http.StatusServiceUnavailable, http.StatusForbidden}},
		"status":      {rights{status: true}, want{http.StatusForbidden, http.StatusForbidden, http.StatusForbidden, http.StatusOK}},
		"every right": {allRights, want{http.StatusOK, http.StatusCreated, http.StatusServiceUnavailable, http.StatusOK}},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t) // no file store: an allowed upload gets as far as the store, 503
			e.invite(e.share(strategy, allSections), aino, tc.r, nil)
			e.credential(aino, password, false)
			token := e.login(aino, password)
			caseID := e.caseID(strategy)
			base := "/portal/v1/cases/" + id(caseID)
			check := func(what string, r response, want int) {
				t.Helper()
				if r.Status != want {
					t.Errorf("%s: status %d, want %d: %s", what, r.Status, want, r.Body)
				}
			}
			check("approve hour", e.do(call{method: "POST", path: "/portal/v1/work-hours/" + id(e.firstID("work_hours", caseID)) + "/approve", token: token}), tc.want.approve)
			check("reject phase", e.do(call{method: "POST", path: "/portal/v1/phases/" + id(e.firstID("phases", caseID)) + "/reject", token: token, body: decisionBody("not yet")}), tc.want.approve)
			check("comment", e.do(call{method: "POST", path: base + "/comments", token: token, body: commentBody("hello", "", 0)}), tc.want.comment)
			listWant := http.StatusOK
			if tc.want.comment != http.StatusCreated {
				listWant = http.StatusForbidden
			}
			check("list comments", e.do(call{method: "GET", path: base + "/comments", token: token}), listWant)
			body, ct := multipartBody(nil, "notes.txt", "text/plain", []byte("hello"))
			check("upload", e.do(call{method: "POST", path: base + "/files", token: token, body: body, contentType: ct}), tc.want.upload)
			check("status", e.do(call{method: "PATCH", path: base, token: token, body: statusBody(caseID, "on_hold", 1)}), tc.want.status)
		})
	}
	t.Run("the Upload right shows files without the Other section", func(t *testing.T) {
		e := newEnv(t)
		e.invite(e.share(strategy, sections{}), aino, rights{upload: true}, nil)
		e.credential(aino, password, false)
		token := e.login(aino, password)
		e.do(call{method: "GET", path: "/portal/v1/cases/" + id(e.caseID(strategy)) + "/files", token: token}).must(t, http.StatusOK)
	})
	t.Run("changing the status needs the Other section too", func(t *testing.T) {
		e := newEnv(t)
		caseID := e.caseID(strategy)
		e.invite(e.share(strategy, sections{phases: true}), aino, rights{status: true}, nil)
		e.credential(aino, password, false)
		token := e.login(aino, password)
		e.do(call{method: "PATCH", path: "/portal/v1/cases/" + id(caseID), token: token, body: statusBody(caseID, "closed", 1)}).
			must(t, http.StatusForbidden)
	})
	t.Run("nothing else is writable", func(t *testing.T) {
		e := newEnv(t)
		token := e.sharedWith(t)
		caseID := e.caseID(strategy)
		r := e.do(call{method: "PATCH", path: "/portal/v1/cases/" + id(caseID), token: token, lax: true, body: map[string]any{
			"data": map[string]any{"type": "cases", "id": id(caseID), "attributes": map[string]any{"name": "Mine now", "version": 1}}}})
		r.must(t, http.StatusForbidden)
		for _, m := range []string{"DELETE", "PUT"} {
			if r := e.do(call{method: m, path: "/portal/v1/cases/" + id(caseID), token: token, raw: true}); r.Status != http.StatusNotFound {
				t.Errorf("%s case: status %d", m, r.Status)
			}
		}
		hour := "/portal/v1/work-hours/" + id(e.firstID("work_hours", caseID))
		if r := e.do(call{method: "PATCH", path: hour, token: token, body: `{"data":{"type":"work-hours","id":"1","attributes":{"minutes":1}}}`, raw: true}); r.Status != http.StatusNotFound {
			t.Errorf("PATCH hour: status %d", r.Status)
		}
	})
}

func commentBody(text, targetType string, targetID int64) map[string]any {
	data := map[string]any{"type": "comments", "attributes": map[string]any{"body": text}}
	if targetType != "" {
		data["relationships"] = map[string]any{"target": map[string]any{"data": map[string]any{"type": targetType, "id": id(targetID)}}}
	}
	return map[string]any{"data": data}
}

func statusBody(caseID int64, status string, version int64) map[string]any {
	return map[string]any{"data": map[string]any{"type": "cases", "id": id(caseID), "attributes": map[string]any{"status": status, "version": version}}}
}
