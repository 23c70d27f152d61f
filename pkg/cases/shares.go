package cases

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

// Share is the extranet share of a case with its invited contacts, as an employee with the
// share right on the case sees it (EXT-1).
type Share struct {
	model.ExtranetShare `bun:",extend"`
	Contacts            []ShareContact `bun:"-"`

	// onCase is the shared case, with the sharer's decision on it.
	onCase *Case
}

// Versioned implements domain.Versioned.
func (sh *Share) Versioned() (int64, *int64) { return sh.ID, &sh.Version }

// ShareContact is one invited contact of a share with their own rights (EXT-2, EXT-6).
type ShareContact struct {
	model.ShareContact `bun:",extend"`
	Email              string `bun:"email"`
	FirstName          string `bun:"first_name"`
	LastName           string `bun:"last_name"`
	// Temporary is the contact's portal password state: nil before any invitation.
	Temporary *bool `bun:"password_temporary"`
}

// PortalStatus is "active" once the contact set their own password, "invited" before (EXT-9).
func (c *ShareContact) PortalStatus() string {
	if c.Temporary != nil && !*c.Temporary {
		return "active"
	}
	return "invited"
}

// ShareInput is a new share or a change of one; nil fields stay as they are (a new share
// shows no section that is not asked for).
type ShareInput struct {
	ShowFinancials *bool
	ShowPhases     *bool
	ShowOther      *bool
	// The kinds of data within the sections (EXT-3); nil keeps a kind as it is, and a new
	// share shows every kind of the sections it shares.
	ShowBilling    *bool // Financials
	ShowHourPrices *bool // Financials
	ShowStatus     *bool // Other
	ShowHours      *bool // Other
	ShowFiles      *bool // Other
	// Contacts is the whole contact list of the share when set.
	Contacts *[]ShareContactInput
	CaseID   int64 // create only
}

// ShareContactInput is one contact of a share with their own rights (EXT-2, EXT-6).
type ShareContactInput struct {
	ContactID       int64 // what is not a contact id is sent as 0
	CanApprove      bool
	CanComment      bool
	CanUpload       bool
	CanChangeStatus bool
	ExpiresAt       *time.Time
}

// kinds pairs each kind of in with the hide flag of sh it sets.
func (in ShareInput) kinds(sh *Share) []struct {
	show *bool
	hide *bool
} {
	return []struct {
		show *bool
		hide *bool
	}{{in.ShowBilling, &sh.HideBilling}, {in.ShowHourPrices, &sh.HideHourPrices}, {in.ShowStatus, &sh.HideStatus},
		{in.ShowHours, &sh.HideHours}, {in.ShowFiles, &sh.HideFiles}}
}

// applyKinds sets the kinds in asks for on sh.
func (in ShareInput) applyKinds(sh *Share) {
	for _, k := range in.kinds(sh) {
		if k.show != nil {
			*k.hide = !*k.show
		}
	}
}

func shareSnapshot(sh *Share) map[string]any {
	m := map[string]any{"showFinancials": sh.ShowFinancials, "showPhases": sh.ShowPhases, "showOther": sh.ShowOther,
		"showBilling": !sh.HideBilling, "showHourPrices": !sh.HideHourPrices, "showStatus": !sh.HideStatus,
		"showHours": !sh.HideHours, "showFiles": !sh.HideFiles}
	for _, c := range sh.Contacts {
		m["contact."+strconv.FormatInt(c.ContactID, 10)] = fmt.Sprintf("approve=%t comment=%t upload=%t status=%t",
			c.CanApprove, c.CanComment, c.CanUpload, c.CanChangeStatus)
	}
	return m
}

// shareContacts loads the contacts of the shares ids, by share and contact.
func shareContacts(ctx context.Context, db bun.IDB, ids ...int64) (map[int64][]ShareContact, error) {
	var rows []ShareContact
	err := db.NewSelect().Model(&rows).ModelTableExpr("share_contacts AS sc").ColumnExpr("sc.*").
		ColumnExpr("ct.email, ct.first_name, ct.last_name, cc.password_temporary").
		Join("JOIN contacts AS ct ON ct.id = sc.contact_id").
		Join("LEFT JOIN contact_credentials AS cc ON cc.contact_id = sc.contact_id").
		Where("sc.share_id IN (?)", bun.In(ids)).OrderExpr("sc.share_id, sc.contact_id").Scan(ctx)
	if err != nil {
		return nil, apperr.Wrap(err, "load share contacts")
	}
	out := map[int64][]ShareContact{}
	for _, r := range rows {
		out[r.ShareID] = append(out[r.ShareID], r)
	}
	return out, nil
}

