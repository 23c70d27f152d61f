package cases

import (
	"context"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/listing"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notify"
	"github.com/caseroom/caseroom/pkg/rights"
	"github.com/caseroom/caseroom/pkg/rights/scope"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// PhaseStatuses are the working states of a phase (its approval is apart: domain.Pending,
// domain.Approved, domain.Rejected).
var PhaseStatuses = []string{"open", "in_progress", "done"}

// Phase is a phase of a case with what its decisions depend on, as one actor sees it.
type Phase struct {
	model.Phase `bun:",extend"`
	PartCase

	// Grant is a contact's grant on the phase's case (EXT-2, EXT-3).
	Grant sharing.Grant `bun:"-"`
}

// Versioned implements domain.Versioned.
func (p *Phase) Versioned() (int64, *int64) { return p.ID, &p.Version }

func (s *Service) selectPhases(db bun.IDB, rows any) *bun.SelectQuery {
	return db.NewSelect().Model(rows).ModelTableExpr("phases AS ph").ColumnExpr("ph.*").Apply(partCaseColumns("ph"))
}

// PhaseList is the collection of the phases of the cases an employee may view
// (scope.PhaseView, the same rule as a single phase: CASE-2, CASE-4).
func (s *Service) PhaseList(a domain.Actor) listing.Spec[Phase] {
	return listing.Spec[Phase]{DB: s.env.DB, Table: "phases AS ph", Scope: scope.PhaseView(a.Subject, "ph"), Extend: partCaseColumns("ph"),
		Sorts:   map[string]string{"name": "ph.name", "startsOn": "ph.starts_on", "createdAt": "ph.created_at"},
		Filters: map[string]string{"case": "ph.case_id", "status": "ph.status", "approvalStatus": "ph.approval_status"},
		Include: []string{"case"},
		Keep:    func(p *Phase) bool { return s.partKeep(a, "phase", p.ID, p.attrs(p.CaseID)) }}
}

// CasePhases lists the phases of a case shared with a contact in date order, and their
// number. They are the Phases section (EXT-3): without it the list is apperr.NotFound, like
// an unshared case (EXT-8).
func (s *Service) CasePhases(ctx context.Context, a domain.Actor, caseID int64, w domain.Window) ([]*Phase, int64, error) {
	g, err := s.partShared(ctx, s.env.DB, a, caseID, sharing.ViewPhases, "No phases are shared on this case.")
	if err != nil {
		return nil, 0, err
	}
	var rows []*Phase
	n, err := s.selectPhases(s.env.DB, &rows).Where("ph.case_id = ?", caseID).OrderExpr("ph.starts_on, ph.id").
		Limit(w.Limit).Offset(w.Offset).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, apperr.Wrap(err, "list phases of case")
	}
	for _, p := range rows {
		p.Grant = g
	}
	return rows, int64(n), nil
}

// Phase returns one phase as a sees it: apperr.NotFound when they may not view it (STYLE
// rule 3, EXT-8).
func (s *Service) Phase(ctx context.Context, a domain.Actor, id int64) (*Phase, error) {
	return s.loadPhase(ctx, s.env.DB, a, id, phaseView)
}

// PhasesByID returns the phases of ids that an employee may view, in one query (include).
func (s *Service) PhasesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Phase, error) {
	return domain.ByID(ctx, func(rows any) *bun.SelectQuery { return s.selectPhases(s.env.DB, rows) }, "ph.id", ids, "phases",
		func(p *Phase) bool { return partVisible(a, p.attrs(p.CaseID)) })
}

// phaseAction is an action on a phase, decided for each kind of actor by loadPhase.
type phaseAction int

const (
	phaseView   phaseAction = iota // an employee who may view the case; a contact shown phases
	phaseManage                    // add, edit, delete: owner-like employees (CASE-4); no contact (EXT-6)
	phaseDecide                    // approve or reject: owner-like employees; contacts with the Approve right
)

