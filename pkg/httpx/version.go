package httpx

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// EditedVersion returns the version a PATCH edited, from an If-Match header ("3" or W/"3") or
// the body's version attribute. Naming none is a 412: overwriting someone else's edit unseen
// is the bug optimistic concurrency prevents.
func EditedVersion(c *fiber.Ctx, attr *int64) (int64, error) {
	want := int64(-1)
	if hdr := c.Get(fiber.HeaderIfMatch); hdr != "" {
		v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(hdr, "W/"), `"`), 10, 64)
		if err != nil {
			return 0, &apperr.Error{Code: apperr.Invalid, Detail: "If-Match must hold the resource version, e.g. \"3\"."}
		}
		want = v
	}
	if attr != nil {
		if want >= 0 && want != *attr {
			return 0, apperr.E(apperr.Invalid, "If-Match and the version attribute disagree.").AtPointer("/data/attributes/version")
		}
		want = *attr
	}
	if want < 0 {
		return 0, &apperr.Error{Code: apperr.Stale, Detail: "Send the version you edited (If-Match header or version attribute).",
			Pointer: "/data/attributes/version"}
	}
	return want, nil
}
