package gen

import (
	"context"
	"fmt"

	"github.com/caseroom/caseroom/pkg/model"
)

// account is a generated customer.
type account struct {
	id int64
	// short is the name without the company form, for naming cases ("Nordic Timber").
	short string
}

// genAccounts inserts the customers, each with a visiting address and one to three contacts.
func (g *generator) genAccounts(ctx context.Context) error {
	n := g.sizes.Accounts
	g.accounts = make([]account, n)
	accounts := make([]model.Account, n)
	addresses := make([]model.Address, n)
	var contacts []model.Contact
	names := uniqueNames{}
	t := g.cal.at(0, 9)
	for i := range accounts {
		short := oneOf(g.rng, companyWords) + " " + oneOf(g.rng, companyNouns)
		name := names.make(short + " " + oneOf(g.rng, companyForms))
		a := account{id: g.seq.accounts.take(), short: short}
		g.accounts[i] = a
		domain := mailbox(short) + ".example"
		accounts[i] = model.Account{ID: a.id, Name: name, BusinessID: fmt.Sprintf("%07d-%d", 1000000+i, i%10),
			Website: "https://www." + domain, Version: 1, CreatedAt: t, UpdatedAt: t}
		addresses[i] = model.Address{ID: g.seq.addresses.take(), AccountID: a.id, Kind: "visiting",
			Street:     fmt.Sprintf("%s %d", oneOf(g.rng, streetNames), between(g.rng, 1, 99)),
			PostalCode: fmt.Sprintf("%05d", g.rng.IntN(100000)), City: oneOf(g.rng, placeNames), Country: "FI",
			Version: 1, CreatedAt: t, UpdatedAt: t}
		for range between(g.rng, 1, 3) {
			first, last := oneOf(g.rng, firstNames), oneOf(g.rng, lastNames)
			contacts = append(contacts, model.Contact{ID: g.seq.contacts.take(), AccountID: a.id, FirstName: first,
				LastName: last, Email: mailbox(first+" "+last) + "@" + domain, Title: oneOf(g.rng, contactTitles),
				Active: true, Version: 1, CreatedAt: t, UpdatedAt: t})
		}
	}
	for _, step := range []func() error{
		func() error { return insertRows(ctx, g.w, "accounts", accounts) },
		func() error { return insertRows(ctx, g.w, "addresses", addresses) },
		func() error { return insertRows(ctx, g.w, "contacts", contacts) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	g.progress.report("accounts", n, n)
	return nil
}

// accountWeights are the weights of the accounts as owners of cases: lognormal, so that a
// few big customers have dozens of cases.
func (g *generator) accountWeights() []float64 {
	w := make([]float64, len(g.accounts))
	for i := range w {
		w[i] = lognormal(g.rng, 0, 1.2)
	}
	return w
}