// loadPhase loads one phase and decides act on it: invisible → NotFound, visible but refused
// → Forbidden. An employee is decided by the case's rights (CaseView to view,
// CaseManagePhases for the rest: CASE-2, CASE-4); a contact by the grant of the share (the
// Phases section to view, the Approve right to decide: EXT-2, EXT-3, EXT-6).
func (s *Service) loadPhase(ctx context.Context, db bun.IDB, a domain.Actor, id int64, act phaseAction) (*Phase, error) {
	var p Phase
	if err := s.selectPhases(db, &p).Where("ph.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "phase", id)
	}
	if !a.IsContact() {
		right := rights.CaseManagePhases
		if act == phaseView {
			right = rights.CaseView
		}
		return &p, partEmployee(a, right, p.attrs(p.CaseID), "phase", id)
	}
	g, err := s.partGrant(ctx, db, a, p.CaseID, sharing.ViewPhases, "phase", id)
	if err != nil {
		return nil, err
	}
	p.Grant = g
	switch act {
	case phaseView:
		return &p, nil
	case phaseDecide:
		return &p, g.Check(sharing.ApprovePhases, "")
	}
	return nil, partContactRefused("phase")
}

// PhaseInput is a new phase or a change of one; nil fields stay as they are.
type PhaseInput struct {
	Name     *string
	Status   *string
	StartsOn jsonapi.Nullable[string]
	EndsOn   jsonapi.Nullable[string]
	CaseID   *int64 // create only
}

func (in *PhaseInput) apply(p *model.Phase) error {
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		if name == "" {
			return apperr.E(apperr.Invalid, "name may not be empty").AtPointer("/data/attributes/name")
		}
		p.Name = name
	}
	if in.Status != nil {
		if !slices.Contains(PhaseStatuses, *in.Status) {
			return apperr.E(apperr.Invalid, "status must be open, in_progress or done").AtPointer("/data/attributes/status")
		}
		p.Status = *in.Status
	}
	if err := partDate("startsOn", in.StartsOn, &p.StartsOn); err != nil {
		return err
	}
	return partDate("endsOn", in.EndsOn, &p.EndsOn)
}

func phaseSnapshot(p *Phase) map[string]any {
	return map[string]any{"name": p.Name, "status": p.Status, "startsOn": string(p.StartsOn), "endsOn": string(p.EndsOn),
		"approvalStatus": p.ApprovalStatus, "approvalComment": p.ApprovalComment,
		"approvedByUser": p.ApprovedByUserID, "approvedByContact": p.ApprovedByContactID}
}

func phaseEntry(p *Phase, e *history.Entry) { e.CaseID = p.CaseID }

// CreatePhase adds a phase to a case, for owner-like users (CASE-4). Errors: apperr.Invalid,
// apperr.NotFound (case), apperr.Forbidden.
func (s *Service) CreatePhase(ctx context.Context, a domain.Actor, in PhaseInput) (*Phase, error) {
	if in.Name == nil || in.CaseID == nil {
		return nil, apperr.E(apperr.Invalid, "name and the case relationship are required").AtPointer("/data")
	}
	var out *Phase
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		pc, err := partCaseFor(ctx, tx, a, *in.CaseID, rights.CaseManagePhases)
		if err != nil {
			return err
		}
		now := s.env.Now().UTC()
		p := &Phase{Phase: model.Phase{CaseID: *in.CaseID, Status: "open", ApprovalStatus: domain.Pending, Version: 1, CreatedAt: now, UpdatedAt: now},
			PartCase: pc}
		if err := in.apply(&p.Phase); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(&p.Phase).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert phase")
		}
		out = p
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "phases", ResourceID: p.ID, CaseID: p.CaseID,
			Changes: history.Diff(nil, phaseSnapshot(p))})
	})
	return out, err
}

