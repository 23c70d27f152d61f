package rights

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// randomOrg is a random organisation: a supervisor tree, a unit tree, cases with owners,
// units and members, and work hours and travel of every user.
type randomOrg struct {
	supervisorOf, unitParentOf, unitOf map[int64]int64
	cases                              []CaseAttrs
	members                            map[int64][]int64 // user → case ids
	org                                *Org
}

func newRandomOrg(rng *rand.Rand, users, units, cases int) *randomOrg {
	o := &randomOrg{
		supervisorOf: map[int64]int64{1: 0}, unitParentOf: map[int64]int64{1: 0},
		unitOf: map[int64]int64{}, members: map[int64][]int64{},
	}
	for u := int64(2); u <= int64(units); u++ {
		o.unitParentOf[u] = 1 + rng.Int64N(u-1)
	}
	for u := int64(1); u <= int64(users); u++ {
		if u > 1 {
			o.supervisorOf[u] = 1 + rng.Int64N(u-1)
		}
		o.unitOf[u] = 1 + rng.Int64N(int64(units))
	}
	for i := range cases {
		c := CaseAttrs{ID: int64(1000 + i), OwnerID: 1 + rng.Int64N(int64(users)), UnitID: 1 + rng.Int64N(int64(units))}
		o.cases = append(o.cases, c)
		for range rng.IntN(4) {
			m := 1 + rng.Int64N(int64(users))
			o.members[m] = append(o.members[m], c.ID)
		}
	}
	o.org = NewOrg(o.supervisorOf, o.unitParentOf)
	return o
}

func randomRights(rng *rand.Rand) Rights {
	return Rights{
		Accounts: AccountsLevel(rng.IntN(4)), Cases: CasesLevel(rng.IntN(7)), Join: JoinLevel(rng.IntN(3)),
		Users: UsersLevel(rng.IntN(4)), Approval: ApprovalLevel(rng.IntN(5)), Travel: TravelLevel(rng.IntN(5)),
		Admin: AdminLevel(rng.IntN(3)), ApproveOwnCases: rng.IntN(2) == 0, DeleteCases: rng.IntN(2) == 0,
		Invoice: InvoiceLimit{Any: rng.IntN(2) == 0, UpTo: rng.IntN(3)},
	}
}

func (o *randomOrg) subject(rng *rand.Rand, user int64) *Subject {
	s := o.org.Subject(user, o.unitOf[user], randomRights(rng))
	s.MemberOf = NewSet(o.members[user]...)
	s.Settings = Settings{ApprovalEnabled: rng.IntN(2) == 0, TravelEnabled: rng.IntN(2) == 0}
	return &s
}

func (o *randomOrg) isMember(user int64, c CaseAttrs) bool {
	return slices.Contains(o.members[user], c.ID)
}

// STYLE rule 2: a list scope holds exactly the objects the single-object decision allows.
// Rules: CASE-2, CASE-4, CASE-8..11, ACC-2, INV-1, USR-1, USR-2, USR-4, WHA-3..7, TRV-2..5.
func TestScopesMatchDecisions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 40 {
		o := newRandomOrg(rng, 40, 8, 60)
		for user := int64(1); user <= 40; user++ {
			s := o.subject(rng, user)
			cs, is, hs, ts := ViewableCases(s), InvoiceCases(s), ViewableHours(s), ViewableTravel(s)
			for _, c := range o.cases {
				if got, want := cs.Contains(c, o.isMember(user, c)), DecideCase(s, CaseView, c).Allow; got != want {
					t.Fatalf("round %d user %d case %+v rights %+v: scope %v, decision %v", round, user, c, s.Rights, got, want)
				}
				if got, want := is.Contains(c, false), DecideInvoice(s, InvoiceView, InvoiceAttrs{Case: c}).Allow; got != want {
					t.Fatalf("round %d user %d invoices of %+v: scope %v, decision %v", round, user, c, got, want)
				}
				hourUser := 1 + rng.Int64N(40)
				h := HourAttrs{UserID: hourUser, Case: c, UserUnitID: o.unitOf[hourUser]}
				if got, want := hs.Contains(h), DecideHours(s, HourView, h).Allow; got != want {
					t.Fatalf("round %d user %d hours %+v rights %+v: scope %v, decision %v", round, user, h, s.Rights, got, want)
				}
				tr := TravelAttrs{UserID: hourUser, UserUnitID: o.unitOf[hourUser]}
				if got, want := ts.Contains(tr), DecideTravel(s, TravelView, tr).Allow; got != want {
					t.Fatalf("round %d user %d travel %+v: scope %v, decision %v", round, user, tr, got, want)
				}
			}
		}
	}
}

