package rights

import (
	"math/rand/v2"
	"testing"
)

// benchOrg is a firm of 5,000 users in a supervisor tree (fan-out about 8, so 4–5 levels) and
// 200 units in a unit tree.
type benchOrg struct {
	supervisorOf, unitParentOf map[int64]int64
	unitOf                     map[int64]int64
	org                        *Org
}

func newBenchOrg() *benchOrg {
	const users, units = 5000, 200
	rng := rand.New(rand.NewPCG(7, 8))
	o := &benchOrg{supervisorOf: map[int64]int64{1: 0}, unitParentOf: map[int64]int64{1: 0}, unitOf: map[int64]int64{}}
	for u := int64(2); u <= units; u++ {
		o.unitParentOf[u] = u / 2
	}
	for u := int64(1); u <= users; u++ {
		if u > 1 {
			o.supervisorOf[u] = (u + 6) / 8
		}
		o.unitOf[u] = 1 + rng.Int64N(units)
	}
	o.org = NewOrg(o.supervisorOf, o.unitParentOf)
	return o
}

// benchSubject is a middle manager (user 3: 584 subordinates) holding a manager profile
// and 200 memberships.
func benchSubject(o *benchOrg) *Subject {
	s := o.org.Subject(3, o.unitOf[3], DefaultProfiles()[2].Rights)
	ids := make([]int64, 200)
	for i := range ids {
		ids[i] = int64(10_000 + 7*i)
	}
	s.MemberOf = NewSet(ids...)
	s.Settings = Settings{ApprovalEnabled: true, TravelEnabled: true}
	return &s
}

var sink Decision

func BenchmarkDecideCaseView(b *testing.B) {
	s := benchSubject(newBenchOrg())
	// A case the subject only reaches as a member: every owner-like check runs first.
	c := CaseAttrs{ID: 10_000 + 7*150, OwnerID: 4999, UnitID: 150, AccountID: 1}
	if !DecideCase(s, CaseView, c).Allow {
		b.Fatal("the benchmark case must be visible")
	}
	b.ReportAllocs()
	for b.Loop() {
		sink = DecideCase(s, CaseView, c)
	}
}

func BenchmarkDecideCaseViewDenied(b *testing.B) {
	s := benchSubject(newBenchOrg())
	c := CaseAttrs{ID: 5, OwnerID: 2, UnitID: 150, AccountID: 1}
	b.ReportAllocs()
	for b.Loop() {
		sink = DecideCase(s, CaseView, c)
	}
}

func BenchmarkDecideInvoiceStatus(b *testing.B) {
	s := benchSubject(newBenchOrg())
	inv := InvoiceAttrs{Case: CaseAttrs{ID: 1, OwnerID: 30, UnitID: 3}, StatusPos: 0}
	b.ReportAllocs()
	for b.Loop() {
		sink = DecideInvoiceStatus(s, inv, 1)
	}
}

func BenchmarkDecideHoursApprove(b *testing.B) {
	s := benchSubject(newBenchOrg())
	h := HourAttrs{UserID: 2000, Case: CaseAttrs{ID: 1, OwnerID: 3, UnitID: 3}, UserUnitID: 5}
	b.ReportAllocs()
	for b.Loop() {
		sink = DecideHours(s, HourApprove, h)
	}
}

func BenchmarkDecideActivity(b *testing.B) {
	s := benchSubject(newBenchOrg())
	c := CaseAttrs{ID: 10_000, OwnerID: 4999, UnitID: 150}
	a := ActivityAttrs{OwnerID: 4000, Category: ActivityWork, Participants: []int64{10, 11, 12}, Case: &c}
	b.ReportAllocs()
	for b.Loop() {
		sink = DecideActivity(s, ActivityEdit, a)
	}
}

func BenchmarkNewOrg(b *testing.B) {
	o := newBenchOrg()
	b.ReportAllocs()
	for b.Loop() {
		_ = NewOrg(o.supervisorOf, o.unitParentOf)
	}
}

// BenchmarkBuildSubject is the per-request cost with a cached Org: the org sets of one user.
func BenchmarkBuildSubject(b *testing.B) {
	o := newBenchOrg()
	for _, bc := range []struct {
		name string
		user int64
	}{{"head_4999_subordinates", 1}, {"manager_584_subordinates", 3}, {"employee", 4000}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = o.org.Subject(bc.user, o.unitOf[bc.user], Rights{})
			}
		})
	}
}

// BenchmarkBuildSubjectFromScratch is the per-request cost without a cached Org.
func BenchmarkBuildSubjectFromScratch(b *testing.B) {
	o := newBenchOrg()
	b.ReportAllocs()
	for b.Loop() {
		_ = NewOrg(o.supervisorOf, o.unitParentOf).Subject(3, o.unitOf[3], Rights{})
	}
}

func BenchmarkViewableCases(b *testing.B) {
	s := benchSubject(newBenchOrg())
	b.ReportAllocs()
	for b.Loop() {
		_ = ViewableCases(s)
	}
}
