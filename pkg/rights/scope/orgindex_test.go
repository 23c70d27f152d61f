package scope_test

import (
	"fmt"
	"slices"

	"github.com/caseroom/caseroom/pkg/rights"
)

// orgIndex answers the attribute questions of the decisions from a testOrg: the Go side of
// the comparison, computed from the same rows that were inserted.
type orgIndex struct {
	o        *testOrg
	order    rights.StatusOrder
	org      *rights.Org
	cases    map[int64]caseRow
	userUnit map[int64]int64
	profile  map[int64]rights.Rights
	memberOf map[int64][]int64 // user → cases
}

func newOrgIndex(o *testOrg) *orgIndex {
	ix := &orgIndex{o: o, order: rights.StatusOrder(o.Statuses), cases: map[int64]caseRow{},
		userUnit: map[int64]int64{}, profile: map[int64]rights.Rights{}, memberOf: map[int64][]int64{}}
	supervisorOf, parentOf := map[int64]int64{}, map[int64]int64{}
	for _, u := range o.Units {
		parentOf[u.ID] = u.Parent
	}
	for _, u := range o.Users {
		supervisorOf[u.ID] = u.Supervisor
		ix.userUnit[u.ID] = u.Unit
	}
	for _, p := range o.Profiles {
		ix.profile[p.ID] = p.Rights
	}
	for _, c := range o.Cases {
		ix.cases[c.ID] = c
		for _, m := range c.Members {
			ix.memberOf[m] = append(ix.memberOf[m], c.ID)
		}
	}
	ix.org = rights.NewOrg(supervisorOf, parentOf)
	return ix
}

func (ix *orgIndex) caseAttrs(id int64) rights.CaseAttrs {
	c := ix.cases[id]
	return rights.CaseAttrs{ID: c.ID, OwnerID: c.Owner, UnitID: c.Unit, AccountID: c.Account}
}

func (ix *orgIndex) casePtr(id int64) *rights.CaseAttrs {
	if id == 0 {
		return nil
	}
	c := ix.caseAttrs(id)
	return &c
}

func (ix *orgIndex) hourAttrs(h hourRow) rights.HourAttrs {
	return rights.HourAttrs{ID: h.ID, UserID: h.User, Case: ix.caseAttrs(h.Case), UserUnitID: ix.userUnit[h.User],
		UserIsMember: slices.Contains(ix.cases[h.Case].Members, h.User)}
}

func (ix *orgIndex) invoiceAttrs(inv invoiceRow) rights.InvoiceAttrs {
	pos, _ := ix.order.Position(inv.Status)
	return rights.InvoiceAttrs{Case: ix.caseAttrs(inv.Case), StatusPos: pos}
}

func (ix *orgIndex) travelAttrs(t travelRow) rights.TravelAttrs {
	return rights.TravelAttrs{UserID: t.User, UserUnitID: ix.userUnit[t.User], Case: ix.casePtr(t.Case)}
}

func (ix *orgIndex) activityAttrs(a activityRow) rights.ActivityAttrs {
	return rights.ActivityAttrs{OwnerID: a.Owner, Category: a.Category, Participants: a.Participants,
		Case: ix.casePtr(a.Case), AccountID: a.Account}
}

func (ix *orgIndex) activity(id int64) activityRow {
	i := slices.IndexFunc(ix.o.Activities, func(a activityRow) bool { return a.ID == id })
	return ix.o.Activities[i]
}

// caseChildren decides rows that are viewed with their case (phases, files: rights.CaseView).
func (ix *orgIndex) caseChildren(s *rights.Subject, rows []childRow) (out []verdict) {
	for _, r := range rows {
		out = append(out, verdict{r.ID, rights.DecideCase(s, rights.CaseView, ix.caseAttrs(r.Parent))})
	}
	return out
}

// accountChildren decides rows that follow their account's rules (contacts, addresses).
func (ix *orgIndex) accountChildren(s *rights.Subject, rows []childRow) (out []verdict) {
	for _, r := range rows {
		out = append(out, verdict{r.ID, rights.DecideAccount(s, rights.AccountView, rights.AccountAttrs{ID: r.Parent})})
	}
	return out
}

// checkSubject compares the subject access.LoadSubject built with the one the organisation
// implies: effective rights (ORG-5), subordinates (ORG-2), own units (ORG-3), memberships
// (ORG-4) and settings (WHA-1, TRV-1).
func (ix *orgIndex) checkSubject(u userRow, got *rights.Subject) []problem {
	r, err := rights.Effective(ix.profile[u.Profile], u.Overrides, ix.order)
	if err != nil {
		return []problem{{u.ID, "subject", err.Error()}}
	}
	want := ix.org.Subject(u.ID, u.Unit, r)
	want.MemberOf = rights.NewSet(ix.memberOf[u.ID]...)
	want.Settings = rights.Settings{ApprovalEnabled: ix.o.Approval, TravelEnabled: ix.o.Travel}
	var out []problem
	diff := func(what string, g, w any) {
		out = append(out, problem{u.ID, "subject " + what, fmt.Sprintf("LoadSubject has %v, the organisation implies %v", g, w)})
	}
	if got.Rights != want.Rights {
		diff("rights", rightsText(got.Rights, ix.order), rightsText(want.Rights, ix.order))
	}
	if got.UserID != u.ID || got.UnitID != u.Unit || got.ProfileID != u.Profile {
		diff("ids", []int64{got.UserID, got.UnitID, got.ProfileID}, []int64{u.ID, u.Unit, u.Profile})
	}
	for _, set := range []struct {
		what     string
		got, wnt rights.Set
	}{{"own units", got.OwnUnits, want.OwnUnits}, {"subordinates", got.Subordinates, want.Subordinates}, {"memberships", got.MemberOf, want.MemberOf}} {
		if !slices.Equal(set.got.IDs(), set.wnt.IDs()) {
			diff(set.what, set.got.IDs(), set.wnt.IDs())
		}
	}
	if got.Settings != want.Settings {
		diff("settings", got.Settings, want.Settings)
	}
	return out
}
