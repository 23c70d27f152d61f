package model

import "time"

// The ranges below are the one definition of what a client may store in a money, quantity,
// date or timestamp attribute. The API checks every such attribute against them and its
// OpenAPI document states them; a value outside is refused with 400 before it reaches the
// database.
//
// Money bounds, and why sums stay safe: the case list and the reports sum money columns over
// every row of a case or an account in SQL. SQLite fails a sum past 2^63-1 (≈ 9.22e18) with
// "integer overflow", PostgreSQL with "out of range", and one such row used to break those
// pages for every user. With each amount at most MaxMoney = 1e12 minor units (10 billion in
// currency units), 9.2 million amounts at the maximum still sum within int64. A work-hour
// entry's price is rate × minutes / 60 ≤ MaxHourlyRate × 24 = 2.4e9, so billions of entries
// at the maximum rate still sum safely, and rate × minutes (≤ 1.44e11) never overflows before
// the division.
const (
	// MaxMoney is the largest single amount, in minor units (cents): travel amounts, case
	// forecasts and expected values.
	MaxMoney int64 = 1_000_000_000_000
	// MaxHourlyRate is the largest hourly price or cost of a user, in minor units per hour
	// (one million currency units an hour).
	MaxHourlyRate int64 = 100_000_000
	// MinMinutes and MaxMinutes bound one work-hour entry: at least a minute, at most a day.
	MinMinutes int64 = 1
	MaxMinutes int64 = 24 * 60
)

// Range is an inclusive range of an integer attribute.
type Range struct{ Min, Max int64 }

// Contains reports whether v lies within r.
func (r Range) Contains(v int64) bool { return v >= r.Min && v <= r.Max }

// The ranges of the writable integer attributes, named for what they hold.
var (
	MoneyRange      = Range{0, MaxMoney}
	HourlyRateRange = Range{0, MaxHourlyRate}
	MinutesRange    = Range{MinMinutes, MaxMinutes}
)

// Date and time bounds: PostgreSQL refuses year 0 (which Go parses as 1 BC), a JSON
// timestamp has four year digits, and both layouts here do too, so years 1..9999 are the most
// both databases and the wire agree on. The lower end is 1900 rather than 1: no work, travel
// or meeting of the firm predates it, and a mistyped year such as 0226 is caught instead of
// stored.
const (
	// MinDate is the earliest date a client may send.
	MinDate Date = "1900-01-01"
	// MaxDate is the latest date a client may send.
	MaxDate Date = "9999-12-31"
)

// MinTime and MaxTime bound timestamps (an activity's start and end), compared in UTC: a
// timestamp with an offset counts by the instant it names.
var (
	MinTime = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
	MaxTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
)

// TimeInRange reports whether t lies within MinTime..MaxTime.
func TimeInRange(t time.Time) bool { return !t.Before(MinTime) && !t.After(MaxTime) }
