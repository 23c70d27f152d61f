package rights

import (
	"errors"
	"testing"
)

func TestValidateSupervisorChange(t *testing.T) {
	tests := []struct {
		name         string
		user, newSup int64
		supervisorOf map[int64]int64
		want         error
	}{
		{"ORG-1 move under another manager", 4, 5, nil, nil},
		{"ORG-1 add a user under a known supervisor", 7, 3, nil, nil},
		{"ORG-1 the head stays head", 1, 0, nil, nil},
		{"ORG-1 first user of an empty organisation becomes head", 1, 0, map[int64]int64{}, nil},
		{"ORG-1 self-supervision is a cycle", 3, 3, nil, ErrSupervisorCycle},
		{"ORG-1 under one's own subordinate is a cycle", 2, 4, nil, ErrSupervisorCycle},
		{"ORG-1 the head under anyone is a cycle", 1, 6, nil, ErrSupervisorCycle},
		{"ORG-1 a second head is refused", 4, 0, nil, ErrSecondHead},
		{"ORG-1 a new user without supervisor is a second head", 7, 0, nil, ErrSecondHead},
		{"ORG-1 an unknown supervisor is refused", 4, 99, nil, ErrUnknownUser},
		{"ORG-1 user 0 is refused", 0, 1, nil, ErrUnknownUser},
		{"ORG-1 stored cycle elsewhere does not hang", 9, 2, map[int64]int64{2: 3, 3: 2, 9: 0}, ErrSupervisorCycle},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.supervisorOf
			if m == nil {
				m = testSupervisorOf
			}
			err := ValidateSupervisorChange(m, tc.user, tc.newSup)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestValidateUnitParentChange(t *testing.T) {
	tests := []struct {
		name            string
		unit, newParent int64
		want            error
	}{
		{"ORG-3 move a unit", 3, 4, nil},
		{"ORG-3 add a sub-unit", 5, 3, nil},
		{"ORG-3 self-parent is a cycle", 2, 2, ErrUnitCycle},
		{"ORG-3 under its own sub-unit is a cycle", 2, 3, ErrUnitCycle},
		{"ORG-3 a second root is refused", 4, 0, ErrSecondRootUnit},
		{"ORG-3 an unknown parent is refused", 3, 42, ErrUnknownUnit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ValidateUnitParentChange(testUnitParentOf, tc.unit, tc.newParent)
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestValidateTrees(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"ORG-1 the test tree is valid", ValidateSupervisorTree(testSupervisorOf), nil},
		{"ORG-1 empty is valid", ValidateSupervisorTree(nil), nil},
		{"ORG-1 no head", ValidateSupervisorTree(map[int64]int64{1: 2, 2: 1}), ErrNoHead},
		{"ORG-1 two heads", ValidateSupervisorTree(map[int64]int64{1: 0, 2: 0}), ErrSecondHead},
		{"ORG-1 unknown supervisor", ValidateSupervisorTree(map[int64]int64{1: 0, 2: 9}), ErrUnknownUser},
		{"ORG-1 cycle beside the head", ValidateSupervisorTree(map[int64]int64{1: 0, 2: 3, 3: 2}), ErrSupervisorCycle},
		{"ORG-3 the test units are valid", ValidateUnitTree(testUnitParentOf), nil},
		{"ORG-3 unit cycle", ValidateUnitTree(map[int64]int64{1: 0, 2: 3, 3: 4, 4: 2}), ErrUnitCycle},
		{"ORG-3 two roots", ValidateUnitTree(map[int64]int64{1: 0, 2: 0}), ErrSecondRootUnit},
		{"ORG-3 no root", ValidateUnitTree(map[int64]int64{1: 1}), ErrNoRootUnit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !errors.Is(tc.err, tc.want) || (tc.want == nil) != (tc.err == nil) {
				t.Fatalf("got %v, want %v", tc.err, tc.want)
			}
		})
	}
}

func TestValidateUserDeactivation(t *testing.T) {
	t.Run("ORG-1 a supervisor with subordinates stays", func(t *testing.T) {
		if err := ValidateUserDeactivation(testSupervisorOf, 3); !errors.Is(err, ErrHasSubordinates) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ORG-1 a leaf may go", func(t *testing.T) {
		if err := ValidateUserDeactivation(testSupervisorOf, 4); err != nil {
			t.Fatal(err)
		}
	})
}
