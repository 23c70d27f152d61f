package bootstrap_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/bootstrap"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// TestEnsureAndFirstAdmin: rule PRF-1. A new database gets the default profiles and
// statuses, idempotently, and its first user is an Administrator at the head of the tree.
func TestEnsureAndFirstAdmin(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	for i := 0; i < 2; i++ {
		if err := bootstrap.Ensure(ctx, d, time.Now); err != nil {
			t.Fatal(err)
		}
	}
	n, _ := d.NewSelect().Model((*model.Profile)(nil)).Count(ctx)
	if n != int64(len(rights.DefaultProfiles())) {
		t.Fatalf("%d profiles after two Ensure calls", n)
	}
	pw, err := bootstrap.FirstAdmin(ctx, d, time.Now, "Boss@Firm.example", "The Boss", "Firm Oy", "")
	if err != nil {
		t.Fatal(err)
	}
	var u model.User
	if err := d.NewSelect().Model(&u).Where("email = 'boss@firm.example'").Scan(ctx); err != nil {
		t.Fatal(err)
	}
	var p model.Profile
	if err := d.NewSelect().Model(&p).Where("id = ?", u.ProfileID).Scan(ctx); err != nil || p.Key == nil || *p.Key != rights.ProfileAdministrator {
		t.Fatalf("first user's profile %+v", p)
	}
	if u.SupervisorID != nil || auth.CheckPassword(u.PasswordHash, pw) != nil {
		t.Fatal("the first user must be the head, with the returned password")
	}
	if _, err := bootstrap.FirstAdmin(ctx, d, time.Now, "second@firm.example", "Second", "Firm Oy", "a-long-password"); !errors.Is(err, bootstrap.ErrHasUsers) {
		t.Fatalf("a second first admin: %v", err)
	}
}
