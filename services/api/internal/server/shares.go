package server

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// shareContactBody is one invited contact with their own rights (EXT-2, EXT-6).
type shareContactBody struct {
	Contact         string     `json:"contact"`
	CanApprove      bool       `json:"canApprove"`
	CanComment      bool       `json:"canComment"`
	CanUpload       bool       `json:"canUpload"`
	CanChangeStatus bool       `json:"canChangeStatus"`
	ExpiresAt       *time.Time `json:"expiresAt"`
}

type shareBody struct {
	ShowFinancials *bool                         `jsonapi:"showFinancials"`
	ShowPhases     *bool                         `jsonapi:"showPhases"`
	ShowOther      *bool                         `jsonapi:"showOther"`
	Contacts       *[]shareContactBody           `jsonapi:"contacts"`
	Version        *int64                        `jsonapi:"version"`
	Case           *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
}

type shareContactRow struct {
	model.ShareContact `bun:",extend"`
	Email              string `bun:"email"`
	FirstName          string `bun:"first_name"`
	LastName           string `bun:"last_name"`
	Temporary          *bool  `bun:"password_temporary"`
}

func (s *Server) shareContacts(ctx context.Context, db bun.IDB, shareID int64) ([]shareContactRow, error) {
	var rows []shareContactRow
	err := db.NewSelect().Model(&rows).ModelTableExpr("share_contacts AS sc").ColumnExpr("sc.*").
		ColumnExpr("ct.email, ct.first_name, ct.last_name, cc.password_temporary").
		Join("JOIN contacts AS ct ON ct.id = sc.contact_id").
		Join("LEFT JOIN contact_credentials AS cc ON cc.contact_id = sc.contact_id").
		Where("sc.share_id = ?", shareID).OrderExpr("sc.contact_id").Scan(ctx)
	if err != nil {
		return nil, apperr.Wrap(err, "load share contacts")
	}
	return rows, nil
}

