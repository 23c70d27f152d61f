package server

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
)

// activityRow is an activity with what visibility depends on.
type activityRow struct {
	model.Activity `bun:",extend"`
	Visibility     int    `bun:"visibility"`
	Participants   string `bun:"participants"` // comma-separated user ids
	CaseOwnerID    *int64 `bun:"case_owner_id"`
	CaseUnitID     *int64 `bun:"case_unit_id"`
	CaseAccountID  *int64 `bun:"case_account_id"`
}

func activityColumns(q *bun.SelectQuery) *bun.SelectQuery {
	agg := "string_agg(CAST(ap.user_id AS TEXT), ',')"
	if q.Dialect().Name().String() != "pg" {
		agg = "group_concat(ap.user_id)"
	}
	return q.ColumnExpr("act.*").
		ColumnExpr("COALESCE((SELECT " + agg + " FROM activity_participants ap WHERE ap.activity_id = act.id), '') AS participants").
		ColumnExpr("ac.owner_id AS case_owner_id, ac.unit_id AS case_unit_id, ac.account_id AS case_account_id").
		Join("LEFT JOIN cases AS ac ON ac.id = act.case_id")
}

func (a *activityRow) participantIDs() []int64 {
	var out []int64
	for _, p := range strings.Split(a.Participants, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func (a *activityRow) attrs() rights.ActivityAttrs {
	cat, _ := rights.ParseActivityCategory(a.Category)
	out := rights.ActivityAttrs{OwnerID: a.OwnerID, Category: cat, Participants: a.participantIDs()}
	if a.CaseID != nil && a.CaseOwnerID != nil {
		out.Case = &rights.CaseAttrs{ID: *a.CaseID, OwnerID: *a.CaseOwnerID, UnitID: *a.CaseUnitID, AccountID: *a.CaseAccountID}
	}
	if a.AccountID != nil {
		out.AccountID = *a.AccountID
	}
	return out
}

// activityLabels are what a calendar shows of an activity whose content is hidden (ACT-2,
// ACT-4, ACT-5).
var activityLabels = map[string]string{"work": "Work", "todo": "To-do", "out_of_office": "Out of office", "personal": "Private"}

// activityResource renders an activity at visibility v: the label and the time always
// (ACT-1), the name from VisibleName (ACT-2), everything from VisibleFull.
func activityResource(a *activityRow, v rights.Visibility) *jsonapi.Resource {
	id := strconv.FormatInt(a.ID, 10)
	attrs := map[string]any{"category": a.Category, "label": activityLabels[a.Category], "startsAt": a.StartsAt.UTC(),
		"endsAt": a.EndsAt.UTC(), "visibility": []string{"label", "name", "full"}[v]}
	rels := map[string]jsonapi.Relationship{"owner": toOne("activities", id, "owner", "users", a.OwnerID)}
	if v >= rights.VisibleName {
		attrs["name"] = a.Name
	}
	if v == rights.VisibleFull {
		attrs["description"], attrs["version"] = a.Description, a.Version
		rels["case"] = optRel("activities", id, "case", "cases", a.CaseID)
		rels["account"] = optRel("activities", id, "account", "accounts", a.AccountID)
		ids := make([]string, 0)
		for _, p := range a.participantIDs() {
			ids = append(ids, strconv.FormatInt(p, 10))
		}
		rels["participants"] = jsonapi.Relationship{Data: jsonapi.ToMany(jsonapi.Identifiers("users", ids...))}
	}
	return &jsonapi.Resource{Type: "activities", ID: id, Attributes: attrs, Relationships: rels,
		Links: &jsonapi.Links{Self: apiBase + "/activities/" + id}}
}

// listActivities answers GET /api/v1/activities: every activity is in the calendar (ACT-1),
// each reduced to what the caller may see, computed in SQL by the same rules as
// rights.ActivityVisibility. Filtering by name only reaches names the caller may read.
func (s *Server) listActivities(c *fiber.Ctx) error {
	p := caller(c)
	return collection[activityRow]{table: "activities AS act",
		extend: func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Apply(activityColumns).Apply(scope.ActivityVisibilityColumn(p.Subject, "act", "visibility"))
		},
		scope:   scope.ActivityView(p.Subject, "act"),
		sorts:   map[string]string{"startsAt": "act.starts_at", "endsAt": "act.ends_at"},
		filters: map[string]string{"owner": "act.owner_id", "category": "act.category"}, include: []string{"owner", "case", "account"},
		resource: func(a *activityRow) *jsonapi.Resource {
			return activityResource(a, rights.Visibility(a.Visibility))
		}}.run(s, c)
}

func (s *Server) loadActivity(ctx context.Context, db bun.IDB, rawID string) (*activityRow, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, apperr.E(apperr.NotFound, "No activity %q.", rawID)
	}
	var a activityRow
	err = db.NewSelect().Model(&a).ModelTableExpr("activities AS act").Apply(activityColumns).Where("act.id = ?", id).Scan(ctx)
	if isNoRows(err) {
		return nil, apperr.E(apperr.NotFound, "No activity %d.", id)
	}
	if err != nil {
		return nil, apperr.Wrap(err, "load activity")
	}
	return &a, nil
}

