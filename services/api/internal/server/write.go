package server

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/rights"
)

// pathID parses the :id parameter; a malformed id is simply a missing object.
func pathID(c *fiber.Ctx, what string) (int64, error) {
	raw := c.Params("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.E(apperr.NotFound, "No %s %q.", what, raw)
	}
	return id, nil
}

// expectVersion implements optimistic concurrency for PATCH: the client names the version it
// edited, in an If-Match header ("3" or W/"3") or a version attribute. A write against any
// other version is refused with 412 and changes nothing. A PATCH that names no version is
// refused too: silently overwriting someone else's edit is the bug this prevents.
func expectVersion(c *fiber.Ctx, attr *int64, current int64) error {
	want := int64(-1)
	if h := c.Get(fiber.HeaderIfMatch); h != "" {
		v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
		if err != nil {
			return apperr.E(apperr.Invalid, "If-Match must hold the resource version, e.g. \"3\".")
		}
		want = v
	}
	if attr != nil {
		if want >= 0 && want != *attr {
			return apperr.E(apperr.Invalid, "If-Match and the version attribute disagree.").AtPointer("/data/attributes/version")
		}
		want = *attr
	}
	if want < 0 {
		return &apperr.Error{Code: apperr.Stale, Detail: "Send the version you edited (If-Match header or version attribute).", Pointer: "/data/attributes/version"}
	}
	if want != current {
		return apperr.E(apperr.Stale, "The resource changed since version %d; it is now at version %d. Reload and retry.", want, current)
	}
	c.Set(fiber.HeaderETag, strconv.Quote(strconv.FormatInt(current+1, 10)))
	return nil
}

// bumpVersion updates table row id from version to version+1 with set, failing Stale if
// another writer got there first (the row's version moved between read and write).
func bumpVersion(ctx context.Context, tx bun.IDB, table string, id, version int64, set func(*bun.UpdateQuery) *bun.UpdateQuery) error {
	q := tx.NewUpdate().Table(table).Set("version = version + 1").Where("id = ?", id).Where("version = ?", version)
	res, err := set(q).Exec(ctx)
	if err != nil {
		return apperr.Wrap(err, "update "+table)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return apperr.E(apperr.Stale, "The resource changed while you were editing it. Reload and retry.")
	}
	return nil
}

// denied turns a refused decision into the caller-facing error: 403 with the rule IDs.
func denied(d rights.Decision) error {
	return apperr.E(apperr.Forbidden, "%s", d.Reason.Message()).Because(ruleList(d.Reason))
}

// record writes a change-history entry for the caller.
func (s *Server) record(ctx context.Context, tx bun.IDB, p *principal, e history.Entry) error {
	e.Actor = history.Actor{UserID: p.User.ID}
	return history.Record(ctx, tx, s.now(), e)
}
