package scope_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/caseroom/caseroom/pkg/rights"
)

// testOrg is a random organisation as plain data: what the property test inserts, what the
// decisions are computed from, and what the shrinker cuts down. Ids are chosen at random (not
// in insertion order) and inserted explicitly. Slices that form trees keep parents first.
type testOrg struct {
	Approval, Travel bool
	Statuses         []int64 // invoice status ids in list order: position = index
	Units            []unitRow
	Profiles         []profileRow
	Users            []userRow
	Accounts         []int64
	Contacts         []childRow // Parent is the account
	Addresses        []childRow // Parent is the account
	Cases            []caseRow
	Phases           []childRow // Parent is the case
	Files            []childRow // Parent is the case
	Hours            []hourRow
	Invoices         []invoiceRow
	Travels          []travelRow
	Activities       []activityRow
}

type unitRow struct{ ID, Parent int64 }

type profileRow struct {
	ID     int64
	Rights rights.Rights
}

type userRow struct {
	ID, Unit, Supervisor, Profile int64
	Overrides                     map[string]string // right name → stored text (ORG-5)
}

type childRow struct{ ID, Parent int64 }

type caseRow struct {
	ID, Owner, Unit, Account int64
	Members                  []int64
}

type hourRow struct{ ID, Case, User int64 }

type invoiceRow struct{ ID, Case, Status int64 }

type travelRow struct{ ID, User, Case int64 } // Case 0: none

type activityRow struct {
	ID, Owner     int64
	Category      rights.ActivityCategory
	Case, Account int64 // 0: none
	Participants  []int64
}

// genOrg draws one small organisation: 2–6 units, 3–12 users, a handful of rows of each kind.
func genOrg(rng *rand.Rand) *testOrg {
	o := &testOrg{Approval: rng.IntN(2) == 0, Travel: rng.IntN(2) == 0}
	o.Statuses = randomIDs(rng, 2+rng.IntN(3))
	for i, id := range randomIDs(rng, 2+rng.IntN(5)) {
		u := unitRow{ID: id}
		if i > 0 {
			u.Parent = o.Units[rng.IntN(i)].ID
		}
		o.Units = append(o.Units, u)
	}
	for _, id := range randomIDs(rng, 1+rng.IntN(4)) {
		o.Profiles = append(o.Profiles, profileRow{ID: id, Rights: randomRights(rng, len(o.Statuses))})
	}
	for i, id := range randomIDs(rng, 3+rng.IntN(10)) {
		u := userRow{ID: id, Unit: pick(rng, o.Units).ID, Profile: pick(rng, o.Profiles).ID}
		if i > 0 {
			u.Supervisor = o.Users[rng.IntN(i)].ID
		}
		u.Overrides = randomOverrides(rng, o.Statuses)
		o.Users = append(o.Users, u)
	}
	o.Accounts = randomIDs(rng, 1+rng.IntN(3))
	for _, a := range o.Accounts {
		for range rng.IntN(3) {
			o.Contacts = append(o.Contacts, childRow{Parent: a})
		}
		for range rng.IntN(2) {
			o.Addresses = append(o.Addresses, childRow{Parent: a})
		}
	}
	setIDs(rng, o.Contacts)
	setIDs(rng, o.Addresses)
	o.genCases(rng)
	o.genWork(rng)
	o.genActivities(rng)
	return o
}

func (o *testOrg) genCases(rng *rand.Rand) {
	for _, id := range randomIDs(rng, rng.IntN(7)) {
		c := caseRow{ID: id, Owner: pick(rng, o.Users).ID, Unit: pick(rng, o.Units).ID, Account: pick(rng, o.Accounts)}
		for _, u := range o.Users {
			if rng.IntN(4) == 0 {
				c.Members = append(c.Members, u.ID)
			}
		}
		o.Cases = append(o.Cases, c)
		for range rng.IntN(3) {
			o.Phases = append(o.Phases, childRow{Parent: id})
		}
		for range rng.IntN(2) {
			o.Files = append(o.Files, childRow{Parent: id})
		}
	}
	setIDs(rng, o.Phases)
	setIDs(rng, o.Files)
}

