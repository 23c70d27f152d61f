package server

import (
	"errors"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
)

// TestCheckTimes: every timestamp attribute of a bound body, pointer or Nullable, lies in
// model.MinTime..MaxTime; unsent and null ones are left alone.
func TestCheckTimes(t *testing.T) {
	type body struct {
		At    *time.Time                  `jsonapi:"at"`
		Until jsonapi.Nullable[time.Time] `jsonapi:"until"`
		Other *string                     `jsonapi:"other"`
	}
	ok, year0 := model.MaxTime, time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		in      body
		pointer string
	}{
		{"nothing sent", body{}, ""},
		{"in range", body{At: &ok, Until: jsonapi.Nullable[time.Time]{Set: true, Value: ok}}, ""},
		{"cleared", body{Until: jsonapi.Nullable[time.Time]{Set: true, Null: true}}, ""},
		{"pointer out of range", body{At: &year0}, "/data/attributes/at"},
		{"nullable out of range", body{Until: jsonapi.Nullable[time.Time]{Set: true, Value: year0}}, "/data/attributes/until"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkTimes(&tc.in)
			if tc.pointer == "" {
				if err != nil {
					t.Fatalf("checkTimes = %v", err)
				}
				return
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Code != apperr.Invalid || ae.Pointer != tc.pointer {
				t.Fatalf("checkTimes = %#v, want Invalid at %s", err, tc.pointer)
			}
		})
	}
}
