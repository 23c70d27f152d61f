package gen

import (
	"time"

	"github.com/caseroom/caseroom/pkg/model"
)

// historyYears is how far back the organisation's cases, hours and invoices go.
const historyYears = 10

// calendar numbers the days of the organisation's history: day 0 is historyYears before
// today, and the last day is today. Dates are computed once per day rather than once per row.
type calendar struct {
	first time.Time
	dates []model.Date
}

func newCalendar(now time.Time, years int) calendar {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	first := today.AddDate(-years, 0, 0)
	n := int(today.Sub(first).Hours()/24) + 1
	c := calendar{first: first, dates: make([]model.Date, n)}
	for d := range c.dates {
		c.dates[d] = model.DateOf(first.AddDate(0, 0, d))
	}
	return c
}

// today is the number of the last day.
func (c calendar) today() int { return len(c.dates) - 1 }

// date returns day d as a model.Date; days after today are computed.
func (c calendar) date(d int) model.Date {
	if d >= 0 && d < len(c.dates) {
		return c.dates[d]
	}
	return model.DateOf(c.first.AddDate(0, 0, d))
}

// at returns the instant hour:00 UTC of day d.
func (c calendar) at(d, hour int) time.Time {
	return c.first.AddDate(0, 0, d).Add(time.Duration(hour) * time.Hour)
}

// year returns the calendar year of day d.
func (c calendar) year(d int) int { return c.first.AddDate(0, 0, d).Year() }

// workday moves a Saturday back to Friday and a Sunday on to Monday, staying within lo..hi.
func (c calendar) workday(d, lo, hi int) int {
	switch (int(c.first.Weekday()) + d) % 7 {
	case int(time.Saturday):
		if d-1 >= lo {
			return d - 1
		}
	case int(time.Sunday):
		if d+1 <= hi {
			return d + 1
		}
	}
	return d
}