func shareResource(sh *model.ExtranetShare, contacts []shareContactRow) *jsonapi.Resource {
	id := strconv.FormatInt(sh.ID, 10)
	list := make([]map[string]any, len(contacts))
	for i, c := range contacts {
		status := "invited"
		if c.Temporary != nil && !*c.Temporary {
			status = "active"
		}
		var expires any
		if c.ExpiresAt != nil {
			expires = c.ExpiresAt.UTC()
		}
		list[i] = map[string]any{"contact": strconv.FormatInt(c.ContactID, 10), "email": c.Email, "name": c.FirstName + " " + c.LastName,
			"canApprove": c.CanApprove, "canComment": c.CanComment, "canUpload": c.CanUpload, "canChangeStatus": c.CanChangeStatus,
			"expiresAt": expires, "invitedAt": c.InvitedAt.UTC(), "portalStatus": status}
	}
	return &jsonapi.Resource{Type: "extranet-shares", ID: id,
		Attributes: map[string]any{"showFinancials": sh.ShowFinancials, "showPhases": sh.ShowPhases, "showOther": sh.ShowOther,
			"contacts": list, "version": sh.Version, "createdAt": sh.CreatedAt.UTC(), "updatedAt": sh.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{"case": toOne("extranet-shares", id, "case", "cases", sh.CaseID)},
		Links:         &jsonapi.Links{Self: apiBase + "/extranet-shares/" + id}}
}

func shareSnapshot(sh *model.ExtranetShare, contacts []shareContactBody) map[string]any {
	m := map[string]any{"showFinancials": sh.ShowFinancials, "showPhases": sh.ShowPhases, "showOther": sh.ShowOther}
	for _, c := range contacts {
		m["contact."+c.Contact] = fmt.Sprintf("approve=%t comment=%t upload=%t status=%t", c.CanApprove, c.CanComment, c.CanUpload, c.CanChangeStatus)
	}
	return m
}

// createShare answers POST /api/v1/extranet-shares: an owner-like user shares a case with
// contacts of its account (EXT-1..EXT-4, EXT-6), who are invited by mail (EXT-4).
func (s *Server) createShare(c *fiber.Ctx) error {
	p := caller(c)
	var req shareBody
	if err := bind(c, "extranet-shares", "", &req, "version"); err != nil {
		return err
	}
	if req.Case == nil {
		return apperr.E(apperr.Invalid, "the case relationship is required").AtPointer("/data/relationships/case")
	}
	caseID, err := req.Case.ToOne("cases")
	if err != nil {
		return err
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		row, d, err := s.loadCaseTx(ctx, tx, p, caseID, rights.CaseShare)
		if err != nil {
			return err
		}
		if err := mayPublishFinancials(d, req.ShowFinancials); err != nil {
			return err
		}
		if ok, err := tx.NewSelect().Model((*model.ExtranetShare)(nil)).Where("case_id = ?", row.ID).Exists(ctx); err != nil {
			return apperr.Wrap(err, "check share")
		} else if ok {
			return apperr.E(apperr.Conflict, "The case is shared already; change that share instead.").AtPointer("/data/relationships/case")
		}
		now := s.now().UTC()
		sh := &model.ExtranetShare{CaseID: row.ID, ShowFinancials: deflt(req.ShowFinancials), ShowPhases: deflt(req.ShowPhases),
			ShowOther: deflt(req.ShowOther), CreatedByUserID: p.User.ID, Version: 1, CreatedAt: now, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(sh).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert share")
		}
		var contacts []shareContactBody
		if req.Contacts != nil {
			contacts = *req.Contacts
		}
		if err := s.saveShareContacts(ctx, tx, p, &row.Case, sh, contacts); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "create", ResourceType: "extranet-shares", ResourceID: sh.ID, CaseID: row.ID,
			Changes: history.Diff(nil, shareSnapshot(sh, contacts))}); err != nil {
			return err
		}
		list, err := s.shareContacts(ctx, tx, sh.ID)
		if err != nil {
			return err
		}
		return writeOne(c, fiber.StatusCreated, shareResource(sh, list))
	})
}

