package access_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// demoDB returns a database holding the demo organisation.
func demoDB(t *testing.T) *bun.DB {
	t.Helper()
	db := dbtest.Open(t)
	if _, err := demo.Load(context.Background(), db, time.Now); err != nil {
		t.Fatal(err)
	}
	return db
}

// mustUser reads a demo user's row, as a request does before asking for its subject.
func mustUser(t *testing.T, db bun.IDB, key string) *model.User {
	t.Helper()
	var u model.User
	if err := db.NewSelect().Model(&u).Where("email = ?", key+"@northwind.example").Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return &u
}

func mustSubject(t *testing.T, c *access.Cache, db bun.IDB, u *model.User) *rights.Subject {
	t.Helper()
	s, err := c.Subject(context.Background(), db, u)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustBump(t *testing.T, db bun.IDB) {
	t.Helper()
	if err := access.Bump(context.Background(), db); err != nil {
		t.Fatal(err)
	}
}

func mustEpoch(t *testing.T, db bun.IDB) int64 {
	t.Helper()
	n, err := access.Epoch(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCacheKeys: a cached subject serves while the rights epoch and the user's row stay as
// they were, and is rebuilt on the first request after either moves (PRF-6).
func TestCacheKeys(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	cache := access.NewCache(0)

	t.Run("hit while nothing changed", func(t *testing.T) {
		u := mustUser(t, db, "carl")
		first := mustSubject(t, cache, db, u)
		if again := mustSubject(t, cache, db, mustUser(t, db, "carl")); again != first {
			t.Fatal("unchanged user and epoch: the subject was rebuilt")
		}
		fresh, err := access.LoadSubject(ctx, db, u)
		if err != nil {
			t.Fatal(err)
		}
		if first.Rights != fresh.Rights || !sameSet(first.Subordinates, fresh.Subordinates) || !sameSet(first.MemberOf, fresh.MemberOf) ||
			!sameSet(first.OwnUnits, fresh.OwnUnits) {
			t.Fatal("cached subject differs from LoadSubject's")
		}
	})

	t.Run("rule PRF-6: miss after Bump", func(t *testing.T) {
		u := mustUser(t, db, "jon")
		before := mustSubject(t, cache, db, u)
		if before.Rights.Cases == rights.CasesOwnUnit {
			t.Fatal("precondition: jon is not own_unit yet")
		}
		if _, err := db.NewInsert().Model(&model.RightOverride{UserID: u.ID, RightName: rights.ColCases, Value: "own_unit"}).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		// The contract: a writer that forgets Bump is not seen. This is what every write
		// path's Bump is for.
		if s := mustSubject(t, cache, db, u); s != before {
			t.Fatal("without a Bump the cached subject should still serve")
		}
		epoch := mustEpoch(t, db)
		mustBump(t, db)
		if got := mustEpoch(t, db); got != epoch+1 {
			t.Fatalf("epoch %d after Bump, want %d", got, epoch+1)
		}
		after := mustSubject(t, cache, db, u)
		if after == before || after.Rights.Cases != rights.CasesOwnUnit {
			t.Fatalf("after Bump: rebuilt=%v cases=%v", after != before, after.Rights.Cases)
		}
		if again := mustSubject(t, cache, db, u); again != after {
			t.Fatal("the rebuilt subject is not cached")
		}
	})

	t.Run("rule PRF-6: miss when the user row changed", func(t *testing.T) {
		u := mustUser(t, db, "gus")
		before := mustSubject(t, cache, db, u)
		var controller model.Profile
		if err := db.NewSelect().Model(&controller).Where("key = ?", rights.ProfileBusinessController).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		// A request that read the row after a profile switch: no Bump is needed for the
		// user's own row to count.
		switched := *u
		switched.ProfileID = controller.ID
		after := mustSubject(t, cache, db, &switched)
		if after == before || after.ProfileID != controller.ID || after.Rights.Cases != rights.CasesAll {
			t.Fatalf("profile switch not seen: rebuilt=%v profile=%d cases=%v", after != before, after.ProfileID, after.Rights.Cases)
		}
		for name, change := range map[string]func(*model.User){
			"unit":       func(u *model.User) { u.UnitID++ },
			"api switch": func(u *model.User) { u.APIAccess = !u.APIAccess },
			"version":    func(u *model.User) { u.Version++ },
			"active":     func(u *model.User) { u.Active = !u.Active },
		} {
			cur := mustSubject(t, cache, db, u)
			moved := *u
			change(&moved)
			if s := mustSubject(t, cache, db, &moved); s == cur {
				t.Errorf("%s changed: the cached subject still served", name)
			}
		}
	})

	t.Run("every replica sees a Bump", func(t *testing.T) {
		other := access.NewCache(0)
		u := mustUser(t, db, "dina")
		a, b := mustSubject(t, cache, db, u), mustSubject(t, other, db, u)
		mustBump(t, db)
		if mustSubject(t, cache, db, u) == a || mustSubject(t, other, db, u) == b {
			t.Fatal("a replica kept its subject after a Bump")
		}
	})
}

// TestCacheBound: the cache keeps at most its size, dropping the least recently used.
func TestCacheBound(t *testing.T) {
	db := demoDB(t)
	cache := access.NewCache(2)
	ada, bea, carl := mustUser(t, db, "ada"), mustUser(t, db, "bea"), mustUser(t, db, "carl")
	sAda := mustSubject(t, cache, db, ada)
	sBea := mustSubject(t, cache, db, bea)
	if mustSubject(t, cache, db, ada) != sAda { // ada is now the most recent
		t.Fatal("ada not cached")
	}
	mustSubject(t, cache, db, carl) // evicts bea
	if n := cache.Len(); n != 2 {
		t.Fatalf("%d subjects cached, want 2", n)
	}
	if mustSubject(t, cache, db, ada) != sAda {
		t.Fatal("the recently used subject was evicted")
	}
	if mustSubject(t, cache, db, bea) == sBea {
		t.Fatal("the least recently used subject was kept")
	}
}

// TestCacheConcurrent: many requests at once, with rights changes among them, all get a
// subject and none a torn one (run with -race).
func TestCacheConcurrent(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	cache := access.NewCache(4)
	var users []*model.User
	for _, k := range []string{"ada", "bea", "carl", "dina", "erik", "fay", "gus", "hana"} {
		users = append(users, mustUser(t, db, k))
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 4 {
		wg.Go(func() {
			for i := range 40 {
				u := users[(g*7+i)%len(users)]
				s, err := cache.Subject(ctx, db, u)
				if err != nil {
					errs <- err
					return
				}
				if s.UserID != u.ID {
					errs <- errors.New("subject of another user")
					return
				}
				if i%10 == 0 {
					if err := access.Bump(ctx, db); err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := cache.Len(); n > 4 {
		t.Fatalf("%d subjects cached, bound is 4", n)
	}
}

// TestEpochRowMissing: without the migrated row, Bump and the cache fail loudly rather
// than serve subjects that nothing can invalidate.
func TestEpochRowMissing(t *testing.T) {
	db := demoDB(t)
	ctx := context.Background()
	u := mustUser(t, db, "ada")
	if _, err := db.NewDelete().Table("rights_epoch").Where("id = 1").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if err := access.Bump(ctx, db); !errors.Is(err, access.ErrNoEpoch) {
		t.Fatalf("Bump: %v, want ErrNoEpoch", err)
	}
	if _, err := access.NewCache(0).Subject(ctx, db, u); !errors.Is(err, access.ErrNoEpoch) {
		t.Fatalf("Subject: %v, want ErrNoEpoch", err)
	}
}
