package scope_test

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/rights"
)

// shrink looks for a smaller organisation that still fails: it tries every single cut (a
// user, a case, an account, a unit, a row, a membership, an override, a setting) and keeps
// the first that still shows a disagreement, until no cut does.
func shrink(ctx context.Context, db *bun.DB, o *testOrg) *testOrg {
	for improved := true; improved; {
		improved = false
		for _, c := range o.cuts() {
			ps, err := checkOrg(ctx, db, c, nil)
			if err == nil && len(ps) > 0 {
				o, improved = c, true
				break
			}
		}
	}
	return o
}

// cuts returns every organisation one step smaller than o that is still well formed.
func (o *testOrg) cuts() []*testOrg {
	var out []*testOrg
	add := func(c *testOrg) {
		if c != nil {
			out = append(out, c)
		}
	}
	for _, u := range o.Users {
		add(o.withoutUser(u.ID))
	}
	for _, c := range o.Cases {
		add(o.edit(func(n *testOrg) { n.dropCases(func(r caseRow) bool { return r.ID == c.ID }) }))
	}
	for _, a := range o.Accounts {
		add(o.edit(func(n *testOrg) { n.dropAccount(a) }))
	}
	for _, u := range o.Units {
		add(o.withoutUnit(u.ID))
	}
	for _, p := range o.Profiles {
		if !slices.ContainsFunc(o.Users, func(u userRow) bool { return u.Profile == p.ID }) {
			add(o.edit(func(n *testOrg) { n.Profiles = drop(n.Profiles, func(r profileRow) bool { return r.ID == p.ID }) }))
		}
	}
	out = append(out, o.rowCuts()...)
	out = append(out, o.rightsCuts()...)
	if o.Approval {
		add(o.edit(func(n *testOrg) { n.Approval = false }))
	}
	if o.Travel {
		add(o.edit(func(n *testOrg) { n.Travel = false }))
	}
	return out
}

// rowCuts removes one leaf row, membership, participant or override.
func (o *testOrg) rowCuts() []*testOrg {
	var out []*testOrg
	for i := range o.Activities {
		out = append(out, o.edit(func(n *testOrg) { n.Activities = slices.Delete(n.Activities, i, i+1) }))
		for j := range o.Activities[i].Participants {
			out = append(out, o.edit(func(n *testOrg) {
				n.Activities[i].Participants = slices.Delete(n.Activities[i].Participants, j, j+1)
			}))
		}
	}
	for i := range o.Travels {
		out = append(out, o.edit(func(n *testOrg) { n.Travels = slices.Delete(n.Travels, i, i+1) }))
	}
	for i := range o.Invoices {
		out = append(out, o.edit(func(n *testOrg) { n.Invoices = slices.Delete(n.Invoices, i, i+1) }))
	}
	for i := range o.Hours {
		out = append(out, o.edit(func(n *testOrg) { n.Hours = slices.Delete(n.Hours, i, i+1) }))
	}
	for i := range o.Cases {
		for j := range o.Cases[i].Members {
			out = append(out, o.edit(func(n *testOrg) { n.Cases[i].Members = slices.Delete(n.Cases[i].Members, j, j+1) }))
		}
	}
	leaves := []func(*testOrg) *[]childRow{
		func(n *testOrg) *[]childRow { return &n.Phases },
		func(n *testOrg) *[]childRow { return &n.Files },
		func(n *testOrg) *[]childRow { return &n.Contacts },
		func(n *testOrg) *[]childRow { return &n.Addresses },
	}
	for _, rows := range leaves {
		for i := range *rows(o) {
			out = append(out, o.edit(func(n *testOrg) { *rows(n) = slices.Delete(*rows(n), i, i+1) }))
		}
	}
	for i, u := range o.Users {
		for name := range u.Overrides {
			out = append(out, o.edit(func(n *testOrg) { delete(n.Users[i].Overrides, name) }))
		}
	}
	return out
}

// edit returns a copy of o changed by f.
func (o *testOrg) edit(f func(*testOrg)) *testOrg {
	n := o.clone()
	f(n)
	return n
}