// saveShareContacts makes the share's contact list equal to want: removed contacts lose the
// portal on their next request (EXT-9), kept ones get their new rights, new ones are invited.
func (s *Server) saveShareContacts(ctx context.Context, tx bun.IDB, p *principal, cs *model.Case, sh *model.ExtranetShare, want []shareContactBody) error {
	var existing []model.ShareContact
	if err := tx.NewSelect().Model(&existing).Where("share_id = ?", sh.ID).Scan(ctx); err != nil {
		return apperr.Wrap(err, "load share contacts")
	}
	had := map[int64]bool{}
	for _, e := range existing {
		had[e.ContactID] = true
	}
	keep := map[int64]bool{}
	now := s.now().UTC()
	for i, w := range want {
		ptr := fmt.Sprintf("/data/attributes/contacts/%d/contact", i)
		id, err := strconv.ParseInt(w.Contact, 10, 64)
		if err != nil || id <= 0 {
			return apperr.E(apperr.Invalid, "contact must be a contact id").AtPointer(ptr)
		}
		if keep[id] {
			return apperr.E(apperr.Invalid, "contact %d is listed twice", id).AtPointer(ptr)
		}
		keep[id] = true
		var ct model.Contact
		if err := tx.NewSelect().Model(&ct).Where("id = ?", id).Scan(ctx); err != nil || ct.AccountID != cs.AccountID {
			return apperr.E(apperr.Unprocessable, "Contact %d is not a contact of the case's account.", id).AtPointer(ptr)
		}
		if !ct.Active {
			return apperr.E(apperr.Unprocessable, "Contact %s %s is inactive.", ct.FirstName, ct.LastName).AtPointer(ptr)
		}
		if !validEmail(ct.Email) {
			return apperr.E(apperr.Unprocessable, "%s %s has no valid email address, so they cannot be invited. Add one to the contact first.",
				ct.FirstName, ct.LastName).AtPointer(ptr).Because("EXT-1")
		}
		if err := domain.PortalEmailFree(ctx, tx, ct.Email, ct.ID, ptr); err != nil {
			return err
		}
		if w.ExpiresAt != nil && !w.ExpiresAt.After(now) {
			return apperr.E(apperr.Invalid, "expiresAt is in the past").AtPointer(fmt.Sprintf("/data/attributes/contacts/%d/expiresAt", i))
		}
		row := &model.ShareContact{ShareID: sh.ID, ContactID: id, CanApprove: w.CanApprove, CanComment: w.CanComment,
			CanUpload: w.CanUpload, CanChangeStatus: w.CanChangeStatus, ExpiresAt: w.ExpiresAt, InvitedAt: now}
		if had[id] {
			_, err = tx.NewUpdate().Model(row).Column("can_approve", "can_comment", "can_upload", "can_change_status", "expires_at").
				Where("share_id = ? AND contact_id = ?", sh.ID, id).Exec(ctx)
		} else {
			_, err = tx.NewInsert().Model(row).Exec(ctx)
		}
		if err != nil {
			return apperr.Wrap(err, "save share contact")
		}
		if !had[id] {
			if err := s.inviteContact(ctx, tx, p.User, cs, &ct); err != nil {
				return err
			}
		}
	}
	for id := range had {
		if keep[id] {
			continue
		}
		if _, err := tx.NewDelete().Model((*model.ShareContact)(nil)).Where("share_id = ? AND contact_id = ?", sh.ID, id).Exec(ctx); err != nil {
			return apperr.Wrap(err, "remove share contact")
		}
	}
	return nil
}

func deflt(b *bool) bool { return b != nil && *b }

// mayPublishFinancials refuses to show the Financials section to contacts when the sharer
// may not see those figures themself (CASE-5, CASE-7): nobody publishes what they may not read.
func mayPublishFinancials(d rights.Decision, show *bool) error {
	if show != nil && *show && d.Hidden.Hides("revenue") {
		return apperr.E(apperr.Forbidden, "You may not see this case's financial data, so you cannot share it.").
			AtPointer("/data/attributes/showFinancials").Because("CASE-5,CASE-7,EXT-3")
	}
	return nil
}

// loadShare loads a share and decides CaseShare on its case (EXT-1): invisible → 404.
func (s *Server) loadShare(ctx context.Context, db bun.IDB, p *principal, rawID string) (*model.ExtranetShare, *caseRow, error) {
	id, err := strconv.ParseInt(rawID, 10, 64)
	if err != nil || id <= 0 {
		return nil, nil, apperr.E(apperr.NotFound, "No share %q.", rawID)
	}
	var sh model.ExtranetShare
	if err := db.NewSelect().Model(&sh).Where("id = ?", id).Scan(ctx); err != nil {
		if isNoRows(err) {
			return nil, nil, apperr.E(apperr.NotFound, "No share %d.", id)
		}
		return nil, nil, apperr.Wrap(err, "load share")
	}
	row, d, err := s.loadCaseTx(ctx, db, p, strconv.FormatInt(sh.CaseID, 10), rights.CaseShare)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return nil, nil, apperr.E(apperr.NotFound, "No share %d.", id)
		}
		return nil, nil, err
	}
	row.ShareDecision = d
	return &sh, row, nil
}

// getShare answers GET /api/v1/extranet-shares/:id.
func (s *Server) getShare(c *fiber.Ctx) error {
	ctx := c.UserContext()
	sh, _, err := s.loadShare(ctx, s.db, caller(c), c.Params("id"))
	if err != nil {
		return err
	}
	list, err := s.shareContacts(ctx, s.db, sh.ID)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, shareResource(sh, list))
}