func (s *Server) getActivity(c *fiber.Ctx) error {
	a, err := s.loadActivity(c.UserContext(), s.db, c.Params("id"))
	if err != nil {
		return err
	}
	v, _ := rights.ActivityVisibility(caller(c).Subject, a.attrs())
	return writeOne(c, fiber.StatusOK, activityResource(a, v))
}

type activityBody struct {
	Category     *string                       `jsonapi:"category"`
	Name         *string                       `jsonapi:"name"`
	Description  *string                       `jsonapi:"description"`
	StartsAt     *time.Time                    `jsonapi:"startsAt"`
	EndsAt       *time.Time                    `jsonapi:"endsAt"`
	Version      *int64                        `jsonapi:"version"`
	Owner        *jsonapi.IncomingRelationship `jsonapi:"owner,rel"`
	Case         *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
	Account      *jsonapi.IncomingRelationship `jsonapi:"account,rel"`
	Participants *jsonapi.IncomingRelationship `jsonapi:"participants,rel"`
}

// applyActivity sets fields and relations, loading the case so the decision sees it.
func (s *Server) applyActivity(ctx context.Context, tx bun.IDB, p *principal, a *activityRow, req *activityBody) error {
	if req.Category != nil {
		if _, ok := activityLabels[*req.Category]; !ok {
			return apperr.E(apperr.Invalid, "category must be work, todo, out_of_office or personal").AtPointer("/data/attributes/category")
		}
		a.Category = *req.Category
	}
	if req.Name != nil {
		a.Name = strings.TrimSpace(*req.Name)
	}
	if req.Description != nil {
		a.Description = strings.TrimSpace(*req.Description)
	}
	if req.StartsAt != nil {
		a.StartsAt = req.StartsAt.UTC()
	}
	if req.EndsAt != nil {
		a.EndsAt = req.EndsAt.UTC()
	}
	if a.Name == "" {
		return apperr.E(apperr.Invalid, "name is required").AtPointer("/data/attributes/name")
	}
	if !a.EndsAt.After(a.StartsAt) {
		return apperr.E(apperr.Invalid, "endsAt must be after startsAt").AtPointer("/data/attributes/endsAt")
	}
	if req.Owner != nil {
		id, null, err := relID(req.Owner, "users", "/data/relationships/owner")
		if err != nil || null {
			return apperr.E(apperr.Invalid, "owner must be a user").AtPointer("/data/relationships/owner")
		}
		a.OwnerID = id
	}
	if req.Case != nil {
		id, null, err := relID(req.Case, "cases", "/data/relationships/case")
		if err != nil {
			return err
		}
		a.CaseID, a.CaseOwnerID, a.CaseUnitID, a.CaseAccountID = nil, nil, nil, nil
		if !null {
			// A case the caller may not view is as missing here as anywhere (STYLE rule 3).
			row, _, err := s.loadCaseTx(ctx, tx, p, strconv.FormatInt(id, 10), rights.CaseView)
			if err != nil {
				if apperr.CodeOf(err) == apperr.NotFound {
					return apperr.E(apperr.Invalid, "No case %d.", id).AtPointer("/data/relationships/case")
				}
				return err
			}
			a.CaseID, a.CaseOwnerID, a.CaseUnitID, a.CaseAccountID = &row.ID, &row.OwnerID, &row.UnitID, &row.AccountID
		}
	}
	if req.Account != nil {
		id, null, err := relID(req.Account, "accounts", "/data/relationships/account")
		if err != nil {
			return err
		}
		a.AccountID = nil
		if !null {
			visible := rights.DecideAccount(p.Subject, rights.AccountView, rights.AccountAttrs{ID: id}).Allow
			if ok, _ := tx.NewSelect().Model((*model.Account)(nil)).Where("id = ?", id).Exists(ctx); !ok || !visible {
				return apperr.E(apperr.Invalid, "No account %d.", id).AtPointer("/data/relationships/account")
			}
			a.AccountID = &id
		}
	}
	if req.Participants != nil {
		raw, err := req.Participants.ToMany("users")
		if err != nil {
			return err
		}
		parts := make([]string, 0, len(raw))
		for _, r := range raw {
			id, _ := strconv.ParseInt(r, 10, 64)
			if ok, _ := tx.NewSelect().Model((*model.User)(nil)).Where("id = ? AND active", id).Exists(ctx); !ok {
				return apperr.E(apperr.Invalid, "No active user %s.", r).AtPointer("/data/relationships/participants")
			}
			parts = append(parts, r)
		}
		a.Participants = strings.Join(parts, ",")
	}
	return nil
}

