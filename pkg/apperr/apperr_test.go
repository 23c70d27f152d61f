package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestIsMatchesCode(t *testing.T) {
	err := fmt.Errorf("approve hours 7: %w", E(Forbidden, "approval right missing").Because("WHA-2"))
	if !errors.Is(err, ErrForbidden) {
		t.Fatal("wrapped forbidden error does not match ErrForbidden")
	}
	if errors.Is(err, ErrNotFound) {
		t.Fatal("forbidden error matches ErrNotFound")
	}
	if CodeOf(err) != Forbidden {
		t.Fatalf("CodeOf = %s", CodeOf(err))
	}
	var e *Error
	if !errors.As(err, &e) || e.Reason != "WHA-2" {
		t.Fatalf("reason lost: %+v", e)
	}
}

func TestWrapHidesInternalCause(t *testing.T) {
	err := Wrap(errors.New("pq: connection refused"), "list cases")
	var e *Error
	if !errors.As(err, &e) || e.Code != Internal || e.Detail != "internal error" {
		t.Fatalf("Wrap = %#v", err)
	}
	if CodeOf(Wrap(E(NotFound, "case 3"), "load")) != NotFound {
		t.Fatal("Wrap lost a domain code")
	}
	if Wrap(nil, "x") != nil {
		t.Fatal("Wrap(nil) != nil")
	}
}
