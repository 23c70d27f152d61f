package rights

import (
	"slices"
	"testing"
)

func TestSubordinates(t *testing.T) {
	tests := []struct {
		name string
		user int64
		want []int64
	}{
		{"ORG-2 the head has everyone below", 1, []int64{2, 3, 4, 5, 6}},
		{"ORG-2 transitive: direct and indirect", 2, []int64{3, 4}},
		{"ORG-2 one level", 5, []int64{6}},
		{"ORG-2 a leaf has none", 4, nil},
		{"ORG-2 an unknown user has none", 99, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testOrg.Subordinates(tc.user)
			if !slices.Equal(got.IDs(), tc.want) {
				t.Fatalf("got %v, want %v", got.IDs(), tc.want)
			}
			if free := Subordinates(tc.user, testSupervisorOf); !slices.Equal(free.IDs(), got.IDs()) {
				t.Fatalf("Subordinates %v differs from Org.Subordinates %v", free.IDs(), got.IDs())
			}
			if got.Has(tc.user) {
				t.Fatal("a user is not their own subordinate")
			}
		})
	}
}

func TestUnitClosure(t *testing.T) {
	tests := []struct {
		name string
		unit int64
		want []int64
	}{
		{"ORG-3 the root holds every unit", 1, []int64{1, 2, 3, 4}},
		{"ORG-3 own unit includes sub-units", 2, []int64{2, 3}},
		{"ORG-3 a leaf unit is itself", 4, []int64{4}},
		{"ORG-3 an unknown unit is itself", 9, []int64{9}},
		{"ORG-3 no unit is empty", 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testOrg.UnitClosure(tc.unit)
			if !slices.Equal(got.IDs(), tc.want) {
				t.Fatalf("got %v, want %v", got.IDs(), tc.want)
			}
			if free := UnitClosure(tc.unit, testUnitParentOf); !slices.Equal(free.IDs(), got.IDs()) {
				t.Fatalf("UnitClosure %v differs from Org.UnitClosure %v", free.IDs(), got.IDs())
			}
		})
	}
}

func TestOrgSurvivesBadData(t *testing.T) {
	// A cycle in stored data (which ValidateSupervisorChange prevents) must not hang a request.
	cyclic := NewOrg(map[int64]int64{1: 3, 2: 1, 3: 2, 4: 3}, nil)
	t.Run("ORG-1 cycle: every member reaches the others once", func(t *testing.T) {
		if got := cyclic.Subordinates(1).IDs(); !slices.Equal(got, []int64{2, 3, 4}) {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("ORG-1 self-supervision is ignored", func(t *testing.T) {
		if got := NewOrg(map[int64]int64{1: 1, 2: 1}, nil).Subordinates(1).IDs(); !slices.Equal(got, []int64{2}) {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("ORG-1 an unknown supervisor counts as none", func(t *testing.T) {
		if got := NewOrg(map[int64]int64{1: 0, 2: 77}, nil).Subordinates(77).IDs(); len(got) != 0 {
			t.Fatalf("got %v", got)
		}
	})
}

func TestOrgSubject(t *testing.T) {
	s := testOrg.Subject(2, 2, base())
	if s.UserID != 2 || s.UnitID != 2 || s.Rights != base() ||
		!slices.Equal(s.Subordinates.IDs(), []int64{3, 4}) || !slices.Equal(s.OwnUnits.IDs(), []int64{2, 3}) {
		t.Fatalf("ORG-2 ORG-3 subject: %+v", s)
	}
}

func TestSet(t *testing.T) {
	s := NewSet(5, 1, 3, 3, 1)
	if !slices.Equal(s.IDs(), []int64{1, 3, 5}) || s.Len() != 3 {
		t.Fatalf("got %v", s.IDs())
	}
	for id, want := range map[int64]bool{1: true, 3: true, 5: true, 0: false, 2: false, 6: false} {
		if s.Has(id) != want {
			t.Errorf("Has(%d) = %v", id, !want)
		}
	}
	w := s.With(2)
	if !slices.Equal(w.IDs(), []int64{1, 2, 3, 5}) || s.Has(2) {
		t.Fatalf("With: %v, original %v", w.IDs(), s.IDs())
	}
	if s.With(3).Len() != 3 {
		t.Fatal("With an existing id changes nothing")
	}
	var empty Set
	if empty.Has(0) || empty.Len() != 0 || empty.With(7).Len() != 1 {
		t.Fatal("the zero Set is empty and usable")
	}
}