// genWork adds work hours (mostly by the case's people), invoices and travel.
func (o *testOrg) genWork(rng *rand.Rand) {
	for _, c := range o.Cases {
		people := append([]int64{c.Owner}, c.Members...)
		for range rng.IntN(4) {
			h := hourRow{Case: c.ID, User: pick(rng, people)}
			if rng.IntN(5) == 0 { // a former member's hours stay on the case
				h.User = pick(rng, o.Users).ID
			}
			o.Hours = append(o.Hours, h)
		}
		for range rng.IntN(3) {
			o.Invoices = append(o.Invoices, invoiceRow{Case: c.ID, Status: pick(rng, o.Statuses)})
		}
	}
	for range rng.IntN(6) {
		t := travelRow{User: pick(rng, o.Users).ID}
		if len(o.Cases) > 0 && rng.IntN(2) == 0 {
			t.Case = pick(rng, o.Cases).ID
		}
		o.Travels = append(o.Travels, t)
	}
	for i, id := range randomIDs(rng, len(o.Hours)) {
		o.Hours[i].ID = id
	}
	for i, id := range randomIDs(rng, len(o.Invoices)) {
		o.Invoices[i].ID = id
	}
	for i, id := range randomIDs(rng, len(o.Travels)) {
		o.Travels[i].ID = id
	}
}

func (o *testOrg) genActivities(rng *rand.Rand) {
	for _, id := range randomIDs(rng, rng.IntN(8)) {
		a := activityRow{ID: id, Owner: pick(rng, o.Users).ID, Category: rights.ActivityCategory(rng.IntN(4))}
		if len(o.Cases) > 0 && rng.IntN(3) == 0 {
			a.Case = pick(rng, o.Cases).ID
		}
		if rng.IntN(3) == 0 {
			a.Account = pick(rng, o.Accounts)
		}
		for _, u := range o.Users {
			if u.ID != a.Owner && rng.IntN(5) == 0 {
				a.Participants = append(a.Participants, u.ID)
			}
		}
		o.Activities = append(o.Activities, a)
	}
}

// randomRights draws every right and flag at random; invoice limits are positions among
// statuses statuses.
func randomRights(rng *rand.Rand, statuses int) rights.Rights {
	coin := func() bool { return rng.IntN(2) == 0 }
	limit := rights.InvoiceLimit{Any: true}
	if rng.IntN(3) > 0 {
		limit = rights.InvoiceLimit{UpTo: rng.IntN(statuses)}
	}
	return rights.Rights{
		Accounts: rights.AccountsLevel(rng.IntN(4)), DeleteAccounts: coin(),
		Cases: rights.CasesLevel(rng.IntN(7)), DeleteCases: coin(), OwnResourceAllocations: coin(),
		Join: rights.JoinLevel(rng.IntN(3)), Users: rights.UsersLevel(rng.IntN(4)),
		Invoice: limit, ScheduledInvoicing: coin(), Approval: rights.ApprovalLevel(rng.IntN(5)), ApproveOwnCases: coin(),
		Travel: rights.TravelLevel(rng.IntN(5)), Sharing: coin(), Admin: rights.AdminLevel(rng.IntN(3)),
	}
}

// randomOverrides overrides each right with probability 1/8, with a random valid value (ORG-5).
func randomOverrides(rng *rand.Rand, statuses []int64) map[string]string {
	out := map[string]string{}
	other := randomRights(rng, len(statuses))
	for _, col := range rights.Columns() {
		if rng.IntN(8) == 0 {
			v, err := other.Value(col, rights.StatusOrder(statuses))
			if err != nil {
				panic(err)
			}
			out[col] = v
		}
	}
	return out
}

// randomIDs returns n distinct ids in random order, so that no code can lean on ids growing
// with insertion order.
func randomIDs(rng *rand.Rand, n int) []int64 {
	out := make([]int64, n)
	for i, v := range rng.Perm(4*n + 4)[:n] {
		out[i] = int64(v) + 1
	}
	return out
}

