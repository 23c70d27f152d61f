package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/model"
)

// The portal's demo login: the case Dina shares, and the customer's contact she shares it with.
// No test harness that runs `caseroom-api demo` uses this contact or case.
const (
	PortalCase    = "Initech integration"
	PortalContact = "peter.gibbons@initech.example"
	portalSharer  = "dina@northwind.example"
)

// PortalLogin is the printed login of the portal's demo contact.
type PortalLogin struct {
	Email, Name, Case string
}

// SharePortal shares PortalCase with PortalContact, every section and right but changing the
// status, and gives the contact a portal password of their own (Password), so that the portal
// can be tried without an invitation mail. It runs on the demo organisation (Load) and, where
// the contact already has a login, changes nothing.
func SharePortal(ctx context.Context, db *bun.DB, now func() time.Time) (PortalLogin, error) {
	var ids struct {
		CaseID    int64  `bun:"case_id"`
		ContactID int64  `bun:"contact_id"`
		Name      string `bun:"name"`
		UserID    int64  `bun:"user_id"`
	}
	err := db.NewSelect().TableExpr("cases AS c").
		ColumnExpr("c.id AS case_id, ct.id AS contact_id, ct.first_name || ' ' || ct.last_name AS name, u.id AS user_id").
		Join("JOIN contacts AS ct ON ct.account_id = c.account_id AND ct.email = ?", PortalContact).
		Join("JOIN users AS u ON u.email = ?", portalSharer).
		Where("c.name = ?", PortalCase).Scan(ctx, &ids)
	if err != nil {
		return PortalLogin{}, fmt.Errorf("find the portal demo's case and contact (load the demo first): %w", err)
	}
	login := PortalLogin{Email: PortalContact, Name: ids.Name, Case: PortalCase}
	n, err := db.NewSelect().Model((*model.ContactCredential)(nil)).Where("contact_id = ?", ids.ContactID).Count(ctx)
	if err != nil || n > 0 {
		return login, err
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return PortalLogin{}, err
	}
	t := now().UTC()
	err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		sh := &model.ExtranetShare{CaseID: ids.CaseID, ShowFinancials: true, ShowPhases: true, ShowOther: true,
			CreatedByUserID: ids.UserID, Version: 1, CreatedAt: t, UpdatedAt: t}
		if _, err := tx.NewInsert().Model(sh).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("share the portal demo's case: %w", err)
		}
		sc := &model.ShareContact{ShareID: sh.ID, ContactID: ids.ContactID, CanApprove: true, CanComment: true, CanUpload: true,
			InvitedAt: t}
		if _, err := tx.NewInsert().Model(sc).Exec(ctx); err != nil {
			return fmt.Errorf("add the portal demo's contact: %w", err)
		}
		cr := &model.ContactCredential{ContactID: ids.ContactID, PasswordHash: hash, TokenVersion: 1, UpdatedAt: t}
		if _, err := tx.NewInsert().Model(cr).Exec(ctx); err != nil {
			return fmt.Errorf("give the portal demo's contact a login: %w", err)
		}
		return nil
	})
	return login, err
}

// PrintPortalLogin writes the portal's demo login and where to use it.
func PrintPortalLogin(w io.Writer, l PortalLogin, portalURL string) {
	fmt.Fprintf(w, "Customer portal: %s/login (password: %s)\n", portalURL, Password)
	fmt.Fprintf(w, "%-34s %-24s %s\n", "EMAIL", "NAME", "SHARED CASE")
	fmt.Fprintf(w, "%-34s %-24s %s\n\n", l.Email, l.Name, l.Case)
}
