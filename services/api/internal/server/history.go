package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/reports"
)

// historyResource renders an entry as the caller may see it.
func historyResource(e *reports.HistoryEntry) *jsonapi.Resource {
	id := strconv.FormatInt(e.ID, 10)
	return &jsonapi.Resource{Type: "change-history", ID: id,
		Attributes: map[string]any{"occurredAt": e.OccurredAt.UTC(), "action": e.Action, "resourceType": e.ResourceType,
			"resourceId": strconv.FormatInt(e.ResourceID, 10), "changes": e.Visible},
		Relationships: map[string]jsonapi.Relationship{
			"actorUser":    optRel("change-history", id, "actorUser", "users", e.ActorUserID),
			"actorContact": optRel("change-history", id, "actorContact", "contacts", e.ActorContactID),
		}}
}

// listHistory answers GET /api/v1/change-history with filter[case], filter[user], or
// filter[resourceType] with filter[resourceId] (reports.Service.History).
func (s *Server) listHistory(c *fiber.Ctx) error {
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Filters: []string{"case", "user", "resourceType", "resourceId"}, Sort: []string{"occurredAt"}})
	if err != nil {
		return err
	}
	page, err := s.reports.History(c.UserContext(), actorOf(c), reports.HistoryQuery{
		Case: filterOf(q, "case"), User: filterOf(q, "user"), ResourceType: filterOf(q, "resourceType"), ResourceID: filterOf(q, "resourceId"),
		Newest: len(q.Sort) > 0 && q.Sort[0].Desc, Offset: q.Page.Offset(), Limit: q.Page.Limit()})
	if err != nil {
		return err
	}
	out := make([]*jsonapi.Resource, len(page.Entries))
	for i := range page.Entries {
		out[i] = historyResource(&page.Entries[i])
	}
	links := jsonapi.PageLinks(c.Path(), string(c.Request().URI().QueryString()), q, page.Total)
	doc := jsonapi.Document{Data: jsonapi.Many(out), Links: &links, Meta: jsonapi.Meta{"total": page.Total, "truncated": page.Truncated}}
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
}