// withoutUser removes a user with everything that needs them; their direct reports move up to
// their supervisor (ORG-1); when the head goes, their first direct report takes their place.
func (o *testOrg) withoutUser(id int64) *testOrg {
	i := slices.IndexFunc(o.Users, func(u userRow) bool { return u.ID == id })
	up := o.Users[i].Supervisor
	reports := 0
	for _, u := range o.Users {
		if u.Supervisor == id {
			reports++
		}
	}
	if len(o.Users) == 1 || up == 0 && reports == 0 {
		return nil
	}
	return o.edit(func(n *testOrg) {
		n.Users = slices.Delete(n.Users, i, i+1)
		for j := range n.Users {
			if n.Users[j].Supervisor != id {
				continue
			}
			n.Users[j].Supervisor = up
			if up == 0 { // the first direct report becomes the head, over the others
				up = n.Users[j].ID
			}
		}
		n.dropCases(func(c caseRow) bool { return c.Owner == id })
		for j := range n.Cases {
			n.Cases[j].Members = drop(n.Cases[j].Members, func(m int64) bool { return m == id })
		}
		n.Hours = drop(n.Hours, func(h hourRow) bool { return h.User == id })
		n.Travels = drop(n.Travels, func(t travelRow) bool { return t.User == id })
		n.Activities = drop(n.Activities, func(a activityRow) bool { return a.Owner == id })
		for j := range n.Activities {
			n.Activities[j].Participants = drop(n.Activities[j].Participants, func(p int64) bool { return p == id })
		}
	})
}

// withoutUnit removes a unit; its sub-units, users and cases move to its parent (ORG-3). The
// root goes only when a single sub-unit can take its place.
func (o *testOrg) withoutUnit(id int64) *testOrg {
	i := slices.IndexFunc(o.Units, func(u unitRow) bool { return u.ID == id })
	up := o.Units[i].Parent
	if up == 0 {
		var kids []int64
		for _, u := range o.Units {
			if u.Parent == id {
				kids = append(kids, u.ID)
			}
		}
		if len(kids) != 1 {
			return nil
		}
		up = kids[0]
	}
	return o.edit(func(n *testOrg) {
		n.Units = slices.Delete(n.Units, i, i+1)
		for j := range n.Units {
			if n.Units[j].Parent == id {
				n.Units[j].Parent = o.Units[i].Parent
			}
		}
		for j := range n.Users {
			if n.Users[j].Unit == id {
				n.Users[j].Unit = up
			}
		}
		for j := range n.Cases {
			if n.Cases[j].Unit == id {
				n.Cases[j].Unit = up
			}
		}
	})
}

// dropCases removes the cases that match, with their phases, files, hours, invoices, and the
// travel and activities entered on them.
func (n *testOrg) dropCases(match func(caseRow) bool) {
	gone := map[int64]bool{}
	for _, c := range n.Cases {
		if match(c) {
			gone[c.ID] = true
		}
	}
	n.Cases = drop(n.Cases, match)
	n.Phases = drop(n.Phases, func(r childRow) bool { return gone[r.Parent] })
	n.Files = drop(n.Files, func(r childRow) bool { return gone[r.Parent] })
	n.Hours = drop(n.Hours, func(r hourRow) bool { return gone[r.Case] })
	n.Invoices = drop(n.Invoices, func(r invoiceRow) bool { return gone[r.Case] })
	n.Travels = drop(n.Travels, func(r travelRow) bool { return gone[r.Case] })
	n.Activities = drop(n.Activities, func(r activityRow) bool { return gone[r.Case] })
}

// dropAccount removes an account with its contacts, addresses, cases and linked activities.
func (n *testOrg) dropAccount(id int64) {
	n.Accounts = drop(n.Accounts, func(a int64) bool { return a == id })
	n.Contacts = drop(n.Contacts, func(r childRow) bool { return r.Parent == id })
	n.Addresses = drop(n.Addresses, func(r childRow) bool { return r.Parent == id })
	n.dropCases(func(c caseRow) bool { return c.Account == id })
	n.Activities = drop(n.Activities, func(r activityRow) bool { return r.Account == id })
}

func drop[T any](s []T, match func(T) bool) []T {
	return slices.DeleteFunc(slices.Clone(s), match)
}

// rightsCuts moves a user to another profile (so that profiles can go) and lowers one right
// of a profile to its lowest level, so that the printed profiles keep only what matters.
func (o *testOrg) rightsCuts() []*testOrg {
	var out []*testOrg
	for i, u := range o.Users {
		for _, p := range o.Profiles {
			if p.ID != u.Profile {
				out = append(out, o.edit(func(n *testOrg) { n.Users[i].Profile = p.ID }))
			}
		}
	}
	order := rights.StatusOrder(o.Statuses)
	for i, p := range o.Profiles {
		for _, col := range rights.Columns() {
			low, err := rights.Rights{}.Value(col, order)
			if err != nil {
				panic(err)
			}
			r := p.Rights
			if err := r.Set(col, low, order); err != nil {
				panic(err)
			}
			if r != p.Rights {
				out = append(out, o.edit(func(n *testOrg) { n.Profiles[i].Rights = r }))
			}
		}
	}
	return out
}