func setIDs(rng *rand.Rand, rows []childRow) {
	for i, id := range randomIDs(rng, len(rows)) {
		rows[i].ID = id
	}
}

func pick[T any](rng *rand.Rand, s []T) T { return s[rng.IntN(len(s))] }

// clone returns a deep copy, for the shrinker.
func (o *testOrg) clone() *testOrg {
	c := *o
	c.Statuses, c.Units, c.Profiles = slices.Clone(o.Statuses), slices.Clone(o.Units), slices.Clone(o.Profiles)
	c.Users = slices.Clone(o.Users)
	for i := range c.Users {
		c.Users[i].Overrides = maps.Clone(c.Users[i].Overrides)
	}
	c.Accounts, c.Contacts, c.Addresses = slices.Clone(o.Accounts), slices.Clone(o.Contacts), slices.Clone(o.Addresses)
	c.Cases = slices.Clone(o.Cases)
	for i := range c.Cases {
		c.Cases[i].Members = slices.Clone(c.Cases[i].Members)
	}
	c.Phases, c.Files, c.Hours = slices.Clone(o.Phases), slices.Clone(o.Files), slices.Clone(o.Hours)
	c.Invoices, c.Travels = slices.Clone(o.Invoices), slices.Clone(o.Travels)
	c.Activities = slices.Clone(o.Activities)
	for i := range c.Activities {
		c.Activities[i].Participants = slices.Clone(c.Activities[i].Participants)
	}
	return &c
}

// String renders the organisation as the readable text a failing test prints.
func (o *testOrg) String() string {
	var b strings.Builder
	order := rights.StatusOrder(o.Statuses)
	fmt.Fprintf(&b, "settings: work-hour approval %v, travel %v\n", onOff(o.Approval), onOff(o.Travel))
	fmt.Fprintf(&b, "invoice statuses in order: %v\n", o.Statuses)
	for _, u := range o.Units {
		fmt.Fprintf(&b, "unit %d parent %s\n", u.ID, idOrDash(u.Parent))
	}
	for _, p := range o.Profiles {
		fmt.Fprintf(&b, "profile %d: %s\n", p.ID, rightsText(p.Rights, order))
	}
	for _, u := range o.Users {
		fmt.Fprintf(&b, "user %d unit %d supervisor %s profile %d", u.ID, u.Unit, idOrDash(u.Supervisor), u.Profile)
		if len(u.Overrides) > 0 {
			fmt.Fprintf(&b, " overrides %v", u.Overrides)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "accounts %v contacts %v addresses %v\n", o.Accounts, o.Contacts, o.Addresses)
	for _, c := range o.Cases {
		fmt.Fprintf(&b, "case %d owner %d unit %d account %d members %v\n", c.ID, c.Owner, c.Unit, c.Account, c.Members)
	}
	fmt.Fprintf(&b, "phases {id case} %v files %v\n", o.Phases, o.Files)
	fmt.Fprintf(&b, "work hours {id case user} %v\n", o.Hours)
	fmt.Fprintf(&b, "invoices {id case status} %v\n", o.Invoices)
	fmt.Fprintf(&b, "travel {id user case} %v\n", o.Travels)
	for _, a := range o.Activities {
		fmt.Fprintf(&b, "activity %d owner %d %s case %s account %s participants %v\n",
			a.ID, a.Owner, a.Category, idOrDash(a.Case), idOrDash(a.Account), a.Participants)
	}
	return b.String()
}

func rightsText(r rights.Rights, order rights.StatusOrder) string {
	var parts []string
	for _, col := range rights.Columns() {
		v, err := r.Value(col, order)
		if err != nil {
			v = err.Error()
		}
		parts = append(parts, col+"="+v)
	}
	return strings.Join(parts, " ")
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func idOrDash(id int64) string {
	if id == 0 {
		return "-"
	}
	return fmt.Sprint(id)
}
