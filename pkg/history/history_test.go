package history_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
)

func TestDiff(t *testing.T) {
	d := history.Diff(map[string]any{"name": "a", "same": 1, "gone": true}, map[string]any{"name": "b", "same": 1, "new": 2})
	if len(d) != 3 || d["name"].Before != "a" || d["name"].After != "b" || d["new"].After != 2 || d["gone"].Before != true {
		t.Fatalf("Diff = %#v", d)
	}
}

func TestRecord(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	err := history.Record(ctx, db, now, history.Entry{Actor: history.Actor{ContactID: 0, UserID: 0}, Action: "update",
		ResourceType: "cases", ResourceID: 7})
	if err != nil {
		t.Fatal(err)
	}
	n, _ := db.NewSelect().Model((*model.ChangeRecord)(nil)).Count(ctx)
	if n != 0 {
		t.Fatalf("an update without changes was recorded")
	}
	err = history.Record(ctx, db, now, history.Entry{Action: "update", ResourceType: "cases", ResourceID: 7, CaseID: 7,
		Changes: map[string]history.Change{"status": {Before: "open", After: "closed"}}})
	if err != nil {
		t.Fatal(err)
	}
	var rec model.ChangeRecord
	if err := db.NewSelect().Model(&rec).Limit(1).Scan(ctx); err != nil {
		t.Fatal(err)
	}
	var changes map[string]history.Change
	if err := json.Unmarshal([]byte(rec.Changes), &changes); err != nil {
		t.Fatal(err)
	}
	if changes["status"].Before != "open" || changes["status"].After != "closed" || rec.CaseID == nil || *rec.CaseID != 7 {
		t.Fatalf("recorded %+v", rec)
	}
	if !rec.OccurredAt.Equal(now) {
		t.Fatalf("occurred at %v, want %v", rec.OccurredAt, now)
	}
}
