package portal_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// Demo contacts and cases the tests share or keep apart.
const (
	aino  = "aino.virtanen@acme.example" // Acme Oy
	mikko = "mikko.laine@acme.example"   // Acme Oy
	sven  = "sven.berg@globex.example"   // Globex AB

	strategy  = "Acme strategy review"    // Acme Oy
	migration = "Acme platform migration" // Acme Oy
	pricing   = "Globex pricing study"    // Globex AB
	initech   = "Initech integration"     // never shared

	password = "a-long-enough-password"
)

// sections of a share (EXT-3).
type sections struct{ financials, phases, other bool }

// rights of one contact on a share (EXT-2, EXT-6).
type rights struct{ approve, comment, upload, status bool }

var (
	allSections = sections{true, true, true}
	allRights   = rights{true, true, true, true}
)

func (e *env) contactID(email string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.NewSelect().Model((*model.Contact)(nil)).Column("id").Where("email = ?", email).Scan(context.Background(), &id); err != nil {
		e.t.Fatalf("contact %s: %v", email, err)
	}
	return id
}

func (e *env) caseID(name string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.NewSelect().Model((*model.Case)(nil)).Column("id").Where("name = ?", name).Scan(context.Background(), &id); err != nil {
		e.t.Fatalf("case %s: %v", name, err)
	}
	return id
}

// share publishes a case with the given sections and returns the share id.
func (e *env) share(caseName string, s sections) int64 {
	e.t.Helper()
	now := e.clock.Now()
	sh := &model.ExtranetShare{CaseID: e.caseID(caseName), ShowFinancials: s.financials, ShowPhases: s.phases, ShowOther: s.other,
		CreatedByUserID: e.userID("carl"), Version: 1, CreatedAt: now, UpdatedAt: now}
	if _, err := e.db.NewInsert().Model(sh).Returning("id").Exec(context.Background()); err != nil {
		e.t.Fatalf("share %s: %v", caseName, err)
	}
	return sh.ID
}

// invite adds a contact to a share with rights, expiring at expires (nil: never).
func (e *env) invite(shareID int64, email string, r rights, expires *time.Time) {
	e.t.Helper()
	sc := &model.ShareContact{ShareID: shareID, ContactID: e.contactID(email), CanApprove: r.approve, CanComment: r.comment,
		CanUpload: r.upload, CanChangeStatus: r.status, ExpiresAt: expires, InvitedAt: e.clock.Now()}
	if _, err := e.db.NewInsert().Model(sc).Exec(context.Background()); err != nil {
		e.t.Fatalf("invite %s: %v", email, err)
	}
}

// credential gives a contact a portal password; a temporary one expires in 72 hours.
func (e *env) credential(email, pw string, temporary bool) {
	e.t.Helper()
	hash, err := auth.HashPasswordWith(pw, cheap)
	if err != nil {
		e.t.Fatal(err)
	}
	cr := &model.ContactCredential{ContactID: e.contactID(email), PasswordHash: hash, PasswordTemporary: temporary,
		TokenVersion: 1, UpdatedAt: e.clock.Now()}
	if temporary {
		exp := e.clock.Now().Add(72 * time.Hour)
		cr.PasswordExpiresAt = &exp
	}
	if _, err := e.db.NewInsert().Model(cr).Exec(context.Background()); err != nil {
		e.t.Fatalf("credential %s: %v", email, err)
	}
}

// inviteToken stores a fresh invitation token for the contact, as the share endpoint does.
func (e *env) inviteToken(email string) string {
	e.t.Helper()
	token := auth.RandomToken(32)
	exp := e.clock.Now().Add(72 * time.Hour)
	_, err := e.db.NewUpdate().Model((*model.ContactCredential)(nil)).Set("invite_token_hash = ?", extranet.InviteHash(token)).
		Set("invite_expires_at = ?", exp).Set("invite_used_at = NULL").Where("contact_id = ?", e.contactID(email)).Exec(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return token
}

func (e *env) userID(name string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.NewSelect().Model((*model.User)(nil)).Column("id").Where("email = ?", name+"@northwind.example").Scan(context.Background(), &id); err != nil {
		e.t.Fatalf("user %s: %v", name, err)
	}
	return id
}

// rowIDs returns the ids of table rows of a case, as strings.
func (e *env) rowIDs(table string, caseID int64) []string {
	e.t.Helper()
	var ids []int64
	if err := e.db.NewSelect().Table(table).Column("id").Where("case_id = ?", caseID).OrderExpr("id").Scan(context.Background(), &ids); err != nil {
		e.t.Fatalf("ids of %s: %v", table, err)
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(id, 10)
	}
	return out
}

// addFile adds a files row (no content) to a case, as an employee would.
func (e *env) addFile(caseID int64, name string) int64 {
	e.t.Helper()
	key := fmt.Sprintf("cases/%d/fixture%d", caseID, time.Now().UnixNano())
	f := &model.File{CaseID: caseID, Kind: "file", Name: name, StorageKey: &key, ContentType: "text/plain", SizeBytes: 5,
		UploadedByUserID: ptr(e.userID("carl")), CreatedAt: e.clock.Now()}
	if _, err := e.db.NewInsert().Model(f).Returning("id").Exec(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return f.ID
}

// addComment adds an employee's comment on a target of a case.
func (e *env) addComment(caseID int64, targetType string, targetID int64, body string) int64 {
	e.t.Helper()
	cm := &model.Comment{CaseID: caseID, TargetType: targetType, TargetID: targetID, Body: body,
		AuthorUserID: ptr(e.userID("carl")), CreatedAt: e.clock.Now()}
	if _, err := e.db.NewInsert().Model(cm).Returning("id").Exec(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return cm.ID
}

// firstID returns the lowest id of a case's rows in table.
func (e *env) firstID(table string, caseID int64) int64 {
	e.t.Helper()
	ids := e.rowIDs(table, caseID)
	if len(ids) == 0 {
		e.t.Fatalf("no %s on case %d", table, caseID)
	}
	id, _ := strconv.ParseInt(ids[0], 10, 64)
	return id
}

func ptr[T any](v T) *T { return &v }

func id(n int64) string { return strconv.FormatInt(n, 10) }

// sharedWith sets up the most common case: aino, with a permanent password, on the strategy
// review with every section and right. It returns her token.
func (e *env) sharedWith(t *testing.T) string {
	t.Helper()
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)
	return e.login(aino, password)
}

// sharedBrowser is sharedWith in a browser: aino signed in through the login form.
func (e *env) sharedBrowser(t *testing.T) *browser {
	t.Helper()
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.credential(aino, password, false)
	return e.signIn(t, aino)
}

// rowCount counts rows of table matching a condition.
func (e *env) rowCount(table, where string, args ...any) int64 {
	e.t.Helper()
	n, err := e.db.NewSelect().Table(table).Where(where, args...).Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return int64(n)
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}
