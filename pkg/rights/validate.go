package rights

import (
	"errors"
	"fmt"
)

// Errors of the organisation trees (ORG-1, ORG-3). Validators wrap them with the ids involved;
// check them with errors.Is.
var (
	ErrUnknownUser     = errors.New("rights: unknown user")
	ErrSupervisorCycle = errors.New("rights: supervisor change would make a cycle")
	ErrSecondHead      = errors.New("rights: the organisation already has a head")
	ErrNoHead          = errors.New("rights: the organisation has no head")
	ErrHasSubordinates = errors.New("rights: user still has subordinates")
	ErrUnknownUnit     = errors.New("rights: unknown business unit")
	ErrUnitCycle       = errors.New("rights: unit parent change would make a cycle")
	ErrSecondRootUnit  = errors.New("rights: the unit tree already has a root")
	ErrNoRootUnit      = errors.New("rights: the unit tree has no root")
)

var (
	errNodeIsZero        = errors.New("id 0 is reserved for \"no parent\"")
	supervisorTreeErrors = treeErrors{noun: "user", unknown: ErrUnknownUser, cycle: ErrSupervisorCycle, secondRoot: ErrSecondHead, noRoot: ErrNoHead}
	unitTreeErrors       = treeErrors{noun: "unit", unknown: ErrUnknownUnit, cycle: ErrUnitCycle, secondRoot: ErrSecondRootUnit, noRoot: ErrNoRootUnit}
)

type treeErrors struct {
	noun                               string
	unknown, cycle, secondRoot, noRoot error
}

// ValidateSupervisorChange checks that giving user the supervisor newSupervisor (0 = make them
// the head) keeps one supervisor tree (ORG-1): one head, known supervisors, no cycles. supervisorOf
// maps every active user to their supervisor (0 for the head); a user missing from it is being
// added. Errors wrap ErrUnknownUser, ErrSupervisorCycle or ErrSecondHead.
func ValidateSupervisorChange(supervisorOf map[int64]int64, user, newSupervisor int64) error {
	return validateParentChange(supervisorOf, user, newSupervisor, supervisorTreeErrors)
}

// ValidateUnitParentChange checks that giving unit the parent newParent (0 = make it the root)
// keeps one unit tree (ORG-3). Errors wrap ErrUnknownUnit, ErrUnitCycle or ErrSecondRootUnit.
func ValidateUnitParentChange(parentOf map[int64]int64, unit, newParent int64) error {
	return validateParentChange(parentOf, unit, newParent, unitTreeErrors)
}

// ValidateUserDeactivation refuses to deactivate a user who still supervises someone, since
// every active user needs an active supervisor (ORG-1). Errors wrap ErrHasSubordinates.
func ValidateUserDeactivation(supervisorOf map[int64]int64, user int64) error {
	for id, sup := range supervisorOf {
		if sup == user && id != user {
			return fmt.Errorf("deactivate user %d: %w (user %d)", user, ErrHasSubordinates, id)
		}
	}
	return nil
}

// ValidateSupervisorTree checks a whole supervisor map (ORG-1), e.g. after an import.
func ValidateSupervisorTree(supervisorOf map[int64]int64) error {
	return validateTree(supervisorOf, supervisorTreeErrors)
}

// ValidateUnitTree checks a whole unit map (ORG-3).
func ValidateUnitTree(parentOf map[int64]int64) error {
	return validateTree(parentOf, unitTreeErrors)
}

func validateParentChange(parentOf map[int64]int64, node, newParent int64, e treeErrors) error {
	op := fmt.Sprintf("set parent of %s %d to %d", e.noun, node, newParent)
	if node == 0 {
		return fmt.Errorf("%s: %w: %w", op, e.unknown, errNodeIsZero)
	}
	if newParent == 0 {
		for id, p := range parentOf {
			if p == 0 && id != node {
				return fmt.Errorf("%s: %w (%d)", op, e.secondRoot, id)
			}
		}
		return nil
	}
	if _, ok := parentOf[newParent]; !ok {
		return fmt.Errorf("%s: %w %d", op, e.unknown, newParent)
	}
	// Walk up from the new parent: meeting node means node would sit below itself. The
	// step bound stops the walk on data that already holds a cycle.
	for cur, steps := newParent, 0; cur != 0; cur, steps = parentOf[cur], steps+1 {
		if cur == node || steps > len(parentOf) {
			return fmt.Errorf("%s: %w", op, e.cycle)
		}
	}
	return nil
}

func validateTree(parentOf map[int64]int64, e treeErrors) error {
	if len(parentOf) == 0 {
		return nil
	}
	roots := 0
	for id, p := range parentOf {
		if id == 0 {
			return fmt.Errorf("validate %s tree: %w: %w", e.noun, e.unknown, errNodeIsZero)
		}
		if p == 0 {
			roots++
			continue
		}
		if _, ok := parentOf[p]; !ok {
			return fmt.Errorf("validate %s tree: %w %d (parent of %d)", e.noun, e.unknown, p, id)
		}
	}
	switch {
	case roots == 0:
		return fmt.Errorf("validate %s tree: %w", e.noun, e.noRoot)
	case roots > 1:
		return fmt.Errorf("validate %s tree: %w (%d roots)", e.noun, e.secondRoot, roots)
	}
	// With one root and known parents, a node that does not reach the root lies on a cycle.
	reaches := make(map[int64]bool, len(parentOf))
	for id := range parentOf {
		var path []int64
		cur := id
		for cur != 0 && !reaches[cur] {
			if len(path) > len(parentOf) {
				return fmt.Errorf("validate %s tree: %w at %d", e.noun, e.cycle, id)
			}
			path = append(path, cur)
			cur = parentOf[cur]
		}
		for _, p := range path {
			reaches[p] = true
		}
	}
	return nil
}
