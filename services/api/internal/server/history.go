package server

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// historyKinds maps a resource type to the rule family that decides who sees its history.
var historyKinds = map[string]rights.HistoryKind{
	"cases": rights.HistoryCase, "phases": rights.HistoryCase, "files": rights.HistoryCase, "comments": rights.HistoryCase,
	"invoices": rights.HistoryInvoice, "work-hours": rights.HistoryHours,
	"users": rights.HistoryUser, "api-keys": rights.HistoryUser, "accounts": rights.HistoryAccount,
	"contacts": rights.HistoryAccount, "addresses": rights.HistoryAccount,
}

// historyWindow is how many of the newest matching entries one history request considers.
const historyWindow = 5000

// historyReader decides change-history entries, loading each case and user once.
type historyReader struct {
	s     *Server
	subj  *rights.Subject
	cases map[int64]*rights.CaseAttrs
	units map[int64]int64
}

func (h *historyReader) caseOf(ctx context.Context, id int64) *rights.CaseAttrs {
	if c, ok := h.cases[id]; ok {
		return c
	}
	var cs model.Case
	var out *rights.CaseAttrs
	if err := h.s.db.NewSelect().Model(&cs).Where("id = ?", id).Scan(ctx); err == nil {
		a := caseAttrs(&cs)
		out = &a
	}
	h.cases[id] = out
	return out
}

func (h *historyReader) unitOf(ctx context.Context, user int64) int64 {
	if u, ok := h.units[user]; ok {
		return u
	}
	var unit int64
	h.s.db.NewSelect().Model((*model.User)(nil)).Column("unit_id").Where("id = ?", user).Scan(ctx, &unit) //nolint:errcheck // unknown user: unit 0
	h.units[user] = unit
	return unit
}

// decide returns whether the entry is visible and which fields of its changes are hidden.
// Entries about settings (profiles, units, statuses, settings) follow the settings right
// (ADM-2); travel follows TRV; activities follow what the calendar shows in full (ACT-1..7).
func (h *historyReader) decide(ctx context.Context, r *model.ChangeRecord) rights.Decision {
	var caseAttrs *rights.CaseAttrs
	if r.CaseID != nil {
		caseAttrs = h.caseOf(ctx, *r.CaseID)
	}
	var subjectUser int64
	if r.SubjectUserID != nil {
		subjectUser = *r.SubjectUserID
	}
	switch r.ResourceType {
	case "extranet-shares":
		// Who a case is shared with, and with which rights, is for those who may share it (EXT-1).
		if caseAttrs == nil {
			return rights.Decision{}
		}
		return rights.DecideCase(h.subj, rights.CaseShare, *caseAttrs)
	case "profiles", "business-units", "invoice-statuses", "settings":
		return rights.DecideAdmin(h.subj, rights.AdminSettings)
	case "travel-reimbursements":
		return rights.DecideTravel(h.subj, rights.TravelView, rights.TravelAttrs{UserID: subjectUser, UserUnitID: h.unitOf(ctx, subjectUser), Case: caseAttrs})
	case "activities":
		// Decision: an activity's history is its owner's and their managers' (USR-1, USR-2),
		// since it may hold private content (ACT-5).
		if subjectUser == h.subj.UserID {
			return rights.Decision{Allow: true}
		}
		return rights.DecideUser(h.subj, rights.UserEdit, rights.UserAttrs{ID: subjectUser})
	}
	kind, ok := historyKinds[r.ResourceType]
	if !ok {
		return rights.Decision{}
	}
	attrs := rights.HistoryAttrs{Kind: kind, Case: caseAttrs, UserID: subjectUser}
	if kind == rights.HistoryHours && caseAttrs != nil {
		attrs.Hour = &rights.HourAttrs{ID: r.ResourceID, UserID: subjectUser, Case: *caseAttrs, UserUnitID: h.unitOf(ctx, subjectUser)}
	}
	return rights.DecideHistory(h.subj, attrs)
}

