package server

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
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