// shareWithContacts loads the contacts of sh.
func shareWithContacts(ctx context.Context, db bun.IDB, sh *Share) (*Share, error) {
	byShare, err := shareContacts(ctx, db, sh.ID)
	if err != nil {
		return nil, err
	}
	sh.Contacts = byShare[sh.ID]
	return sh, nil
}

// shareFor loads share id with its contacts once employee a may share its case (EXT-1): a
// share of a case they may not view is missing (NotFound), one of a case they may view but
// not share is Forbidden.
func (s *Service) shareFor(ctx context.Context, db bun.IDB, a domain.Actor, id int64) (*Share, error) {
	var sh Share
	if err := db.NewSelect().Model(&sh).ModelTableExpr("extranet_shares AS s").ColumnExpr("s.*").Where("s.id = ?", id).Scan(ctx); err != nil {
		return nil, domain.Loaded(err, "share", id)
	}
	c, err := caseDecided(ctx, db, a, sh.CaseID, rights.CaseShare)
	if err != nil {
		if apperr.CodeOf(err) == apperr.NotFound {
			return nil, domain.NotFound("share", id)
		}
		return nil, err
	}
	sh.onCase = c
	return shareWithContacts(ctx, db, &sh)
}

// Share returns share id with its contacts, for an employee with the share right on its
// case (EXT-1). Errors: apperr.NotFound, apperr.Forbidden.
func (s *Service) Share(ctx context.Context, a domain.Actor, id int64) (*Share, error) {
	return s.shareFor(ctx, s.env.DB, a, id)
}

// CaseShare returns the share of case caseID, for an employee with the share right on it
// (EXT-1). Errors: apperr.NotFound (an invisible case, or one that is not shared),
// apperr.Forbidden.
func (s *Service) CaseShare(ctx context.Context, a domain.Actor, caseID int64) (*Share, error) {
	if _, _, err := domain.CaseFor(ctx, s.env.DB, a, caseID, rights.CaseShare); err != nil {
		return nil, err
	}
	var sh Share
	if err := s.env.DB.NewSelect().Model(&sh).ModelTableExpr("extranet_shares AS s").ColumnExpr("s.*").
		Where("s.case_id = ?", caseID).Scan(ctx); err != nil {
		if domain.IsNoRows(err) {
			return nil, apperr.E(apperr.NotFound, "The case is not shared.")
		}
		return nil, apperr.Wrap(err, fmt.Sprintf("load share of case %d", caseID))
	}
	return shareWithContacts(ctx, s.env.DB, &sh)
}

// SharesByID returns the shares of ids whose case a may share, with their contacts, in one
// query per table (include).
func (s *Service) SharesByID(ctx context.Context, a domain.Actor, ids []int64) ([]*Share, error) {
	var rows []*Share
	if err := s.env.DB.NewSelect().Model(&rows).ModelTableExpr("extranet_shares AS s").ColumnExpr("s.*").
		Where("s.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load shares")
	}
	if len(rows) == 0 || a.Subject == nil {
		return nil, nil
	}
	caseIDs := make([]int64, len(rows))
	for i, sh := range rows {
		caseIDs[i] = sh.CaseID
	}
	var shared []model.Case
	if err := s.env.DB.NewSelect().Model(&shared).Where("id IN (?)", bun.In(caseIDs)).Scan(ctx); err != nil {
		return nil, apperr.Wrap(err, "load shared cases")
	}
	may := map[int64]bool{}
	for i := range shared {
		attrs := domain.CaseAttrs(&shared[i])
		may[shared[i].ID] = rights.DecideCase(a.Subject, rights.CaseView, attrs).Allow &&
			rights.DecideCase(a.Subject, rights.CaseShare, attrs).Allow
	}
	out, kept := rows[:0], []int64{}
	for _, sh := range rows {
		if may[sh.CaseID] {
			out = append(out, sh)
			kept = append(kept, sh.ID)
		}
	}
	if len(out) == 0 {
		return out, nil
	}
	byShare, err := shareContacts(ctx, s.env.DB, kept...)
	if err != nil {
		return nil, err
	}
	for _, sh := range out {
		sh.Contacts = byShare[sh.ID]
	}
	return out, nil
}

// shareMayPublish refuses to show the Financials section to contacts when the sharer may not
// see those figures themself (CASE-5, CASE-7, EXT-3): nobody publishes what they may not read.
func shareMayPublish(c *Case, show *bool) error {
	if show != nil && *show && c.Decision.Hidden.Hides("revenue") {
		return apperr.E(apperr.Forbidden, "You may not see this case's financial data, so you cannot share it.").
			AtPointer("/data/attributes/showFinancials").Because("CASE-5,CASE-7,EXT-3")
	}
	return nil
}

func shareFlag(b *bool) bool { return b != nil && *b }