func activitySnapshot(a *activityRow) map[string]any {
	return map[string]any{"category": a.Category, "name": a.Name, "description": a.Description, "startsAt": a.StartsAt,
		"endsAt": a.EndsAt, "owner": a.OwnerID, "case": a.CaseID, "account": a.AccountID, "participants": a.Participants}
}

func writeParticipants(ctx context.Context, tx bun.IDB, a *activityRow) error {
	if _, err := tx.NewDelete().Model((*model.ActivityParticipant)(nil)).Where("activity_id = ?", a.ID).Exec(ctx); err != nil {
		return apperr.Wrap(err, "clear participants")
	}
	for _, id := range a.participantIDs() {
		if _, err := tx.NewInsert().Model(&model.ActivityParticipant{ActivityID: a.ID, UserID: id}).Exec(ctx); err != nil {
			return apperr.Wrap(err, "add participant")
		}
	}
	return nil
}

// createActivity answers POST /api/v1/activities: one's own, or for others through the Users
// right (USR-1, USR-2, USR-4); on a case as member or owner-like (CASE-15); on an account with
// account access (ACC-1, ACC-4).
func (s *Server) createActivity(c *fiber.Ctx) error {
	p := caller(c)
	var req activityBody
	if err := bind(c, "activities", "", &req, "label", "visibility", "version"); err != nil {
		return err
	}
	if req.Category == nil || req.StartsAt == nil || req.EndsAt == nil {
		return apperr.E(apperr.Invalid, "category, name, startsAt and endsAt are required").AtPointer("/data/attributes")
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.now().UTC()
		a := &activityRow{Activity: model.Activity{OwnerID: p.User.ID, Version: 1, CreatedAt: now, UpdatedAt: now}}
		if err := s.applyActivity(ctx, tx, p, a, &req); err != nil {
			return err
		}
		if d := rights.DecideActivity(p.Subject, rights.ActivityCreate, a.attrs()); !d.Allow {
			return denied(d)
		}
		if _, err := tx.NewInsert().Model(&a.Activity).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert activity")
		}
		if err := writeParticipants(ctx, tx, a); err != nil {
			return err
		}
		var caseID int64
		if a.CaseID != nil {
			caseID = *a.CaseID
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "activities", ResourceID: a.ID, CaseID: caseID,
			SubjectUserID: a.OwnerID, Changes: history.Diff(nil, activitySnapshot(a))}); err != nil {
			return err
		}
		v, _ := rights.ActivityVisibility(p.Subject, a.attrs())
		return writeOne(c, fiber.StatusCreated, activityResource(a, v))
	})
}

