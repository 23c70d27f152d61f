package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/reports"
)

// filterOf is the value of filter[name], nil when the request does not give it.
func filterOf(q jsonapi.Query, name string) *string {
	if v, ok := q.FilterValue(name); ok {
		return &v
	}
	return nil
}

// hourReport answers GET /api/v1/reports/work-hours?group=user|case&filter[from]=&filter[to]=
// (reports.Service.WorkHours).
func (s *Server) hourReport(c *fiber.Ctx) error {
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Filters: []string{"from", "to", "case", "user"}, Custom: []string{"group"}})
	hq := reports.HourQuery{Query: reports.Query{Err: err}, Group: q.Custom.Get("group"),
		From: filterOf(q, "from"), To: filterOf(q, "to"), Case: filterOf(q, "case"), User: filterOf(q, "user")}
	r, err := s.reports.WorkHours(c.UserContext(), actorOf(c), hq)
	if err != nil {
		return err
	}
	return s.streamReport(c, report{name: "work-hours", columns: append(jsonapi.AttrColumns("minutes", "entries", "price"), jsonapi.RelColumn(r.Group)),
		hidden: r.Hidden, meta: func(int) jsonapi.Meta { return jsonapi.Meta{"group": r.Group} },
		next: batchesOf(r.Batches, func(t *reports.HourTotal) *jsonapi.Resource { return hourTotalResource(r.Group, t) })})
}

// hourTotalResource renders a total of the report grouped by group ("user" or "case").
func hourTotalResource(group string, t *reports.HourTotal) *jsonapi.Resource {
	target := map[string]string{"user": "users", "case": "cases"}[group]
	id := strconv.FormatInt(t.Key, 10)
	attrs := map[string]any{"minutes": t.Minutes, "entries": t.Entries}
	if !t.PriceHidden {
		attrs["price"] = t.Price
	}
	return &jsonapi.Resource{Type: "work-hour-report-rows", ID: group + ":" + id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{group: {Data: jsonapi.ToOne(target, id)}}}
}