// getCaseShare answers GET /api/v1/cases/:id/extranet-share, the case's share if any.
func (s *Server) getCaseShare(c *fiber.Ctx) error {
	ctx := c.UserContext()
	row, _, err := s.loadCase(ctx, caller(c), c.Params("id"), rights.CaseShare)
	if err != nil {
		return err
	}
	var sh model.ExtranetShare
	if err := s.db.NewSelect().Model(&sh).Where("case_id = ?", row.ID).Scan(ctx); err != nil {
		if isNoRows(err) {
			return apperr.E(apperr.NotFound, "The case is not shared.")
		}
		return apperr.Wrap(err, "load share")
	}
	list, err := s.shareContacts(ctx, s.db, sh.ID)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, shareResource(&sh, list))
}

// updateShare answers PATCH /api/v1/extranet-shares/:id: sections and the contact list.
func (s *Server) updateShare(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		sh, row, err := s.loadShare(ctx, tx, p, c.Params("id"))
		if err != nil {
			return err
		}
		var req shareBody
		if err := bind(c, "extranet-shares", strconv.FormatInt(sh.ID, 10), &req, "case"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, sh.Version); err != nil {
			return err
		}
		if err := mayPublishFinancials(row.ShareDecision, req.ShowFinancials); err != nil {
			return err
		}
		before := shareSnapshot(sh, nil)
		for _, f := range []struct {
			in  *bool
			out *bool
		}{{req.ShowFinancials, &sh.ShowFinancials}, {req.ShowPhases, &sh.ShowPhases}, {req.ShowOther, &sh.ShowOther}} {
			if f.in != nil {
				*f.out = *f.in
			}
		}
		if req.Contacts != nil {
			if err := s.saveShareContacts(ctx, tx, p, &row.Case, sh, *req.Contacts); err != nil {
				return err
			}
		}
		sh.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "extranet_shares", sh.ID, sh.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("show_financials = ?", sh.ShowFinancials).Set("show_phases = ?", sh.ShowPhases).
				Set("show_other = ?", sh.ShowOther).Set("updated_at = ?", sh.UpdatedAt)
		}); err != nil {
			return err
		}
		sh.Version++
		after := shareSnapshot(sh, nil)
		if req.Contacts != nil {
			after = shareSnapshot(sh, *req.Contacts)
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "extranet-shares", ResourceID: sh.ID, CaseID: sh.CaseID,
			Changes: history.Diff(before, after)}); err != nil {
			return err
		}
		list, err := s.shareContacts(ctx, tx, sh.ID)
		if err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, shareResource(sh, list))
	})
}

// deleteShare answers DELETE /api/v1/extranet-shares/:id: unsharing ends every contact's
// access to the case on their next request (EXT-9).
func (s *Server) deleteShare(c *fiber.Ctx) error {
	p := caller(c)
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		sh, _, err := s.loadShare(ctx, tx, p, c.Params("id"))
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.ExtranetShare)(nil)).Where("id = ?", sh.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, "delete share")
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "delete", ResourceType: "extranet-shares", ResourceID: sh.ID, CaseID: sh.CaseID,
			Changes: history.Diff(shareSnapshot(sh, nil), nil)}); err != nil {
			return err
		}
		return jsonapi.NoContent(c)
	})
}

// shareKind is the extranet-shares type of the registry.
func (s *Server) shareKind() kind {
	return kind{name: "extranet-shares", create: s.createShare, get: s.getShare, update: s.updateShare, remove: s.deleteShare,
		batch: oneByOne(func(ctx context.Context, p *principal, id int64) (*jsonapi.Resource, error) {
			sh, _, err := s.loadShare(ctx, s.db, p, idString(id))
			if err != nil {
				return nil, err
			}
			list, err := s.shareContacts(ctx, s.db, sh.ID)
			if err != nil {
				return nil, err
			}
			return shareResource(sh, list), nil
		})}
}
