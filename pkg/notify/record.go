package notify

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/sharing"
)

// Record writes the news of ev, done by a, for everyone who should hear of it, within tx:
// the transaction of the action itself, so that news exists exactly when the action
// committed.
//
// A contact's action is news for the case owner and for the employee who shared the case
// (once each, and only while they take the digest). An employee's new work hour is news for
// the contacts who may approve it (EXT-2, EXT-3: sharing.ApproveHours) and opted in; an
// employee's new file or link, for the contacts who see files (sharing.ViewFiles) and opted
// in. Nothing else is news, and no one hears of their own action.
func Record(ctx context.Context, tx bun.IDB, a domain.Actor, now time.Time, ev Event) error {
	var err error
	if a.IsContact() {
		err = recordForEmployees(ctx, tx, a.Contact, now, ev)
	} else {
		err = recordForContacts(ctx, tx, a.User.ID, now, ev)
	}
	if err != nil {
		return fmt.Errorf("record news of %s %d: %w", ev.Kind, ev.ObjectID, err)
	}
	return nil
}

func newItem(now time.Time, ev Event) item {
	return item{Kind: ev.Kind, CaseID: ev.CaseID, ObjectID: ev.ObjectID, Name: ev.Name, Excerpt: cut(ev.Text, maxExcerpt),
		Minutes: ev.Minutes, CreatedAt: now.UTC()}
}

// recordForEmployees writes a contact's action for the owner of the case and the creator of
// its share (a case has one share).
func recordForEmployees(ctx context.Context, tx bun.IDB, who *domain.Contact, now time.Time, ev Event) error {
	if ev.Kind == HourPending {
		return nil
	}
	var ids []int64
	err := tx.NewSelect().TableExpr("users AS u").Column("u.id").
		Where("u.id IN (SELECT c.owner_id FROM cases AS c WHERE c.id = ?) OR u.id IN (SELECT s.created_by_user_id FROM extranet_shares AS s WHERE s.case_id = ?)",
			ev.CaseID, ev.CaseID).
		Where("u.active").Where(takesDigest).OrderExpr("u.id").Scan(ctx, &ids)
	if err != nil {
		return apperr.Wrap(err, "find the employees of the case")
	}
	rows := make([]item, 0, len(ids))
	for _, id := range ids {
		it := newItem(now, ev)
		it.RecipientUserID, it.ActorContactID = &id, &who.ID
		rows = append(rows, it)
	}
	return insert(ctx, tx, rows)
}

// takesDigest is the condition on users u that they did not stop the digest.
const takesDigest = "NOT EXISTS (SELECT 1 FROM digest_opt_outs AS o WHERE o.user_id = u.id)"

// recordForContacts writes an employee's new hour, file or link for the contacts of the case
// who opted in and may act on it or see it.
func recordForContacts(ctx context.Context, tx bun.IDB, userID int64, now time.Time, ev Event) error {
	var optIn string
	switch ev.Kind {
	case HourPending:
		optIn = "ct.notify_pending_hours"
	case FileAdded, LinkAdded:
		optIn = "ct.notify_new_files"
	default:
		return nil
	}
	var people []listener
	if err := listeners(tx).Where("s.case_id = ?", ev.CaseID).Where(optIn).Scan(ctx, &people); err != nil {
		return apperr.Wrap(err, "find the contacts of the case")
	}
	var rows []item
	for _, p := range people {
		g, err := sharing.Of(ctx, tx, now, p.contact(), ev.CaseID)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue // an expired share
		}
		if err != nil {
			return err
		}
		if !hears(g, ev.Kind) {
			continue
		}
		it := newItem(now, ev)
		it.RecipientContactID, it.ActorUserID = &p.ID, &userID
		rows = append(rows, it)
	}
	return insert(ctx, tx, rows)
}

// hears reports whether a contact with grant g may hear of news of kind: the same rules that
// let them see or act on its object in the portal.
func hears(g sharing.Grant, kind string) bool {
	switch kind {
	case HourPending:
		return g.Can(sharing.ApproveHours)
	case FileAdded, LinkAdded:
		return g.Can(sharing.ViewFiles)
	}
	return false
}

// listener is a contact of a share who can use the portal.
type listener struct {
	ID        int64 `bun:"id"`
	AccountID int64 `bun:"account_id"`
}

func (l listener) contact() domain.Contact { return domain.Contact{ID: l.ID, AccountID: l.AccountID} }

// listeners selects the active contacts of shares who have a login that is not disabled.
func listeners(db bun.IDB) *bun.SelectQuery {
	return db.NewSelect().TableExpr("share_contacts AS sc").ColumnExpr("ct.id, ct.account_id").
		Join("JOIN extranet_shares AS s ON s.id = sc.share_id").
		Join("JOIN contacts AS ct ON ct.id = sc.contact_id").
		Join("JOIN contact_credentials AS cc ON cc.contact_id = ct.id").
		Where("ct.active AND NOT cc.disabled")
}

func insert(ctx context.Context, tx bun.IDB, rows []item) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return apperr.Wrap(err, "insert news")
	}
	return nil
}

// cut returns s without surrounding blanks, shortened to at most n characters with "…".
func cut(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