// updateActivity answers PATCH /api/v1/activities/:id (ACT-3, ACT-4, ACT-5, ACT-6, CASE-15).
// What the caller may not view is refused as 403 (the activity itself is visible in the
// calendar); so is a participant's change of the participants, category, case or account,
// which only the owner decides (ACT-3, ACT-5): participants leave through the relationship.
func (s *Server) updateActivity(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.loadActivity(ctx, tx, c.Params("id"))
		if err != nil {
			return err
		}
		if d := rights.DecideActivity(p.Subject, rights.ActivityEdit, a.attrs()); !d.Allow {
			return denied(d)
		}
		var req activityBody
		if err := bind(c, "activities", strconv.FormatInt(a.ID, 10), &req, "label", "visibility", "owner"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, a.Version); err != nil {
			return err
		}
		before, was := activitySnapshot(a), a.attrs()
		if err := s.applyActivity(ctx, tx, p, a, &req); err != nil {
			return err
		}
		// Who sees it is the owner's to change, and the change may not move it out of reach.
		if d := rights.DecideActivityUpdate(p.Subject, was, a.attrs()); !d.Allow {
			return denied(d)
		}
		a.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "activities", a.ID, a.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("category = ?", a.Category).Set("name = ?", a.Name).Set("description = ?", a.Description).
				Set("starts_at = ?", a.StartsAt).Set("ends_at = ?", a.EndsAt).Set("case_id = ?", a.CaseID).
				Set("account_id = ?", a.AccountID).Set("updated_at = ?", a.UpdatedAt)
		}); err != nil {
			return err
		}
		a.Version++
		if req.Participants != nil {
			if err := writeParticipants(ctx, tx, a); err != nil {
				return err
			}
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "activities", ResourceID: a.ID,
			SubjectUserID: a.OwnerID, Changes: history.Diff(before, activitySnapshot(a))}); err != nil {
			return err
		}
		v, _ := rights.ActivityVisibility(p.Subject, a.attrs())
		return writeOne(c, fiber.StatusOK, activityResource(a, v))
	})
}

// deleteActivity answers DELETE /api/v1/activities/:id; participants leave instead (ACT-3).
func (s *Server) deleteActivity(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.loadActivity(ctx, tx, c.Params("id"))
		if err != nil {
			return err
		}
		if d := rights.DecideActivity(p.Subject, rights.ActivityDelete, a.attrs()); !d.Allow {
			return denied(d)
		}
		if _, err := tx.NewDelete().Model((*model.Activity)(nil)).Where("id = ?", a.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete activity")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "activities", ResourceID: a.ID,
			SubjectUserID: a.OwnerID, Changes: history.Diff(activitySnapshot(a), nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

// leaveActivity answers DELETE /api/v1/activities/:id/relationships/participants with the
// caller alone: a participant removes themself (ACT-3).
func (s *Server) leaveActivity(c *fiber.Ctx) error {
	p := caller(c)
	rel, err := jsonapi.ParseRelationship(c.Body())
	if err != nil {
		return err
	}
	ids, err := rel.ToMany("users")
	if err != nil {
		return err
	}
	if len(ids) != 1 || ids[0] != strconv.FormatInt(p.User.ID, 10) {
		return apperr.E(apperr.Forbidden, "Participants can only remove themselves; the owner edits the list.").Because("ACT-3")
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := s.loadActivity(ctx, tx, c.Params("id"))
		if err != nil {
			return err
		}
		if d := rights.DecideActivity(p.Subject, rights.ActivityLeave, a.attrs()); !d.Allow {
			return denied(d)
		}
		if _, err := tx.NewDelete().Model((*model.ActivityParticipant)(nil)).Where("activity_id = ? AND user_id = ?", a.ID, p.User.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "leave activity")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "activities", ResourceID: a.ID, SubjectUserID: a.OwnerID,
			Changes: history.Diff(map[string]any{"participants": a.Participants}, map[string]any{"participants": "without " + ids[0]})}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

// activityKind is the activities type of the registry.
func (s *Server) activityKind() kind {
	return kind{name: "activities", list: s.listActivities, create: s.createActivity, get: s.getActivity, update: s.updateActivity, remove: s.deleteActivity,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			a, err := s.loadActivity(ctx, s.db, idString(id))
			if err != nil {
				return nil, err
			}
			v, _ := rights.ActivityVisibility(p.Subject, a.attrs())
			return activityResource(a, v), nil
		})}
}
