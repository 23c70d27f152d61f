package domain

import (
	"context"
	"hash/fnv"
	"strings"

	"github.com/go-playground/validator/v10"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
)

// emails is the validator of email addresses (go-playground/validator, one of the project's
// chosen libraries): a bare address, at most 254 characters (RFC 5321).
var emails = validator.New()

// ValidEmail reports whether e is a bare email address: users log in with it, and contacts
// are only invited to the portal with one (EXT-1).
func ValidEmail(e string) bool {
	return emails.Var(e, "required,email,max=254") == nil
}

// PortalEmailFree refuses email when another contact than contactID (0: none) with a portal
// login already answers to it in any letter case: the portal finds a contact by email alone,
// so a second login on one address would lock its owner out (EXT-5). Every write of a
// contact's email and every new portal login checks here. On PostgreSQL a transaction-scoped
// advisory lock on the address makes concurrent writers of one address take turns, so that two
// of them cannot both pass; SQLite has a single writer. Errors: apperr.Conflict at ptr.
func PortalEmailFree(ctx context.Context, tx bun.IDB, email string, contactID int64, ptr string) error {
	if db.IsPostgres(tx) {
		key := fnv.New64a()
		key.Write([]byte("caseroom contact email " + strings.ToLower(email)))
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock(?)", int64(key.Sum64())); err != nil {
			return apperr.Wrap(err, "lock contact email")
		}
	}
	clash, err := tx.NewSelect().TableExpr("contacts AS o").Join("JOIN contact_credentials AS cc ON cc.contact_id = o.id").
		Where("lower(o.email) = lower(?)", email).Where("o.id <> ?", contactID).Exists(ctx)
	if err != nil {
		return apperr.Wrap(err, "check contact email")
	}
	if clash {
		return apperr.E(apperr.Conflict, "Another contact with the email %s already uses the portal.", email).AtPointer(ptr)
	}
	return nil
}