// CreateShare shares case in.CaseID with contacts of its account (EXT-1..EXT-4, EXT-6), for an
// owner-like employee with the share right; each contact is invited by mail (EXT-4). A case
// has one share. Errors: apperr.NotFound (case), apperr.Forbidden (CASE-5, CASE-7 for the
// Financials section), apperr.Conflict (already shared, or a contact's email taken: EXT-5),
// apperr.Invalid, apperr.Unprocessable (a contact of another account, inactive, or without a
// valid email: EXT-1).
func (s *Service) CreateShare(ctx context.Context, a domain.Actor, in ShareInput) (*Share, error) {
	var out *Share
	err := s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		c, err := caseDecided(ctx, tx, a, in.CaseID, rights.CaseShare)
		if err != nil {
			return err
		}
		if err := shareMayPublish(c, in.ShowFinancials); err != nil {
			return err
		}
		if ok, err := tx.NewSelect().Model((*model.ExtranetShare)(nil)).Where("case_id = ?", c.ID).Exists(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("check share of case %d", c.ID))
		} else if ok {
			return apperr.E(apperr.Conflict, "The case is shared already; change that share instead.").AtPointer("/data/relationships/case")
		}
		now := s.env.Now().UTC()
		sh := &Share{ExtranetShare: model.ExtranetShare{CaseID: c.ID, ShowFinancials: shareFlag(in.ShowFinancials),
			ShowPhases: shareFlag(in.ShowPhases), ShowOther: shareFlag(in.ShowOther), CreatedByUserID: a.User.ID, Version: 1,
			CreatedAt: now, UpdatedAt: now}, onCase: c}
		in.applyKinds(sh)
		if _, err := tx.NewInsert().Model(&sh.ExtranetShare).Returning("*").Exec(ctx); err != nil {
			return apperr.Wrap(err, "insert share")
		}
		var want []ShareContactInput
		if in.Contacts != nil {
			want = *in.Contacts
		}
		if err := s.shareSaveContacts(ctx, tx, a, sh, want); err != nil {
			return err
		}
		if out, err = shareWithContacts(ctx, tx, sh); err != nil {
			return err
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "create", ResourceType: "extranet-shares", ResourceID: sh.ID,
			CaseID: c.ID, Changes: history.Diff(nil, shareSnapshot(sh))})
	})
	return out, err
}

// UpdateShare changes the sections of share id and, when in.Contacts is set, makes its
// contact list equal to it: removed contacts lose the portal on their next request (EXT-9),
// kept ones get their new rights, new ones are invited (EXT-4). Errors: as CreateShare, and
// apperr.Stale.
func (s *Service) UpdateShare(ctx context.Context, a domain.Actor, id int64, in ShareInput, x domain.Expect) (*Share, error) {
	return domain.Save(ctx, s.env, a, domain.Update[*Share]{Table: "extranet_shares", Resource: "extranet-shares", Expect: x,
		Load:     func(ctx context.Context, tx bun.IDB) (*Share, error) { return s.shareFor(ctx, tx, a, id) },
		Snapshot: shareSnapshot,
		Apply: func(ctx context.Context, tx bun.IDB, sh *Share) error {
			if err := shareMayPublish(sh.onCase, in.ShowFinancials); err != nil {
				return err
			}
			for _, f := range []struct{ in, out *bool }{{in.ShowFinancials, &sh.ShowFinancials}, {in.ShowPhases, &sh.ShowPhases},
				{in.ShowOther, &sh.ShowOther}} {
				if f.in != nil {
					*f.out = *f.in
				}
			}
			in.applyKinds(sh)
			sh.UpdatedAt = s.env.Now().UTC()
			if in.Contacts == nil {
				return nil
			}
			if err := s.shareSaveContacts(ctx, tx, a, sh, *in.Contacts); err != nil {
				return err
			}
			_, err := shareWithContacts(ctx, tx, sh)
			return err
		},
		Set: func(q *bun.UpdateQuery, sh *Share) *bun.UpdateQuery {
			return q.Set("show_financials = ?", sh.ShowFinancials).Set("show_phases = ?", sh.ShowPhases).
				Set("show_other = ?", sh.ShowOther).Set("hide_billing = ?", sh.HideBilling).
				Set("hide_hour_prices = ?", sh.HideHourPrices).Set("hide_status = ?", sh.HideStatus).
				Set("hide_hours = ?", sh.HideHours).Set("hide_files = ?", sh.HideFiles).Set("updated_at = ?", sh.UpdatedAt)
		},
		Entry: func(sh *Share, e *history.Entry) { e.CaseID = sh.CaseID },
	})
}

