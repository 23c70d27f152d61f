package server

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/httpx"
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

// expectVersion implements optimistic concurrency for PATCH: the version the client edited
// (httpx.EditedVersion) must be the current one, or the write is refused with 412 and changes
// nothing. The response names the next version in ETag.
func expectVersion(c *fiber.Ctx, attr *int64, current int64) error {
	want, err := httpx.EditedVersion(c, attr)
	if err != nil {
		return err
	}
	if want != current {
		return apperr.E(apperr.Stale, "The resource changed since version %d; it is now at version %d. Reload and retry.", want, current)
	}
	c.Set(fiber.HeaderETag, strconv.Quote(strconv.FormatInt(current+1, 10)))
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