// UpdatePhase changes a phase's name, status or dates, for owner-like users (CASE-4); its
// approval changes only by DecidePhase. Errors: apperr.NotFound, apperr.Forbidden,
// apperr.Invalid, apperr.Stale.
func (s *Service) UpdatePhase(ctx context.Context, a domain.Actor, id int64, in PhaseInput, x domain.Expect) (*Phase, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Phase]{Table: "phases", Resource: "phases", Expect: x,
		Load:     func(ctx context.Context, tx bun.IDB) (*Phase, error) { return s.loadPhase(ctx, tx, a, id, phaseManage) },
		Snapshot: phaseSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, p *Phase) error {
			if err := in.apply(&p.Phase); err != nil {
				return err
			}
			p.UpdatedAt = s.env.Now().UTC()
			return nil
		},
		Set: func(q *bun.UpdateQuery, p *Phase) *bun.UpdateQuery {
			return q.Set("name = ?", p.Name).Set("status = ?", p.Status).Set("starts_on = ?", p.StartsOn).
				Set("ends_on = ?", p.EndsOn).Set("updated_at = ?", p.UpdatedAt)
		},
		Entry: phaseEntry,
	})
}

// DeletePhase deletes a phase, for owner-like users (CASE-4); its hours and files keep their
// case. Errors: apperr.NotFound, apperr.Forbidden.
func (s *Service) DeletePhase(ctx context.Context, a domain.Actor, id int64) error {
	return domain.Remove(ctx, s.env, a, domain.Removal[*Phase]{Table: "phases", Resource: "phases",
		Load:     func(ctx context.Context, tx bun.IDB) (*Phase, error) { return s.loadPhase(ctx, tx, a, id, phaseManage) },
		Snapshot: phaseSnapshot, Entry: phaseEntry})
}

// DecidePhase approves (approve) or rejects a phase, for a contact with the Approve right on
// a share showing phases (EXT-2, EXT-3, EXT-6) and for an owner-like employee (CASE-4) alike:
// one function, so that the firm and the portal cannot disagree. A rejection needs a
// comment; an approval may have one. Whoever decides is recorded, for a rejection too.
// Deciding again what the same person already decided the same way changes nothing.
// Errors: apperr.NotFound, apperr.Forbidden, apperr.Invalid, apperr.Stale.
func (s *Service) DecidePhase(ctx context.Context, a domain.Actor, id int64, approve bool, comment string, x domain.Expect) (*Phase, error) {
	status, comment, err := domain.Decision(approve, comment)
	if err != nil {
		return nil, err
	}
	var byUser, byContact *int64
	if a.IsContact() {
		byContact = &a.Contact.ID
	} else {
		byUser = &a.User.ID
	}
	return domain.Save(ctx, s.env, a, domain.Update[*Phase]{Table: "phases", Resource: "phases", Expect: x, SkipUnchanged: true,
		Load:     func(ctx context.Context, tx bun.IDB) (*Phase, error) { return s.loadPhase(ctx, tx, a, id, phaseDecide) },
		Snapshot: phaseSnapshot,
		Apply: func(_ context.Context, _ bun.IDB, p *Phase) error {
			if p.ApprovalStatus == status && p.ApprovalComment == comment && partSameID(p.ApprovedByUserID, byUser) &&
				partSameID(p.ApprovedByContactID, byContact) {
				return nil // already decided so: the row stays as it is
			}
			now := s.env.Now().UTC()
			p.ApprovalStatus, p.ApprovalComment, p.ApprovedAt, p.UpdatedAt = status, comment, &now, now
			p.ApprovedByUserID, p.ApprovedByContactID = byUser, byContact
			return nil
		},
		Set: func(q *bun.UpdateQuery, p *Phase) *bun.UpdateQuery {
			return q.Set("approval_status = ?", p.ApprovalStatus).Set("approval_comment = ?", p.ApprovalComment).
				Set("approved_by_user_id = ?", p.ApprovedByUserID).Set("approved_by_contact_id = ?", p.ApprovedByContactID).
				Set("approved_at = ?", p.ApprovedAt).Set("updated_at = ?", p.UpdatedAt)
		},
		Entry: phaseEntry,
		After: func(ctx context.Context, tx bun.IDB, p *Phase) error {
			return notify.Record(ctx, tx, a, s.env.Now(), notify.PhaseDecided(p.CaseID, p.ID, approve, p.Name, comment))
		},
	})
}
