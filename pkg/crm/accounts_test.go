package crm_test

import (
	"context"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/rights"
)

// TestAccountReads: rules ACC-1 and ACC-4. Accounts read_only sees every account, in the
// list, one by one and in a batch alike; Accounts none sees none, and a single account is
// missing to them, exactly like one that does not exist.
func TestAccountReads(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	acme := f.acme(t)
	kim := f.actor(t, "kim")
	t.Run("rule ACC-4: read_only lists, reads and batches every account", func(t *testing.T) {
		if got := rows(t, f.svc.AccountList(kim)); len(got) != 3 {
			t.Fatalf("%d accounts, want 3", len(got))
		}
		a, err := f.svc.Account(ctx, kim, acme)
		if err != nil || a.Name != "Acme Oy" {
			t.Fatalf("account %+v, %v", a, err)
		}
		batch, err := f.svc.AccountsByID(ctx, kim, []int64{acme, 999999})
		if err != nil || len(batch) != 1 || batch[0].ID != acme {
			t.Fatalf("batch %+v, %v", batch, err)
		}
	})
	t.Run("rule ACC-1: none sees nothing, and an account is as missing as one that does not exist", func(t *testing.T) {
		none := f.actor(t, "erik", accountsNone)
		if got := rows(t, f.svc.AccountList(none)); len(got) != 0 {
			t.Fatalf("%d accounts, want none", len(got))
		}
		_, hidden := f.svc.Account(ctx, none, acme)
		mustCode(t, hidden, apperr.NotFound)
		if batch, err := f.svc.AccountsByID(ctx, none, []int64{acme}); err != nil || len(batch) != 0 {
			t.Fatalf("batch %+v, %v", batch, err)
		}
	})
	t.Run("a missing account is NotFound", func(t *testing.T) {
		_, err := f.svc.Account(ctx, kim, 999999)
		mustCode(t, err, apperr.NotFound)
	})
}

// TestAccountWrites: rules ACC-4, ACC-5 and ACC-7 through the one write path.
func TestAccountWrites(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	carl, kim, ada := f.actor(t, "carl"), f.actor(t, "kim"), f.actor(t, "ada")
	acme := f.acme(t)

	t.Run("rule ACC-5: view_and_edit creates, trimmed, with its history", func(t *testing.T) {
		a, err := f.svc.CreateAccount(ctx, carl, crm.AccountInput{Name: ptr("  Umbrella Oy "), Website: ptr("https://umbrella.example")})
		if err != nil {
			t.Fatal(err)
		}
		if a.ID == 0 || a.Name != "Umbrella Oy" || a.Version != 1 || !a.CreatedAt.Equal(f.now) {
			t.Fatalf("created %+v", a)
		}
		if f.history(t, "accounts", a.ID, "create") != 1 {
			t.Fatal("no history of the creation")
		}
	})
	t.Run("rule ACC-4: read_only may not create", func(t *testing.T) {
		_, err := f.svc.CreateAccount(ctx, kim, crm.AccountInput{Name: ptr("Nope")})
		mustRule(t, err, "ACC-5")
	})
	t.Run("rule ACC-1: none does not even see where to create", func(t *testing.T) {
		_, err := f.svc.CreateAccount(ctx, f.actor(t, "carl", accountsNone), crm.AccountInput{Name: ptr("Nope")})
		mustCode(t, err, apperr.NotFound)
	})
	t.Run("a name is required", func(t *testing.T) {
		_, err := f.svc.CreateAccount(ctx, carl, crm.AccountInput{Name: ptr("  ")})
		mustCode(t, err, apperr.Invalid)
	})
	t.Run("rule ACC-5: view_and_edit updates the version it edited", func(t *testing.T) {
		a, err := f.svc.UpdateAccount(ctx, carl, acme, crm.AccountInput{Website: ptr("https://acme.example")}, domain.Version(1))
		if err != nil {
			t.Fatal(err)
		}
		if a.Website != "https://acme.example" || a.Version != 2 || f.history(t, "accounts", acme, "update") != 1 {
			t.Fatalf("updated %+v", a)
		}
		_, err = f.svc.UpdateAccount(ctx, carl, acme, crm.AccountInput{Website: ptr("https://old.example")}, domain.Version(1))
		mustCode(t, err, apperr.Stale)
	})
	t.Run("a name may not be emptied", func(t *testing.T) {
		_, err := f.svc.UpdateAccount(ctx, carl, acme, crm.AccountInput{Name: ptr("")}, domain.AnyVersion)
		mustCode(t, err, apperr.Invalid)
	})
	t.Run("rule ACC-5: read_only may not update", func(t *testing.T) {
		_, err := f.svc.UpdateAccount(ctx, kim, acme, crm.AccountInput{Website: ptr("x")}, domain.AnyVersion)
		mustRule(t, err, "ACC-5")
	})
	t.Run("rule ACC-1: what none may not view stays missing whatever the request holds", func(t *testing.T) {
		bad := domain.Expect{Err: apperr.E(apperr.Invalid, "bad body")}
		_, err := f.svc.UpdateAccount(ctx, f.actor(t, "carl", accountsNone), acme, crm.AccountInput{}, bad)
		mustCode(t, err, apperr.NotFound)
	})
	t.Run("rule ACC-7: deleting needs delete_accounts", func(t *testing.T) {
		a, err := f.svc.CreateAccount(ctx, carl, crm.AccountInput{Name: ptr("Short-lived Oy")})
		if err != nil {
			t.Fatal(err)
		}
		mustRule(t, f.svc.DeleteAccount(ctx, carl, a.ID), "ACC-7")
		if err := f.svc.DeleteAccount(ctx, ada, a.ID); err != nil {
			t.Fatal(err)
		}
		if f.history(t, "accounts", a.ID, "delete") != 1 {
			t.Fatal("no history of the deletion")
		}
		mustCode(t, f.svc.DeleteAccount(ctx, ada, a.ID), apperr.NotFound)
	})
	t.Run("an account with cases stays", func(t *testing.T) {
		mustCode(t, f.svc.DeleteAccount(ctx, ada, acme), apperr.Conflict)
		if _, err := f.svc.Account(ctx, ada, acme); err != nil {
			t.Fatal(err)
		}
	})
}

// TestExplainAccount: explain decides for another user's subject with the same rule
// (ACC-1, ACC-4, ACC-5, ACC-7).
func TestExplainAccount(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	acme := f.acme(t)
	kim := f.actor(t, "kim").Subject
	for action, allow := range map[string]bool{"view": true, "edit": false, "delete": false} {
		d, err := f.svc.ExplainAccount(ctx, kim, acme, action)
		if err != nil || d.Allow != allow {
			t.Fatalf("%s: %+v, %v", action, d, err)
		}
	}
	_, err := f.svc.ExplainAccount(ctx, kim, acme, "approve")
	mustCode(t, err, apperr.Invalid)
	_, err = f.svc.ExplainAccount(ctx, kim, 999999, "view")
	mustCode(t, err, apperr.NotFound)
	if d, _ := f.svc.ExplainAccount(ctx, f.actor(t, "kim", accountsNone).Subject, acme, "view"); d.Allow ||
		d.Reason != rights.ReasonAccountsNone {
		t.Fatalf("none: %+v", d)
	}
}