func historyResource(r *model.ChangeRecord, hidden rights.FieldMask) *jsonapi.Resource {
	var changes map[string]any
	if err := json.Unmarshal([]byte(r.Changes), &changes); err != nil {
		changes = map[string]any{}
	}
	for field := range changes {
		if hidden.Hides(field) || hidden.Hides(strings.TrimPrefix(field, "rights.")) {
			delete(changes, field)
		}
	}
	id := strconv.FormatInt(r.ID, 10)
	return &jsonapi.Resource{Type: "change-history", ID: id,
		Attributes: map[string]any{"occurredAt": r.OccurredAt.UTC(), "action": r.Action, "resourceType": r.ResourceType,
			"resourceId": strconv.FormatInt(r.ResourceID, 10), "changes": changes},
		Relationships: map[string]jsonapi.Relationship{
			"actorUser":    optRel("change-history", id, "actorUser", "users", r.ActorUserID),
			"actorContact": optRel("change-history", id, "actorContact", "contacts", r.ActorContactID),
		}}
}

// listHistory answers GET /api/v1/change-history with filter[case], filter[user], or
// filter[resourceType] with filter[resourceId]. Each entry is shown only to those who may view
// its record now (CASE-16, USR-1, USR-2, PRF-6), with financial values removed for those who
// may not see them (CASE-5..8).
func (s *Server) listHistory(c *fiber.Ctx) error {
	p := caller(c)
	q, err := jsonapi.ParseQueryCtx(c, jsonapi.QuerySpec{Filters: []string{"case", "user", "resourceType", "resourceId"}, Sort: []string{"occurredAt"}})
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	sel := s.db.NewSelect().Model((*model.ChangeRecord)(nil))
	narrowed := false
	for name, col := range map[string]string{"case": "case_id", "user": "subject_user_id", "resourceId": "resource_id"} {
		if raw, ok := q.FilterValue(name); ok {
			v, err := listing.FilterValue(name, col, raw)
			if err != nil {
				return err
			}
			sel = sel.Where("? = ?", bun.Ident(col), v)
			narrowed = narrowed || name != "resourceId"
		}
	}
	if v, ok := q.FilterValue("resourceType"); ok {
		sel = sel.Where("resource_type = ?", v)
		_, hasID := q.FilterValue("resourceId")
		narrowed = narrowed || hasID
	}
	if !narrowed {
		return &apperr.Error{Code: apperr.Invalid, Detail: "Narrow the history with filter[case], filter[user], or filter[resourceType] and filter[resourceId].", Param: "filter"}
	}
	// Each entry is decided on its own, so the page is cut after the decisions. The window
	// is bounded; a narrower filter reaches older entries, and meta.truncated says so.
	var rows []model.ChangeRecord
	if err := sel.OrderExpr("id DESC").Limit(historyWindow+1).Scan(ctx, &rows); err != nil {
		return apperr.Wrap(err, "list history")
	}
	truncated := len(rows) > historyWindow
	if truncated {
		rows = rows[:historyWindow]
	}
	slices.Reverse(rows) // oldest first, as the entries happened
	reader := &historyReader{s: s, subj: p.Subject, cases: map[int64]*rights.CaseAttrs{}, units: map[int64]int64{}}
	var out []*jsonapi.Resource
	for i := range rows {
		if d := reader.decide(ctx, &rows[i]); d.Allow {
			out = append(out, historyResource(&rows[i], d.Hidden))
		}
	}
	if len(q.Sort) > 0 && q.Sort[0].Desc {
		slices.Reverse(out)
	}
	total := len(out)
	from, to := min(q.Page.Offset(), total), min(q.Page.Offset()+q.Page.Limit(), total)
	links := jsonapi.PageLinks(c.Path(), string(c.Request().URI().QueryString()), q, total)
	doc := jsonapi.Document{Data: jsonapi.Many(out[from:to]), Links: &links, Meta: jsonapi.Meta{"total": total, "truncated": truncated}}
	return jsonapi.WriteDocument(c, fiber.StatusOK, doc)
}
