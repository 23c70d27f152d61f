package server_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
)

// participantsRel is a to-many write of users for an activity's participants.
func participantsRel(ids ...string) map[string]any {
	data := []any{}
	for _, id := range ids {
		data = append(data, map[string]any{"type": "users", "id": id})
	}
	return map[string]any{"data": data}
}

// storedActivity is the activity row and its participants as the database holds them.
type storedActivity struct {
	model.Activity
	participants []int64
}

func (e *env) storedActivity(t *testing.T, id string) storedActivity {
	t.Helper()
	ctx := context.Background()
	var a storedActivity
	if err := e.db.NewSelect().Model(&a.Activity).Where("id = ?", id).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	if err := e.db.NewSelect().Model((*model.ActivityParticipant)(nil)).Column("user_id").Where("activity_id = ?", id).
		OrderExpr("user_id").Scan(ctx, &a.participants); err != nil {
		t.Fatal(err)
	}
	return a
}

// mustRefuse checks a 403 that names rule in meta.rules.
func mustRefuse(t *testing.T, r response, rule string) {
	t.Helper()
	if r.Status != http.StatusForbidden {
		t.Fatalf("status %d, want 403: %s", r.Status, r.Body)
	}
	errs, _ := r.Doc["errors"].([]any)
	meta, _ := errs[0].(map[string]any)["meta"].(map[string]any)
	rules, _ := meta["rules"].(string)
	if !slices.Contains(strings.Split(rules, ","), rule) {
		t.Fatalf("meta.rules %q does not name %s: %s", rules, rule, r.Body)
	}
}

// TestParticipantCannotExposePrivateActivity: rule ACT-5 and ACT-3. Lea takes part in erik's
// personal "Dentist"; she may edit its text, but adding someone, making it work, putting it on
// a case or an account would show its content to people who see "Private". Each attempt is a
// 403 naming the rule and leaves the row, its version and its participants as they were.
func TestParticipantCannotExposePrivateActivity(t *testing.T) {
	e := newEnv(t)
	lea, carl := e.login("lea"), e.login("carl")
	id := e.resolve("{activity:Dentist}")
	path := "/api/v1/activities/" + id
	was := e.storedActivity(t, id)
	if len(was.participants) != 1 || strconv.FormatInt(was.participants[0], 10) != e.userID("lea") || was.Category != "personal" {
		t.Fatalf("demo data changed: %+v", was)
	}

	attempts := []struct {
		name  string
		attrs map[string]any
		rels  map[string]any
	}{
		{"rule ACT-5: adding carl", nil, map[string]any{"participants": participantsRel(e.userID("lea"), e.userID("carl"))}},
		{"rule ACT-5: switching the category to work", map[string]any{"category": "work"}, nil},
		{"rule ACT-5: switching the category to todo with a new name", map[string]any{"category": "todo", "name": "Renamed"}, nil},
		{"rule ACT-5: putting it on her case", nil, map[string]any{"case": rel("cases", e.caseID("Globex pricing study"))}},
		{"rule ACT-5: linking it to an account", nil, map[string]any{"account": rel("accounts", e.resolve("{account:Acme Oy}"))}},
		{"rule ACT-5: replacing herself with carl", nil, map[string]any{"participants": participantsRel(e.userID("carl"))}},
		{"rule ACT-3: removing herself by PATCH instead of leaving", nil, map[string]any{"participants": participantsRel()}},
	}
	for _, tc := range attempts {
		t.Run(tc.name, func(t *testing.T) {
			in := map[string]any{"version": was.Version}
			for k, v := range tc.attrs {
				in[k] = v
			}
			r := e.do(call{method: "PATCH", path: path, token: lea, body: patchDoc("activities", id, in, tc.rels)})
			mustRefuse(t, r, "ACT-5")
			now := e.storedActivity(t, id)
			if now.Version != was.Version || now.Category != was.Category || now.Name != was.Name || now.CaseID != nil ||
				now.AccountID != nil || !slices.Equal(now.participants, was.participants) {
				t.Fatalf("the refused change was stored: %+v, was %+v", now, was)
			}
			if got := e.do(call{method: "GET", path: path, token: carl}); attrs(got.Doc["data"].(map[string]any))["name"] != nil {
				t.Fatalf("carl reads the private activity: %s", got.Body)
			}
		})
	}

	t.Run("rule ACT-3: a participant edits the text, sending the participants back unchanged", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: path, token: lea, body: patchDoc("activities", id,
			map[string]any{"version": was.Version, "description": "Moved to Friday", "category": "personal"},
			map[string]any{"participants": participantsRel(e.userID("lea"))})})
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if now := e.storedActivity(t, id); now.Description != "Moved to Friday" || now.Category != "personal" {
			t.Fatalf("stored %+v", now)
		}
	})
	t.Run("rule ACT-3: a participant removes themself through the relationship", func(t *testing.T) {
		r := e.do(call{method: "DELETE", path: path + "/relationships/participants", token: lea, body: participantsRel(e.userID("lea"))})
		if r.Status != http.StatusNoContent {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if now := e.storedActivity(t, id); len(now.participants) != 0 {
			t.Fatalf("participants %v", now.participants)
		}
	})
	t.Run("rule ACT-3: the owner decides who takes part", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: path, token: e.login("erik"), body: patchDoc("activities", id,
			map[string]any{"version": e.version("activities", id)}, map[string]any{"participants": participantsRel(e.userID("carl"))})})
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if got := e.do(call{method: "GET", path: path, token: carl}); attrs(got.Doc["data"].(map[string]any))["name"] != "Dentist" {
			t.Fatalf("the participant the owner added does not read it: %s", got.Body)
		}
	})
}

