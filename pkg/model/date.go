package model

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date ("2006-01-02"). PostgreSQL stores it as DATE, SQLite as TEXT;
// Date scans either form and always writes the text form.
type Date string

// DateLayout is the one textual form of a Date.
const DateLayout = "2006-01-02"

// DateOf returns the calendar date of t.
func DateOf(t time.Time) Date { return Date(t.Format(DateLayout)) }

// Time returns the date at midnight UTC.
func (d Date) Time() (time.Time, error) { return time.Parse(DateLayout, string(d)) }

// Valid reports whether d is a real calendar date in its one textual form, within
// MinDate..MaxDate (the range both databases store; see limits.go).
func (d Date) Valid() bool {
	t, err := d.Time()
	return err == nil && DateOf(t) == d && d >= MinDate && d <= MaxDate
}

// Scan implements sql.Scanner.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = ""
	case time.Time:
		*d = Date(v.Format(DateLayout))
	case string:
		*d = Date(trimDate(v))
	case []byte:
		*d = Date(trimDate(string(v)))
	default:
		return fmt.Errorf("scan date from %T", src)
	}
	return nil
}

// Value implements driver.Valuer.
func (d Date) Value() (driver.Value, error) {
	if d == "" {
		return nil, nil
	}
	return string(d), nil
}

func trimDate(s string) string {
	if len(s) > len(DateLayout) {
		return s[:len(DateLayout)]
	}
	return s
}
