package access_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/bootstrap"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/model"
)

// bigOrg inserts 200 units (a tree, fan-out 5) and 5,000 users (a supervisor tree, fan-out
// 8) on the Project manager profile, and returns the head and a leaf user.
func bigOrg(b *testing.B, db *bun.DB) (head, leaf *model.User) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	if err := bootstrap.Ensure(ctx, db, time.Now); err != nil {
		b.Fatal(err)
	}
	var prof model.Profile
	if err := db.NewSelect().Model(&prof).Where("key = 'project_manager'").Scan(ctx); err != nil {
		b.Fatal(err)
	}
	units := make([]model.BusinessUnit, 200)
	for i := range units {
		units[i] = model.BusinessUnit{Name: fmt.Sprintf("unit %d", i), Version: 1, CreatedAt: now, UpdatedAt: now}
		if i > 0 {
			p := units[(i-1)/5].ID
			units[i].ParentID = &p
		}
		if _, err := db.NewInsert().Model(&units[i]).Returning("id").Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	users := make([]model.User, 5000)
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i := range users {
			users[i] = model.User{Email: fmt.Sprintf("u%d@x.example", i), Name: "u", PasswordHash: "-", UnitID: units[i%200].ID,
				ProfileID: prof.ID, Active: true, Version: 1, CreatedAt: now, UpdatedAt: now}
			if i > 0 {
				s := users[(i-1)/8].ID
				users[i].SupervisorID = &s
			}
			if _, err := tx.NewInsert().Model(&users[i]).Returning("id").Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return &users[0], &users[4999]
}

// BenchmarkLoadSubject measures building a caller's subject from the database in an
// organisation of 5,000 users and 200 units: what a request pays when its replica's Cache
// has no current subject (after a rights change, PRF-6), and every request paid before.
func BenchmarkLoadSubject(b *testing.B) {
	db := dbtest.Open(b)
	head, leaf := bigOrg(b, db)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		u    *model.User
	}{{"head_4999_subordinates", head}, {"leaf_user", leaf}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := access.LoadSubject(ctx, db, tc.u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoadAllSubjects measures the bulk loader behind "who can view this case".
func BenchmarkLoadAllSubjects(b *testing.B) {
	db := dbtest.Open(b)
	bigOrg(b, db)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := access.LoadAllSubjects(ctx, db); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCachedSubject measures the same requests as BenchmarkLoadSubject when the
// replica's cache holds the subject and nothing changed: one read of the rights epoch
// (PRF-6 still holds: every rights write moves the epoch, see access.Bump).
func BenchmarkCachedSubject(b *testing.B) {
	db := dbtest.Open(b)
	head, leaf := bigOrg(b, db)
	ctx := context.Background()
	cache := access.NewCache(0)
	for _, tc := range []struct {
		name string
		u    *model.User
	}{{"head_4999_subordinates", head}, {"leaf_user", leaf}} {
		b.Run(tc.name, func(b *testing.B) {
			if _, err := cache.Subject(ctx, db, tc.u); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := cache.Subject(ctx, db, tc.u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