// DeleteShare unshares a case: every contact's access to it ends on their next request
// (EXT-9). Errors: apperr.NotFound, apperr.Forbidden.
func (s *Service) DeleteShare(ctx context.Context, a domain.Actor, id int64) error {
	return s.env.Tx(ctx, func(ctx context.Context, tx bun.IDB) error {
		sh, err := s.shareFor(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*model.ExtranetShare)(nil)).Where("id = ?", sh.ID).Exec(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("delete share %d", sh.ID))
		}
		return s.env.Record(ctx, tx, a, history.Entry{Action: "delete", ResourceType: "extranet-shares", ResourceID: sh.ID,
			CaseID: sh.CaseID, Changes: history.Diff(shareSnapshot(sh), nil)})
	})
}

// shareSaveContacts makes the contact list of sh equal to want. Each contact must be an
// active contact of the case's account with a valid email (EXT-1) that no other portal login
// uses (EXT-5), listed once, with an expiry in the future.
func (s *Service) shareSaveContacts(ctx context.Context, tx bun.IDB, a domain.Actor, sh *Share, want []ShareContactInput) error {
	var existing []model.ShareContact
	if err := tx.NewSelect().Model(&existing).Where("share_id = ?", sh.ID).Scan(ctx); err != nil {
		return apperr.Wrap(err, fmt.Sprintf("load contacts of share %d", sh.ID))
	}
	had := map[int64]bool{}
	for _, e := range existing {
		had[e.ContactID] = true
	}
	keep := map[int64]bool{}
	now := s.env.Now().UTC()
	for i, w := range want {
		ct, err := shareContactCheck(ctx, tx, sh, w, i, keep, now)
		if err != nil {
			return err
		}
		keep[ct.ID] = true
		row := &model.ShareContact{ShareID: sh.ID, ContactID: ct.ID, CanApprove: w.CanApprove, CanComment: w.CanComment,
			CanUpload: w.CanUpload, CanChangeStatus: w.CanChangeStatus, ExpiresAt: w.ExpiresAt, InvitedAt: now}
		if had[ct.ID] {
			_, err = tx.NewUpdate().Model(row).Column("can_approve", "can_comment", "can_upload", "can_change_status", "expires_at").
				Where("share_id = ? AND contact_id = ?", sh.ID, ct.ID).Exec(ctx)
		} else {
			_, err = tx.NewInsert().Model(row).Exec(ctx)
		}
		if err != nil {
			return apperr.Wrap(err, fmt.Sprintf("save contact %d of share %d", ct.ID, sh.ID))
		}
		if !had[ct.ID] {
			if err := s.inviteContact(ctx, tx, a.User, &sh.onCase.Case, ct); err != nil {
				return err
			}
		}
	}
	for id := range had {
		if keep[id] {
			continue
		}
		if _, err := tx.NewDelete().Model((*model.ShareContact)(nil)).Where("share_id = ? AND contact_id = ?", sh.ID, id).Exec(ctx); err != nil {
			return apperr.Wrap(err, fmt.Sprintf("remove contact %d of share %d", id, sh.ID))
		}
	}
	return nil
}

// shareContactCheck validates the i-th contact w of a share's list and loads it.
func shareContactCheck(ctx context.Context, tx bun.IDB, sh *Share, w ShareContactInput, i int, listed map[int64]bool, now time.Time) (*model.Contact, error) {
	ptr := fmt.Sprintf("/data/attributes/contacts/%d/contact", i)
	id := w.ContactID
	if id <= 0 {
		return nil, apperr.E(apperr.Invalid, "contact must be a contact id").AtPointer(ptr)
	}
	if listed[id] {
		return nil, apperr.E(apperr.Invalid, "contact %d is listed twice", id).AtPointer(ptr)
	}
	var ct model.Contact
	if err := tx.NewSelect().Model(&ct).Where("id = ?", id).Scan(ctx); err != nil && !domain.IsNoRows(err) {
		return nil, apperr.Wrap(err, fmt.Sprintf("load contact %d", id))
	} else if err != nil || ct.AccountID != sh.onCase.AccountID {
		return nil, apperr.E(apperr.Unprocessable, "Contact %d is not a contact of the case's account.", id).AtPointer(ptr)
	}
	if !ct.Active {
		return nil, apperr.E(apperr.Unprocessable, "Contact %s %s is inactive.", ct.FirstName, ct.LastName).AtPointer(ptr)
	}
	if !domain.ValidEmail(ct.Email) {
		return nil, apperr.E(apperr.Unprocessable, "%s %s has no valid email address, so they cannot be invited. Add one to the contact first.",
			ct.FirstName, ct.LastName).AtPointer(ptr).Because("EXT-1")
	}
	if err := domain.PortalEmailFree(ctx, tx, ct.Email, ct.ID, ptr); err != nil {
		return nil, err
	}
	if w.ExpiresAt != nil && !w.ExpiresAt.After(now) {
		return nil, apperr.E(apperr.Invalid, "expiresAt is in the past").AtPointer(fmt.Sprintf("/data/attributes/contacts/%d/expiresAt", i))
	}
	return &ct, nil
}
