package gen

import (
	"fmt"

	"github.com/caseroom/caseroom/pkg/model"
)

// planInvoices shares the invoices out among the cases in proportion to their hours, so that
// each invoice bills at least one entry: a case gets at most half as many invoices as hours.
func (g *generator) planInvoices() {
	total := g.sizes.Invoices
	if total == 0 {
		return
	}
	limit := func(c *kase) int { return (c.hours + 1) / 2 }
	sum := 0
	w := make([]float64, len(g.cases))
	for i := range g.cases {
		c := &g.cases[i]
		x := float64(total) * float64(c.hours) / float64(g.sizes.Hours)
		n := int(x)
		if chance(g.rng, x-float64(n)) {
			n++
		}
		c.invoices = min(n, limit(c))
		sum += c.invoices
		w[i] = float64(c.hours)
	}
	// Rounding leaves the sum a little off; draw cases to make it exact.
	p := newPicker(w)
	for sum < total {
		if c := &g.cases[p.pick(g.rng)]; c.invoices < limit(c) {
			c.invoices++
			sum++
		}
	}
	for sum > total {
		if c := &g.cases[g.rng.IntN(len(g.cases))]; c.invoices > 0 {
			c.invoices--
			sum--
		}
	}
}

// invoiceHours bills case c's hours (in date order, with their days) as the product does: an
// invoice takes the billable entries not invoiced yet, with a row per entry, and its total is
// the sum of their prices. The hours are cut into consecutive stretches, one per invoice; a
// closed case is billed to the end, a running one keeps its latest stretch uninvoiced.
func (g *generator) invoiceHours(c *kase, hours []model.WorkHour, days []int,
	invoices []model.Invoice, rows []model.InvoiceRow) ([]model.Invoice, []model.InvoiceRow) {
	stretches := c.invoices
	if c.status != "closed" {
		stretches++
	}
	stretches = min(stretches, len(hours))
	for k := range c.invoices {
		lo, hi := k*len(hours)/stretches, (k+1)*len(hours)/stretches
		inv := g.invoice(c, days[hi-1])
		// Every invoice bills something; an invoiced entry can no longer be rejected.
		hours[lo].Billable = true
		for j := lo; j < hi; j++ {
			h := &hours[j]
			if !h.Billable {
				continue
			}
			if h.ApprovalStatus == "rejected" {
				g.approve(h, g.userIndex(h.UserID), days[j])
			}
			h.InvoiceID = &inv.ID
			rows = append(rows, model.InvoiceRow{ID: g.seq.rows.take(), InvoiceID: inv.ID, WorkHourID: &h.ID,
				Description: h.Description, QuantityMinutes: h.Minutes, UnitPrice: h.UnitPrice, Total: h.Price()})
			inv.Total += h.Price()
		}
		invoices = append(invoices, *inv)
	}
	return invoices, rows
}

// invoice starts an invoice of case c issued a few days after lastDay: Draft for a week,
// then Sent, then Paid after six weeks, but for a few that still wait for payment after a
// reminder. The number has the product's form, year and id.
func (g *generator) invoice(c *kase, lastDay int) *model.Invoice {
	today := g.cal.today()
	issue := min(lastDay+between(g.rng, 1, 10), today)
	id := g.seq.invoices.take()
	pos, reminders := 2, 0
	switch age := today - issue; {
	case age <= 7:
		pos = 0
	case age <= 45:
		pos = 1
	case chance(g.rng, 0.02):
		pos, reminders = 1, 1
	}
	at := g.notAfterNow(g.cal.at(issue, 12))
	return &model.Invoice{ID: id, CaseID: c.id, Number: fmt.Sprintf("%d-%05d", g.cal.year(issue), id),
		StatusID: g.status(pos), IssueDate: g.cal.date(issue), DueDate: g.cal.date(issue + 14), Currency: g.currency,
		ReminderCount: reminders, Version: 1, CreatedAt: at, UpdatedAt: at}
}
