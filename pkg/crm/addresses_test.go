package crm_test

import (
	"context"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
)

// TestAddresses: rules ACC-1, ACC-4, ACC-5 and ACC-7, as for accounts and contacts.
func TestAddresses(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dina, kim, ada := f.actor(t, "dina"), f.actor(t, "kim"), f.actor(t, "ada")
	acme := f.acme(t)
	var id int64

	t.Run("rule ACC-5: view_and_edit adds an address, visiting unless said", func(t *testing.T) {
		ad, err := f.svc.CreateAddress(ctx, dina, crm.AddressInput{City: ptr(" Oulu "), AccountID: &acme})
		if err != nil {
			t.Fatal(err)
		}
		if ad.Kind != "visiting" || ad.City != "Oulu" || f.history(t, "addresses", ad.ID, "create") != 1 {
			t.Fatalf("created %+v", ad)
		}
		id = ad.ID
	})
	t.Run("rule ACC-4: read_only reads it, alone and in a batch, but may not add one", func(t *testing.T) {
		if ad, err := f.svc.Address(ctx, kim, id); err != nil || ad.City != "Oulu" {
			t.Fatalf("%+v, %v", ad, err)
		}
		if batch, err := f.svc.AddressesByID(ctx, kim, []int64{id}); err != nil || len(batch) != 1 {
			t.Fatalf("batch %+v, %v", batch, err)
		}
		_, err := f.svc.CreateAddress(ctx, kim, crm.AddressInput{AccountID: &acme})
		mustRule(t, err, "ACC-5")
	})
	t.Run("rule ACC-1: none sees no address", func(t *testing.T) {
		none := f.actor(t, "kim", accountsNone)
		if got := rows(t, f.svc.AddressList(none)); len(got) != 0 {
			t.Fatalf("%d addresses", len(got))
		}
		_, err := f.svc.Address(ctx, none, id)
		mustCode(t, err, apperr.NotFound)
	})
	t.Run("an address needs an account and a known kind", func(t *testing.T) {
		_, err := f.svc.CreateAddress(ctx, dina, crm.AddressInput{City: ptr("Oulu")})
		mustCode(t, err, apperr.Invalid)
		_, err = f.svc.CreateAddress(ctx, dina, crm.AddressInput{Kind: ptr("summer"), AccountID: &acme})
		mustCode(t, err, apperr.Invalid)
		_, err = f.svc.UpdateAddress(ctx, dina, id, crm.AddressInput{Kind: ptr("summer")}, domain.AnyVersion)
		mustCode(t, err, apperr.Invalid)
	})
	t.Run("rule ACC-5: view_and_edit updates the version it edited", func(t *testing.T) {
		ad, err := f.svc.UpdateAddress(ctx, dina, id, crm.AddressInput{Kind: ptr("postal"), City: ptr("Tampere")}, domain.Version(1))
		if err != nil || ad.Kind != "postal" || ad.City != "Tampere" || ad.Version != 2 {
			t.Fatalf("%+v, %v", ad, err)
		}
		_, err = f.svc.UpdateAddress(ctx, dina, id, crm.AddressInput{City: ptr("Turku")}, domain.Version(1))
		mustCode(t, err, apperr.Stale)
	})
	t.Run("rule ACC-7: deleting needs delete_accounts", func(t *testing.T) {
		mustRule(t, f.svc.DeleteAddress(ctx, dina, id), "ACC-7")
		if err := f.svc.DeleteAddress(ctx, ada, id); err != nil {
			t.Fatal(err)
		}
		if f.history(t, "addresses", id, "delete") != 1 {
			t.Fatal("no history of the deletion")
		}
		mustCode(t, f.svc.DeleteAddress(ctx, ada, id), apperr.NotFound)
	})
}
