package gen

import "github.com/caseroom/caseroom/pkg/model"

// phase is a generated stage of a case; phases cover the case's days one after another.
type phase struct {
	id         int64
	name       string
	start, end int
}

// planPhases gives about a third of the cases that last a month or more two to four phases.
func (g *generator) planPhases(c *kase) {
	days := c.end - c.start + 1
	if days < 30 || !chance(g.rng, 0.3) {
		return
	}
	n := between(g.rng, 2, 4)
	first := g.rng.IntN(len(phaseNames) - n + 1)
	day := c.start
	for k, length := range apportion(days, jitter(g.rng, n), 1) {
		c.phases = append(c.phases, phase{id: g.seq.phases.take(), name: phaseNames[first+k], start: day, end: day + length - 1})
		day += length
	}
}

// phaseOf returns the id of the phase of case c that day falls in, or nil.
func (c *kase) phaseOf(day int) *int64 {
	for k := range c.phases {
		if p := &c.phases[k]; day >= p.start && day <= p.end {
			return &p.id
		}
	}
	return nil
}

// appendPhaseRows appends the rows of case c's phases: done phases were approved by the owner
// the day after they ended.
func (g *generator) appendPhaseRows(rows []model.Phase, c *kase) []model.Phase {
	today := g.cal.today()
	for _, p := range c.phases {
		row := model.Phase{ID: p.id, CaseID: c.id, Name: p.name, Status: "in_progress", StartsOn: g.cal.date(p.start),
			EndsOn: g.cal.date(p.end), ApprovalStatus: "pending", Version: 1, CreatedAt: g.cal.at(c.start, 9)}
		row.UpdatedAt = row.CreatedAt
		switch {
		case p.end < today:
			at := g.notAfterNow(g.cal.at(p.end+1, 12))
			row.Status, row.ApprovalStatus, row.ApprovedByUserID, row.ApprovedAt = "done", "approved", &g.users[c.owner].id, &at
			row.UpdatedAt = at
		case p.start > today:
			row.Status = "open"
		}
		rows = append(rows, row)
	}
	return rows
}