// rule ORG-2 and ORG-3 on random trees: the index agrees with walking up parent links.
func TestOrgMatchesWalkingUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		o := newRandomOrg(rng, 60, 15, 0)
		below := func(parentOf map[int64]int64, node, ancestor int64) bool {
			for cur := parentOf[node]; cur != 0; cur = parentOf[cur] {
				if cur == ancestor {
					return true
				}
			}
			return false
		}
		for u := int64(1); u <= 60; u++ {
			subs := o.org.Subordinates(u)
			for v := int64(1); v <= 60; v++ {
				if subs.Has(v) != below(o.supervisorOf, v, u) {
					t.Fatalf("ORG-2: user %d below %d: index %v", v, u, subs.Has(v))
				}
			}
		}
		for u := int64(1); u <= 15; u++ {
			own := o.org.UnitClosure(u)
			for v := int64(1); v <= 15; v++ {
				if own.Has(v) != (v == u || below(o.unitParentOf, v, u)) {
					t.Fatalf("ORG-3: unit %d in own unit of %d: index %v", v, u, own.Has(v))
				}
			}
		}
	}
}

// rule ORG-1: a change ValidateSupervisorChange accepts leaves a valid tree, and one it refuses
// would not (for changes between existing users).
func TestValidateSupervisorChangeKeepsTree(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		o := newRandomOrg(rng, 12, 1, 0)
		user, sup := 1+rng.Int64N(12), rng.Int64N(13)
		err := ValidateSupervisorChange(o.supervisorOf, user, sup)
		after := map[int64]int64{}
		for k, v := range o.supervisorOf {
			after[k] = v
		}
		after[user] = sup
		if treeErr := ValidateSupervisorTree(after); (err == nil) != (treeErr == nil) {
			t.Fatalf("move %d under %d: change check %v, tree check %v", user, sup, err, treeErr)
		}
	}
}

func TestScopeShapes(t *testing.T) {
	t.Run("ACC-2 accounts none: no cases at all", func(t *testing.T) {
		s := subjectOf(2, with(base(), func(r *Rights) { r.Accounts = AccountsNone }), 103)
		if !ViewableCases(s).Empty() || !InvoiceCases(s).Empty() {
			t.Fatal("scope must be empty")
		}
	})
	t.Run("CASE-9 CASE-10 scope lists owners and units", func(t *testing.T) {
		s := subjectOf(2, with(base(), func(r *Rights) { r.Cases = CasesOwnUnit }), 105)
		sc := ViewableCases(s)
		if !slices.Equal(sc.OwnerIDs, []int64{2, 3, 4}) || !slices.Equal(sc.UnitIDs, []int64{2, 3}) || sc.MemberUserID != 2 || sc.All {
			t.Fatalf("got %+v", sc)
		}
	})
	t.Run("CASE-11 all is All", func(t *testing.T) {
		if !ViewableCases(subjectOf(2, with(base(), func(r *Rights) { r.Cases = CasesAll }))).All {
			t.Fatal("want All")
		}
	})
	t.Run("CASE-7 no invoice scope for manager_no_financials", func(t *testing.T) {
		if !InvoiceCases(subjectOf(2, with(base(), func(r *Rights) { r.Cases = CasesManagerNoFinancials }))).Empty() {
			t.Fatal("want empty")
		}
	})
	t.Run("WHA-7 hour scope names the case owner", func(t *testing.T) {
		sc := ViewableHours(subjectOf(2, with(base(), func(r *Rights) { r.ApproveOwnCases = true })))
		if sc.CaseOwnerID != 2 || !slices.Equal(sc.UserIDs, []int64{2}) {
			t.Fatalf("got %+v", sc)
		}
	})
}