// TestParticipantCannotChangeWhoTakesPart: rule ACT-3. On a work activity too, a participant
// edits but does not add or remove others; the owner does.
func TestParticipantCannotChangeWhoTakesPart(t *testing.T) {
	e := newEnv(t)
	erik, lea := e.login("erik"), e.login("lea")
	r := e.do(call{method: "POST", path: "/api/v1/activities", token: erik, body: map[string]any{"data": map[string]any{"type": "activities",
		"attributes": map[string]any{"category": "work", "name": "Review", "description": "Draft findings",
			"startsAt": "2026-11-26T09:00:00Z", "endsAt": "2026-11-26T10:00:00Z"},
		"relationships": map[string]any{"participants": participantsRel(e.userID("lea"), e.userID("fay"))}}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("owner creates with participants: %d %s", r.Status, r.Body)
	}
	id := r.Doc["data"].(map[string]any)["id"].(string)
	path := "/api/v1/activities/" + id
	was := e.storedActivity(t, id)

	for _, tc := range []struct {
		name  string
		attrs map[string]any
		rels  map[string]any
	}{
		{"rule ACT-3: adding kim", nil, map[string]any{"participants": participantsRel(e.userID("lea"), e.userID("fay"), e.userID("kim"))}},
		{"rule ACT-3: removing fay", nil, map[string]any{"participants": participantsRel(e.userID("lea"))}},
		{"rule ACT-3: changing the category", map[string]any{"category": "todo"}, nil},
		{"rule ACT-3: linking an account", nil, map[string]any{"account": rel("accounts", e.resolve("{account:Acme Oy}"))}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := map[string]any{"version": was.Version}
			for k, v := range tc.attrs {
				in[k] = v
			}
			mustRefuse(t, e.do(call{method: "PATCH", path: path, token: lea, body: patchDoc("activities", id, in, tc.rels)}), "ACT-3")
			now := e.storedActivity(t, id)
			if now.Version != was.Version || now.Category != was.Category || now.AccountID != nil || !slices.Equal(now.participants, was.participants) {
				t.Fatalf("the refused change was stored: %+v, was %+v", now, was)
			}
		})
	}
	t.Run("rule ACT-3: the owner adds kim", func(t *testing.T) {
		r := e.do(call{method: "PATCH", path: path, token: erik, body: patchDoc("activities", id, map[string]any{"version": was.Version},
			map[string]any{"participants": participantsRel(e.userID("lea"), e.userID("fay"), e.userID("kim"))})})
		if r.Status != http.StatusOK {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if now := e.storedActivity(t, id); len(now.participants) != 3 {
			t.Fatalf("participants %v", now.participants)
		}
	})
}
