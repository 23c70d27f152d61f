package access_test

import (
	"context"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// TestBulkSubjectsMatchPerRequestSubjects: the one-pass loader and the per-request loader
// build the same subjects (ORG-2 subordinates, ORG-3 unit closure, ORG-5 effective rights).
func TestBulkSubjectsMatchPerRequestSubjects(t *testing.T) {
	db := dbtest.Open(t)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, time.Now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.NewInsert().Model(&model.RightOverride{UserID: 5, RightName: rights.ColCases, Value: "own_unit"}).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := access.LoadAllSubjects(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 12 {
		t.Fatalf("%d subjects, want 12", len(all))
	}
	for _, bulk := range all {
		var u model.User
		if err := db.NewSelect().Model(&u).Where("id = ?", bulk.UserID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		one, err := access.LoadSubject(ctx, db, &u)
		if err != nil {
			t.Fatal(err)
		}
		if one.Rights != bulk.Rights || one.UnitID != bulk.UnitID || one.ProfileID != bulk.ProfileID {
			t.Errorf("user %d: rights or unit differ", u.ID)
		}
		for name, pair := range map[string][2]rights.Set{"subordinates": {one.Subordinates, bulk.Subordinates},
			"own units": {one.OwnUnits, bulk.OwnUnits}, "member of": {one.MemberOf, bulk.MemberOf}} {
			if !sameSet(pair[0], pair[1]) {
				t.Errorf("user %d %s: %v vs %v", u.ID, name, pair[0].IDs(), pair[1].IDs())
			}
		}
	}
	// rule ORG-2: the head's subordinates are everyone else, transitively.
	if all[0].Subordinates.Len() != 11 {
		t.Errorf("head has %d subordinates, want 11", all[0].Subordinates.Len())
	}
	// rule ORG-5: the override replaced the profile's Cases level.
	if all[4].Rights.Cases != rights.CasesOwnUnit {
		t.Errorf("override not applied: cases = %v", all[4].Rights.Cases)
	}
}

func sameSet(a, b rights.Set) bool {
	if a.Len() != b.Len() {
		return false
	}
	for _, id := range a.IDs() {
		if !b.Has(id) {
			return false
		}
	}
	return true
}
