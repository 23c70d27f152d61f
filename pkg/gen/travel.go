package gen

import (
	"context"
	"math"

	"github.com/caseroom/caseroom/pkg/model"
)

// genTravel inserts the travel reimbursements: claims by members of busy cases, most of them
// for a case, on days the case ran. Claims older than a month are mostly approved by the
// claimant's supervisor (the head approves their own, RIGHTS.md TRV-5), a few rejected.
func (g *generator) genTravel(ctx context.Context) error {
	w := make([]float64, len(g.cases))
	for i := range g.cases {
		w[i] = float64(g.cases[i].hours + 1)
	}
	cases := newPicker(w)
	today := g.cal.today()
	rows := make([]model.TravelReimbursement, g.sizes.Travel)
	for k := range rows {
		c := &g.cases[cases.pick(g.rng)]
		u := c.members[g.rng.IntN(len(c.members))]
		day := between(g.rng, c.start, c.lastWorked(today))
		amount := int64(min(lognormal(g.rng, math.Log(6000), 0.8), 500000)) / 100 * 100
		t := model.TravelReimbursement{ID: g.seq.travel.take(), UserID: g.users[u].id, TravelDate: g.cal.date(day),
			Description: oneOf(g.rng, travelTrips), Amount: max(amount, 100), Status: "pending", Version: 1,
			CreatedAt: g.cal.at(day, 18)}
		t.UpdatedAt = t.CreatedAt
		if chance(g.rng, 0.8) {
			t.CaseID = &c.id
		}
		if r := g.rng.Float64(); today-day > 30 && r < 0.97 {
			by := u
			if s := g.users[u].supervisor; s >= 0 {
				by = s
			}
			at := g.notAfterNow(g.cal.at(day+5, 10))
			t.Status, t.ApprovedByUserID, t.ApprovedAt, t.UpdatedAt = "approved", &g.users[by].id, &at, at
			if r >= 0.93 {
				t.Status = "rejected"
			}
		}
		rows[k] = t
	}
	if err := insertRows(ctx, g.w, "travel reimbursements", rows); err != nil {
		return err
	}
	g.progress.report("travel", len(rows), len(rows))
	return nil
}
