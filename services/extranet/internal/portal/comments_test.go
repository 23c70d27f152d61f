package portal_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/model"
)

// rules EXT-2, EXT-7: with the Comment right a contact views and adds comments on the case
// overview, its phases and its files; each is saved at once with the contact as author
// and recorded in the change history.
func TestComments(t *testing.T) {
	e := newEnv(t)
	token := e.sharedWith(t)
	caseID, contact := e.caseID(strategy), e.contactID(aino)
	phaseID, fileID := e.firstID("phases", caseID), e.addFile(caseID, "plan.txt")
	staff := e.addComment(caseID, cases.TargetCase, caseID, "Kick-off went well")
	base := "/portal/v1/cases/" + id(caseID) + "/comments"

	for _, tc := range []struct {
		name, targetType, stored string
		targetID                 int64
	}{
		{"on the overview", "", "case", caseID},
		{"on the case named explicitly", "cases", "case", caseID},
		{"on a phase", "phases", "phase", phaseID},
		{"on a file", "files", "file", fileID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(call{method: "POST", path: base, token: token, body: commentBody("Looks good "+tc.name, tc.targetType, tc.targetID)}).
				must(t, http.StatusCreated)
			a := attrs(r.data())
			if a["targetType"] != tc.stored || a["mine"] != true || a["authorKind"] != "contact" || a["authorName"] != "Aino Virtanen" {
				t.Fatalf("answer %s", r.Body)
			}
			if r.Header.Get("Location") != "/portal/v1/comments/"+r.data()["id"].(string) {
				t.Fatalf("Location %q", r.Header.Get("Location"))
			}
			var cm model.Comment
			if err := e.db.NewSelect().Model(&cm).Where("id = ?", atoi(r.data()["id"].(string))).Scan(context.Background()); err != nil {
				t.Fatal(err)
			}
			if cm.AuthorContactID == nil || *cm.AuthorContactID != contact || cm.AuthorUserID != nil || cm.TargetType != tc.stored || cm.TargetID != tc.targetID {
				t.Fatalf("row %+v", cm)
			}
			if rec := e.lastChange("comments", cm.ID); rec.Action != "create" || rec.ActorContactID == nil || *rec.ActorContactID != contact {
				t.Fatalf("history %+v", rec)
			}
		})
	}
	t.Run("the list has the firm's and the contact's comments in order", func(t *testing.T) {
		list := e.do(call{method: "GET", path: base, token: token}).must(t, http.StatusOK).dataList()
		if len(list) != 5 || list[0]["id"] != id(staff) || attrs(list[0])["authorKind"] != "staff" || attrs(list[0])["mine"] != false {
			t.Fatalf("list %v", list)
		}
		e.do(call{method: "GET", path: "/portal/v1/comments/" + id(staff), token: token}).must(t, http.StatusOK)
	})
	for name, body := range map[string]map[string]any{
		"an empty comment":                           commentBody("  ", "", 0),
		"a comment over 5000 characters":             commentBody(strings.Repeat("x", 5001), "", 0),
		"a target that is not a case, phase or file": commentBody("x", "invoices", 1),
	} {
		t.Run(name+" is a 400", func(t *testing.T) {
			e.do(call{method: "POST", path: base, token: token, body: body, lax: true}).must(t, http.StatusBadRequest)
		})
	}
	t.Run("another case as the target is a 404", func(t *testing.T) {
		e.do(call{method: "POST", path: base, token: token, body: commentBody("x", "cases", e.caseID(pricing))}).must(t, http.StatusNotFound)
	})
	t.Run("a missing phase is a 404", func(t *testing.T) {
		e.do(call{method: "POST", path: base, token: token, body: commentBody("x", "phases", 987654)}).must(t, http.StatusNotFound)
	})
}
