package model_test

import (
	"math"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/model"
)

func TestDateValid(t *testing.T) {
	for _, tc := range []struct {
		date model.Date
		want bool
	}{
		{"2026-11-24", true},
		{model.MinDate, true},
		{model.MaxDate, true},
		{"2024-02-29", true},
		{"0000-01-01", false}, // year 0: Go parses it, PostgreSQL refuses it
		{"0001-01-01", false},
		{"1899-12-31", false},
		{"10000-01-01", false},
		{"-001-01-01", false}, // Go reads a signed four-character year
		{"+999-01-01", false},
		{"2025-02-29", false},
		{"2026-1-05", false},
		{"2026-11-24T00:00:00Z", false},
		{"", false},
	} {
		if got := tc.date.Valid(); got != tc.want {
			t.Errorf("Date(%q).Valid() = %v, want %v", tc.date, got, tc.want)
		}
	}
}

func TestTimeInRange(t *testing.T) {
	plusOne := time.FixedZone("+01:00", 3600)
	for _, tc := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"now", time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), true},
		{"the first instant", model.MinTime, true},
		{"the last instant", model.MaxTime, true},
		{"year 0", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"a nanosecond too early", model.MinTime.Add(-time.Nanosecond), false},
		{"a nanosecond too late", model.MaxTime.Add(time.Nanosecond), false},
		{"1900 locally, 1899 in UTC", time.Date(1900, 1, 1, 0, 30, 0, 0, plusOne), false},
		{"the zero time", time.Time{}, false},
	} {
		if got := model.TimeInRange(tc.at); got != tc.want {
			t.Errorf("%s: TimeInRange(%s) = %v, want %v", tc.name, tc.at, got, tc.want)
		}
	}
}

func TestRanges(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    model.Range
		v    int64
		want bool
	}{
		{"no money", model.MoneyRange, 0, true},
		{"the most money", model.MoneyRange, model.MaxMoney, true},
		{"more than the most money", model.MoneyRange, model.MaxMoney + 1, false},
		{"negative money", model.MoneyRange, -1, false},
		{"int64 max", model.MoneyRange, math.MaxInt64, false},
		{"a minute", model.MinutesRange, 1, true},
		{"no minutes", model.MinutesRange, 0, false},
		{"a day", model.MinutesRange, 24 * 60, true},
		{"a day and a minute", model.MinutesRange, 24*60 + 1, false},
		{"the highest rate", model.HourlyRateRange, model.MaxHourlyRate, true},
		{"a higher rate", model.HourlyRateRange, model.MaxHourlyRate + 1, false},
	} {
		if got := tc.r.Contains(tc.v); got != tc.want {
			t.Errorf("%s: %v.Contains(%d) = %v, want %v", tc.name, tc.r, tc.v, got, tc.want)
		}
	}
}

// TestSumsCannotOverflow: the bounds are chosen so that millions of rows at their maximum
// still sum within int64, which is what keeps the case list and the reports from failing.
func TestSumsCannotOverflow(t *testing.T) {
	const rows = 9_000_000
	if model.MaxMoney > math.MaxInt64/rows {
		t.Errorf("%d amounts of MaxMoney overflow int64", rows)
	}
	price := model.MaxHourlyRate * model.MaxMinutes / 60
	if model.MaxHourlyRate > math.MaxInt64/model.MaxMinutes || price > math.MaxInt64/rows {
		t.Errorf("%d entries at MaxHourlyRate overflow int64", rows)
	}
}
