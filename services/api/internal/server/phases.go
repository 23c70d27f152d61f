package server

import (
	"context"
	"strconv"
	"strings"

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

type phaseBody struct {
	Name     *string                       `jsonapi:"name"`
	Status   *string                       `jsonapi:"status"`
	StartsOn jsonapi.Nullable[string]      `jsonapi:"startsOn"`
	EndsOn   jsonapi.Nullable[string]      `jsonapi:"endsOn"`
	Version  *int64                        `jsonapi:"version"`
	Case     *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
}

var phaseStatuses = map[string]bool{"open": true, "in_progress": true, "done": true}

func phaseResource(ph *model.Phase) *jsonapi.Resource {
	id := strconv.FormatInt(ph.ID, 10)
	attrs := map[string]any{"name": ph.Name, "status": ph.Status, "startsOn": nullableDate(ph.StartsOn), "endsOn": nullableDate(ph.EndsOn),
		"approvalStatus": ph.ApprovalStatus, "approvalComment": ph.ApprovalComment, "approvedAt": nil, "version": ph.Version,
		"createdAt": ph.CreatedAt.UTC(), "updatedAt": ph.UpdatedAt.UTC()}
	if ph.ApprovedAt != nil {
		attrs["approvedAt"] = ph.ApprovedAt.UTC()
	}
	return &jsonapi.Resource{Type: "phases", ID: id, Attributes: attrs,
		Relationships: map[string]jsonapi.Relationship{
			"case":              toOne("phases", id, "case", "cases", ph.CaseID),
			"approvedByUser":    optRel("phases", id, "approvedByUser", "users", ph.ApprovedByUserID),
			"approvedByContact": optRel("phases", id, "approvedByContact", "contacts", ph.ApprovedByContactID),
		},
		Links: &jsonapi.Links{Self: apiBase + "/phases/" + id}}
}

func phaseSnapshot(ph *model.Phase) map[string]any {
	return map[string]any{"name": ph.Name, "status": ph.Status, "startsOn": string(ph.StartsOn), "endsOn": string(ph.EndsOn),
		"approvalStatus": ph.ApprovalStatus}
}

// listPhases answers GET /api/v1/phases: phases of cases the caller may view.
func (s *Server) listPhases(c *fiber.Ctx) error {
	return collection[model.Phase]{table: "phases AS ph", scope: scope.PhaseView(caller(c).Subject, "ph"),
		sorts:   map[string]string{"name": "ph.name", "startsOn": "ph.starts_on", "createdAt": "ph.created_at"},
		filters: map[string]string{"case": "ph.case_id", "status": "ph.status", "approvalStatus": "ph.approval_status"},
		include: []string{"case"}, resource: phaseResource}.run(s, c)
}

// loadPhase loads a phase and decides a on its case: invisible case → 404 (CASE-4).
func (s *Server) loadPhase(ctx context.Context, db bun.IDB, p *principal, a rights.CaseAction, rawID string) (*model.Phase, error) {
	var ph model.Phase
	if err := s.loadCasePart(ctx, db, p, a, "phase", "phases AS ph", rawID, &ph, func() int64 { return ph.CaseID }); err != nil {
		return nil, err
	}
	return &ph, nil
}

// loadCasePart loads row rawID of table (a phase, file or comment of a case) into m and
// decides a on its case. A part of a case the caller may not view is missing (STYLE rule 3).
func (s *Server) loadCasePart(ctx context.Context, db bun.IDB, p *principal, a rights.CaseAction, what, table, rawID string, m any, caseID func() int64) error {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return apperr.E(apperr.NotFound, "No %s %q.", what, rawID)
	}
	if err := getOne(ctx, db, m, table, id); err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return apperr.E(apperr.NotFound, "No %s %d.", what, id) // the same words as for a hidden one
		}
		return err
	}
	if _, _, err := s.loadCaseTx(ctx, db, p, strconv.FormatInt(caseID(), 10), a); err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return apperr.E(apperr.NotFound, "No %s %d.", what, id)
		}
		return err
	}
	return nil
}

