package gen

import (
	"context"
	"math"
	"slices"

	"github.com/caseroom/caseroom/pkg/model"
)

// planHours shares the work hours out among the cases: cases that ran longer and have more
// members get more, and a lognormal factor gives a few cases thousands of entries.
func (g *generator) planHours() {
	today := g.cal.today()
	w := make([]float64, len(g.cases))
	for i := range g.cases {
		c := &g.cases[i]
		days := c.lastWorked(today) - c.start + 1
		w[i] = lognormal(g.rng, 0, 1) * math.Pow(float64(days), 0.8) * math.Sqrt(float64(len(c.members)))
	}
	p := newPicker(w)
	for range g.sizes.Hours {
		g.cases[p.pick(g.rng)].hours++
	}
}

// hourBatch collects the rows of the next INSERTs in the order their references need:
// invoices, then the hours that point at them, then the invoice rows that point at both.
type hourBatch struct {
	invoices []model.Invoice
	hours    []model.WorkHour
	rows     []model.InvoiceRow
	// written counts what earlier flushes wrote.
	written struct{ invoices, hours, rows int }
}

func (b *hourBatch) flush(ctx context.Context, g *generator) error {
	if err := insertRows(ctx, g.w, "invoices", b.invoices); err != nil {
		return err
	}
	if err := insertRows(ctx, g.w, "work hours", b.hours); err != nil {
		return err
	}
	if err := insertRows(ctx, g.w, "invoice rows", b.rows); err != nil {
		return err
	}
	b.written.invoices += len(b.invoices)
	b.written.hours += len(b.hours)
	b.written.rows += len(b.rows)
	b.invoices, b.hours, b.rows = b.invoices[:0], b.hours[:0], b.rows[:0]
	g.progress.report("hours", b.written.hours, g.sizes.Hours)
	return nil
}

// genHours writes every case's hours, invoices and invoice rows, case by case, so that only
// one batch is ever held in memory.
func (g *generator) genHours(ctx context.Context) error {
	var b hourBatch
	for i := range g.cases {
		c := &g.cases[i]
		hours, days := g.caseHours(c)
		b.invoices, b.rows = g.invoiceHours(c, hours, days, b.invoices, b.rows)
		b.hours = append(b.hours, hours...)
		if len(b.hours) >= batchRows {
			if err := b.flush(ctx, g); err != nil {
				return err
			}
		}
	}
	if err := b.flush(ctx, g); err != nil {
		return err
	}
	g.progress.report("invoices", b.written.invoices, b.written.invoices)
	g.progress.report("invoice rows", b.written.rows, b.written.rows)
	return nil
}

// caseHours makes the entries of case c in date order, with the day of each: on workdays
// between the case's start and its end (or today), by its members at their own rates.
func (g *generator) caseHours(c *kase) ([]model.WorkHour, []int) {
	today := g.cal.today()
	lo, hi := c.start, c.lastWorked(today)
	days := make([]int, c.hours)
	for k := range days {
		days[k] = g.cal.workday(between(g.rng, lo, hi), lo, hi)
	}
	slices.Sort(days)
	hours := make([]model.WorkHour, c.hours)
	for k, day := range days {
		u := c.members[g.rng.IntN(len(c.members))]
		h := &hours[k]
		*h = model.WorkHour{ID: g.seq.hours.take(), CaseID: c.id, PhaseID: c.phaseOf(day), UserID: g.users[u].id,
			WorkDate: g.cal.date(day), Minutes: 15 * between(g.rng, 1, 32), Description: oneOf(g.rng, hourTasks),
			Billable: chance(g.rng, 0.88), UnitPrice: g.users[u].price, UnitCost: g.users[u].cost,
			ApprovalStatus: "pending", Version: 1, CreatedAt: g.cal.at(day, 17)}
		h.UpdatedAt = h.CreatedAt
		g.review(h, u, day)
	}
	return hours, days
}

// review approves or rejects an entry as its user's supervisor would (the head approves
// their own, RIGHTS.md WHA-6): entries older than a month are nearly all approved and a few
// rejected; of newer ones about half are still pending.
func (g *generator) review(h *model.WorkHour, u, day int) {
	old := g.cal.today()-day > 30
	switch r := g.rng.Float64(); {
	case old && r < 0.97, !old && r < 0.5:
		g.approve(h, u, day)
	case old && r < 0.99:
		g.approve(h, u, day)
		h.ApprovalStatus, h.RejectComment = "rejected", oneOf(g.rng, rejectedReasons)
	}
}

// approve marks an entry of user u approved by their supervisor two days after the work.
func (g *generator) approve(h *model.WorkHour, u, day int) {
	by := u
	if s := g.users[u].supervisor; s >= 0 {
		by = s
	}
	at := g.notAfterNow(g.cal.at(day+2, 10))
	h.ApprovalStatus, h.RejectComment, h.ApprovedByUserID, h.ApprovedAt, h.UpdatedAt = "approved", "", &g.users[by].id, &at, at
}

// userIndex returns the index of the generated user with id; ids are consecutive.
func (g *generator) userIndex(id int64) int { return int(id - g.users[0].id) }
