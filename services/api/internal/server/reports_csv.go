package server

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// The reports also answer CSV (Accept: text/csv, jsonapi.CSVWriter). A column that
// DecideReport hides for the whole report is absent from the header, as it is absent from
// every row of the document; a value hidden on one row only (CASE-6, CASE-8: a case where the
// caller is a plain member) is an empty cell.

const csvMediaType = "text/csv"

// reportOffers is the Offers of the API's content negotiation: the reports may be sent as CSV,
// every other route only as JSON:API.
func reportOffers(c *fiber.Ctx) []string {
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead:
		if strings.HasPrefix(strings.ToLower(c.Path()), apiBase+"/reports/") {
			return []string{csvMediaType}
		}
	}
	return nil
}