func (s *Server) getPhase(c *fiber.Ctx) error {
	ph, err := s.loadPhase(c.UserContext(), s.db, caller(c), rights.CaseView, c.Params("id"))
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, phaseResource(ph))
}

func applyPhase(ph *model.Phase, req *phaseBody) error {
	if req.Name != nil {
		if strings.TrimSpace(*req.Name) == "" {
			return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
		}
		ph.Name = strings.TrimSpace(*req.Name)
	}
	if req.Status != nil {
		if !phaseStatuses[*req.Status] {
			return apperr.E(apperr.Invalid, "status must be open, in_progress or done").AtPointer("/data/attributes/status")
		}
		ph.Status = *req.Status
	}
	return applyDates(dateField{"startsOn", req.StartsOn, &ph.StartsOn}, dateField{"endsOn", req.EndsOn, &ph.EndsOn})
}

var serverOwnedPhaseFields = []string{"approvalStatus", "approvalComment", "approvedAt", "approvedByUser", "approvedByContact", "createdAt", "updatedAt"}

// createPhase answers POST /api/v1/phases (CASE-4: owner-like users manage phases).
func (s *Server) createPhase(c *fiber.Ctx) error {
	p := caller(c)
	var req phaseBody
	if err := bind(c, "phases", "", &req, append(serverOwnedPhaseFields, "version")...); err != nil {
		return err
	}
	if req.Name == nil || req.Case == nil {
		return apperr.E(apperr.Invalid, "name and the case relationship are required").AtPointer("/data")
	}
	caseID, err := req.Case.ToOne("cases")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		row, _, err := s.loadCaseTx(ctx, tx, p, caseID, rights.CaseManagePhases)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		ph := &model.Phase{CaseID: row.ID, Status: "open", ApprovalStatus: "pending", Version: 1, CreatedAt: now, UpdatedAt: now}
		if err := applyPhase(ph, &req); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(ph).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert phase")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "phases", ResourceID: ph.ID, CaseID: ph.CaseID,
			Changes: history.Diff(nil, phaseSnapshot(ph))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusCreated, phaseResource(ph))
	})
}

// updatePhase answers PATCH /api/v1/phases/:id (CASE-4).
func (s *Server) updatePhase(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		ph, err := s.loadPhase(ctx, tx, p, rights.CaseManagePhases, c.Params("id"))
		if err != nil {
			return err
		}
		var req phaseBody
		if err := bind(c, "phases", strconv.FormatInt(ph.ID, 10), &req, append(serverOwnedPhaseFields, "case")...); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, ph.Version); err != nil {
			return err
		}
		before := phaseSnapshot(ph)
		if err := applyPhase(ph, &req); err != nil {
			return err
		}
		ph.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "phases", ph.ID, ph.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("name = ?", ph.Name).Set("status = ?", ph.Status).Set("starts_on = ?", ph.StartsOn).
				Set("ends_on = ?", ph.EndsOn).Set("updated_at = ?", ph.UpdatedAt)
		}); err != nil {
			return err
		}
		ph.Version++
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "phases", ResourceID: ph.ID, CaseID: ph.CaseID,
			Changes: history.Diff(before, phaseSnapshot(ph))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, phaseResource(ph))
	})
}

// deletePhase answers DELETE /api/v1/phases/:id (CASE-4); its hours keep their case.
func (s *Server) deletePhase(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		ph, err := s.loadPhase(ctx, tx, p, rights.CaseManagePhases, c.Params("id"))
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.Phase)(nil)).Where("id = ?", ph.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete phase")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "phases", ResourceID: ph.ID, CaseID: ph.CaseID,
			Changes: history.Diff(phaseSnapshot(ph), nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

// phaseKind is the phases type of the registry.
func (s *Server) phaseKind() kind {
	return kind{name: "phases", list: s.listPhases, create: s.createPhase, get: s.getPhase, update: s.updatePhase, remove: s.deletePhase,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			ph, err := s.loadPhase(ctx, s.db, p, rights.CaseView, idString(id))
			if err != nil {
				return nil, err
			}
			return phaseResource(ph), nil
		})}
}
