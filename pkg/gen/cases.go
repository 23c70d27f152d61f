package gen

import (
	"context"
	"fmt"
	"math"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// kase is a generated case ("case" is a Go keyword).
type kase struct {
	id      int64
	name    string
	owner   int
	unit    int
	account int
	// start and end are days of the calendar; end may lie after today.
	start, end  int
	status      string
	probability int
	// members are the users on the case, the owner first (RIGHTS.md ORG-4).
	members []int
	phases  []phase
	// hours and invoices are how many of each the case gets.
	hours, invoices int
}

// lastWorked is the last day on which the case can have hours: its end, or today.
func (c *kase) lastWorked(today int) int { return min(c.end, today) }

// genCases plans the cases (owner, unit, account, dates, members, phases), shares the hours
// and invoices out among them, and inserts cases, members and phases.
func (g *generator) genCases(ctx context.Context) error {
	owners := newPicker(g.ownerWeights())
	accounts := newPicker(g.accountWeights())
	today := g.cal.today()
	g.cases = make([]kase, g.sizes.Cases)
	for i := range g.cases {
		c := &g.cases[i]
		c.id = g.seq.cases.take()
		c.owner = owners.pick(g.rng)
		c.unit = g.users[c.owner].unit
		c.account = accounts.pick(g.rng)
		// More cases start in recent years than long ago: the firm has grown.
		c.start = int(float64(today-14) * math.Sqrt(g.rng.Float64()))
		c.end = c.start + int(min(max(lognormal(g.rng, math.Log(120), 0.9), 7), 1500))
		c.status, c.probability = g.caseStatus(c, today)
		c.name = fmt.Sprintf("%s %s %d", g.accounts[c.account].short, oneOf(g.rng, projectKinds), g.cal.year(c.start))
		g.planMembers(c)
		g.planPhases(c)
	}
	g.addReservedMembers()
	g.planHours()
	g.planInvoices()
	return g.insertCases(ctx)
}

// ownerWeights are how likely each user is to own a case: managers and team leads own most,
// employees some, the head, administrators and controllers a few. Reserved callers and users
// whose overrides lower their rights own none.
func (g *generator) ownerWeights() []float64 {
	w := make([]float64, len(g.users))
	for i, u := range g.users {
		switch u.role {
		case roleManager, roleLead:
			w[i] = 8
		case roleEmployee:
			w[i] = 1
		default:
			w[i] = 0.5
		}
		for _, o := range u.overrides {
			if o.RightName == rights.ColAccounts || o.Value == "member_no_financials" {
				w[i] = 0
			}
		}
		if u.reserved {
			w[i] = 0
		}
	}
	return w
}

// caseStatus returns a status the API accepts and a probability: cases that ended are closed
// (a few on hold), running ones open or in progress, and recent open ones still uncertain.
func (g *generator) caseStatus(c *kase, today int) (string, int) {
	r := g.rng.Float64()
	switch {
	case c.end < today && r < 0.95:
		return "closed", 100
	case c.end < today || r < 0.05:
		return "on_hold", 100
	case r < 0.6:
		return "in_progress", 100
	case today-c.start < 60:
		return "open", 10 * between(g.rng, 3, 9)
	}
	return "open", 100
}

// insertCases writes the cases, their members and their phases.
func (g *generator) insertCases(ctx context.Context) error {
	cases := make([]model.Case, len(g.cases))
	var members []model.CaseMember
	var phases []model.Phase
	for i := range g.cases {
		c := &g.cases[i]
		cases[i] = g.caseRow(c)
		for _, m := range c.members {
			members = append(members, model.CaseMember{CaseID: c.id, UserID: g.users[m].id, CreatedAt: cases[i].CreatedAt})
		}
		phases = g.appendPhaseRows(phases, c)
	}
	if err := insertRows(ctx, g.w, "cases", cases); err != nil {
		return err
	}
	g.progress.report("cases", len(cases), len(cases))
	if err := insertRows(ctx, g.w, "case members", members); err != nil {
		return err
	}
	g.progress.report("case members", len(members), len(members))
	if err := insertRows(ctx, g.w, "phases", phases); err != nil {
		return err
	}
	g.progress.report("phases", len(phases), len(phases))
	return nil
}

// caseRow is the row of case c. Forecasts follow the hours the case gets, at about four hours
// an entry and an average rate, with some optimism or pessimism.
func (g *generator) caseRow(c *kase) model.Case {
	forecast := int64(float64(c.hours+2)*4*12000*(0.8+0.6*g.rng.Float64())) / 10000 * 10000
	t := g.cal.at(c.start, 9)
	return model.Case{ID: c.id, AccountID: g.accounts[c.account].id, OwnerID: g.users[c.owner].id,
		UnitID: g.units[c.unit].id, Name: c.name, Status: c.status, BillingForecast: forecast,
		ExpenseForecast: forecast * 55 / 100, ExpectedValue: forecast * int64(c.probability) / 100,
		Probability: c.probability, ExpectedOrderDate: g.cal.date(c.start - g.rng.IntN(30)),
		StartsOn: g.cal.date(c.start), EndsOn: g.cal.date(c.end), Version: 1, CreatedAt: t, UpdatedAt: t}
}
