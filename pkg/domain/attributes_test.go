package domain_test

import (
	"errors"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/model"
)

// invalidAt fails unless err is apperr.Invalid at the pointer of attribute name.
func invalidAt(t *testing.T, err error, name string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid || e.Pointer != "/data/attributes/"+name {
		t.Fatalf("got %v, want apperr.Invalid at /data/attributes/%s", err, name)
	}
}

// TestSetDate: an unsent date leaves the value, a valid one sets it, anything else is
// refused at its attribute and leaves the value.
func TestSetDate(t *testing.T) {
	d := model.Date("2026-01-02")
	if err := domain.SetDate("startsOn", nil, &d); err != nil || d != "2026-01-02" {
		t.Fatalf("nil: %v, %q", err, d)
	}
	v := "2026-11-24"
	if err := domain.SetDate("startsOn", &v, &d); err != nil || d != "2026-11-24" {
		t.Fatalf("valid: %v, %q", err, d)
	}
	for _, bad := range []string{"", "2026-13-01", "0000-01-01", "24.11.2026"} {
		invalidAt(t, domain.SetDate("endsOn", &bad, &d), "endsOn")
		if d != "2026-11-24" {
			t.Fatalf("%q changed the date to %q", bad, d)
		}
	}
}

// TestSetInRange: the bounds are inclusive, for int and int64 attributes alike.
func TestSetInRange(t *testing.T) {
	var minutes int
	for _, ok := range []int{int(model.MinMinutes), int(model.MaxMinutes)} {
		if err := domain.SetInRange("minutes", &ok, model.MinutesRange, &minutes); err != nil || minutes != ok {
			t.Fatalf("%d: %v, %d", ok, err, minutes)
		}
	}
	for _, bad := range []int{int(model.MinMinutes) - 1, int(model.MaxMinutes) + 1} {
		invalidAt(t, domain.SetInRange("minutes", &bad, model.MinutesRange, &minutes), "minutes")
	}
	amount := int64(7)
	if err := domain.SetInRange[int64]("amount", nil, model.MoneyRange, &amount); err != nil || amount != 7 {
		t.Fatalf("nil: %v, %d", err, amount)
	}
	neg := int64(-1)
	invalidAt(t, domain.SetInRange("amount", &neg, model.MoneyRange, &amount), "amount")
}
