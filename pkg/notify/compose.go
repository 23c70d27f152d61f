package notify

import (
	"context"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/notice"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// composed is a digest written for its recipient, in their language.
type composed struct {
	Mail   notice.Mail
	Locale *i18n.Locale
}

// compose writes the digest of items for r. ok is false when there is nothing to send:
// the recipient left, stopped these mails, or may no longer see any of it.
func (d digest) compose(ctx context.Context, tx bun.IDB, r recipient, items []item) (m composed, ok bool, err error) {
	if r.UserID != nil {
		return d.forEmployee(ctx, tx, *r.UserID, items)
	}
	return d.forContact(ctx, tx, *r.ContactID, items)
}

// forEmployee writes an employee's digest of their customers' actions, in the firm's
// language, with a link to the case in the firm's app (to the case list when the news is on
// several) where its address is known.
func (d digest) forEmployee(ctx context.Context, tx bun.IDB, id int64, items []item) (composed, bool, error) {
	var u struct {
		Name         string `bun:"name"`
		Email        string `bun:"email"`
		Active       bool   `bun:"active"`
		NotifyDigest bool   `bun:"notify_digest"`
	}
	err := tx.NewSelect().TableExpr("users AS u").ColumnExpr("u.name, u.email, u.active").ColumnExpr(takesDigest+" AS notify_digest").
		Where("u.id = ?", id).Scan(ctx, &u)
	if domain.IsNoRows(err) {
		return composed{}, false, nil
	}
	if err != nil {
		return composed{}, false, apperr.Wrap(err, "load the recipient of a digest")
	}
	if !u.Active || !u.NotifyDigest {
		return composed{}, false, nil
	}
	n, err := loadNames(ctx, tx, items)
	if err != nil {
		return composed{}, false, err
	}
	l := i18n.Choose("", "", d.brand.Locale, d.brand.Zone)
	var lines []string
	for _, g := range groupItems(items, true) {
		lines = append(lines, employeeLine(l, g, n))
	}
	stop, err := d.stopLink(ctx, tx, recipient{UserID: &id})
	if err != nil {
		return composed{}, false, err
	}
	m := notice.Mail{To: u.Email, Subject: l.N("notify.digest.subject", int64(len(items))),
		Greeting: l.T("notify.greeting", "name", u.Name), Lines: []string{l.T("notify.digest.intro")}, Items: lines,
		After: []string{l.N("notify.digest.after", int64(d.minutes))}, Unsubscribe: stop}
	if d.w.AppURL != "" {
		m.Action = &notice.Link{Label: l.T("notify.digest.open"), URL: strings.TrimRight(d.w.AppURL, "/") + "/app" + casesPath(items)}
	}
	return composed{Locale: l, Mail: m}, true, nil
}

// reader is a contact who gets opt-in mails, with their login's state.
type reader struct {
	FirstName          string `bun:"first_name"`
	Email              string `bun:"email"`
	Locale             string `bun:"locale"`
	TimeZone           string `bun:"time_zone"`
	AccountID          int64  `bun:"account_id"`
	Active             bool   `bun:"active"`
	Disabled           bool   `bun:"disabled"`
	NotifyPendingHours bool   `bun:"notify_pending_hours"`
	NotifyNewFiles     bool   `bun:"notify_new_files"`
}

// forContact writes a contact's digest of hours to approve and new files, in their language,
// with what they may still see and still asked for: the share, its rights and the contact's
// choices are read again now, and hours decided or files deleted since are left out.
func (d digest) forContact(ctx context.Context, tx bun.IDB, id int64, items []item) (composed, bool, error) {
	var c reader
	err := tx.NewSelect().TableExpr("contacts AS ct").
		ColumnExpr("ct.first_name, ct.email, ct.locale, ct.time_zone, ct.account_id, ct.active, cc.disabled").
		ColumnExpr("ct.notify_pending_hours, ct.notify_new_files").
		Join("JOIN contact_credentials AS cc ON cc.contact_id = ct.id").Where("ct.id = ?", id).Scan(ctx, &c)
	if domain.IsNoRows(err) {
		return composed{}, false, nil
	}
	if err != nil {
		return composed{}, false, apperr.Wrap(err, "load the recipient of a digest")
	}
	if !c.Active || c.Disabled {
		return composed{}, false, nil
	}
	kept, err := d.stillNews(ctx, tx, domain.Contact{ID: id, AccountID: c.AccountID}, c, items)
	if err != nil || len(kept) == 0 {
		return composed{}, false, err
	}
	n, err := loadNames(ctx, tx, kept)
	if err != nil {
		return composed{}, false, err
	}
	l := d.brand.LocaleOf(&model.Contact{Locale: c.Locale, TimeZone: c.TimeZone})
	var lines []string
	for _, g := range groupItems(kept, false) {
		lines = append(lines, contactLine(l, g, n))
	}
	stop, err := d.stopLink(ctx, tx, recipient{ContactID: &id})
	if err != nil {
		return composed{}, false, err
	}
	m := notice.Mail{To: c.Email, Subject: l.N("notify.contact.subject", int64(len(kept)), "firm", d.brand.Name),
		Greeting: l.T("notify.greeting", "name", c.FirstName), Lines: []string{l.T("notify.contact.intro", "firm", d.brand.Name)},
		Items: lines, Unsubscribe: stop}
	if d.w.PortalURL != "" {
		m.Action = &notice.Link{Label: l.T("notify.contact.open"), URL: d.link(casesPath(kept))}
		m.After = []string{l.T("notify.contact.after", "url", d.link("/preferences"))}
	}
	return composed{Locale: l, Mail: m}, true, nil
}

// casesPath is the page to open: the case, when all the news is on one.
func casesPath(items []item) string {
	for _, it := range items[1:] {
		if it.CaseID != items[0].CaseID {
			return "/cases"
		}
	}
	return "/cases/" + strconv.FormatInt(items[0].CaseID, 10)
}

// stillNews keeps the items the contact still asked for and may still see or act on.
func (d digest) stillNews(ctx context.Context, tx bun.IDB, who domain.Contact, c reader, items []item) ([]item, error) {
	grants := map[int64]*sharing.Grant{}
	var hourIDs, fileIDs []int64
	for _, it := range items {
		if _, ok := grants[it.CaseID]; ok {
			continue
		}
		g, err := sharing.Of(ctx, tx, d.now, who, it.CaseID)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			grants[it.CaseID] = nil
		case err != nil:
			return nil, err
		default:
			grants[it.CaseID] = &g
		}
	}
	var wanted []item
	for _, it := range items {
		g := grants[it.CaseID]
		asked := (it.Kind == HourPending && c.NotifyPendingHours) || ((it.Kind == FileAdded || it.Kind == LinkAdded) && c.NotifyNewFiles)
		if g == nil || !asked || !hears(*g, it.Kind) {
			continue
		}
		wanted = append(wanted, it)
		if it.Kind == HourPending {
			hourIDs = append(hourIDs, it.ObjectID)
		} else {
			fileIDs = append(fileIDs, it.ObjectID)
		}
	}
	pending, err := existing(ctx, tx, "work_hours", hourIDs, "approval_status = ?", domain.Pending)
	if err != nil {
		return nil, err
	}
	files, err := existing(ctx, tx, "files", fileIDs, "TRUE")
	if err != nil {
		return nil, err
	}
	var kept []item
	for _, it := range wanted {
		if (it.Kind == HourPending && pending[it.ObjectID]) || (it.Kind != HourPending && files[it.ObjectID]) {
			kept = append(kept, it)
		}
	}
	return kept, nil
}

// existing returns which of ids are still rows of table that match cond.
func existing(ctx context.Context, tx bun.IDB, table string, ids []int64, cond string, args ...any) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var found []int64
	if err := tx.NewSelect().Table(table).Column("id").Where("id IN (?)", bun.In(ids)).Where(cond, args...).Scan(ctx, &found); err != nil {
		return nil, apperr.Wrap(err, "check news of "+table)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// link is the portal's address of path.
func (d digest) link(path string) string { return strings.TrimRight(d.w.PortalURL, "/") + path }

// stopLink makes the link that stops the recipient's digests, or "" without a portal address.
func (d digest) stopLink(ctx context.Context, tx bun.IDB, r recipient) (string, error) {
	if d.w.PortalURL == "" {
		return "", nil
	}
	token, err := newToken(ctx, tx, r, d.now)
	if err != nil {
		return "", err
	}
	return d.link("/unsubscribe/" + token), nil
}
