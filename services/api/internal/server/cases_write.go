package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/rights"
)

// caseBody is what a client may send for a case. Owner and unit are the server's: the
// creator owns a new case in their unit (ORG-4); derived figures are never writable.
type caseBody struct {
	Name              *string                       `jsonapi:"name"`
	Status            *string                       `jsonapi:"status"`
	StartsOn          jsonapi.Nullable[string]      `jsonapi:"startsOn"`
	EndsOn            jsonapi.Nullable[string]      `jsonapi:"endsOn"`
	BillingForecast   *int64                        `jsonapi:"billingForecast"`
	ExpenseForecast   *int64                        `jsonapi:"expenseForecast"`
	ExpectedValue     *int64                        `jsonapi:"expectedValue"`
	Probability       *int                          `jsonapi:"probability"`
	ExpectedOrderDate jsonapi.Nullable[string]      `jsonapi:"expectedOrderDate"`
	Version           *int64                        `jsonapi:"version"`
	Account           *jsonapi.IncomingRelationship `jsonapi:"account,rel"`
}

// serverOwnedCaseFields may never be sent: owner, unit and every derived figure.
var serverOwnedCaseFields = []string{"owner", "unit", "revenue", "billed", "uninvoiced", "laborExpenses", "otherExpenses",
	"totalExpenses", "margin", "createdAt", "updatedAt"}

// forbiddenCaseFields adds the financial fields a decision hides (CASE-5, CASE-7): a caller
// may not write what they may not read.
func forbiddenCaseFields(d rights.Decision) []string {
	return append(append([]string{}, serverOwnedCaseFields...), d.Hidden.Fields()...)
}

// input converts the request to the service's input.
func (b *caseBody) input() (in cases.CaseInput, err error) {
	in = cases.CaseInput{Name: b.Name, Status: b.Status, StartsOn: b.StartsOn, EndsOn: b.EndsOn, ExpectedOrderDate: b.ExpectedOrderDate,
		BillingForecast: b.BillingForecast, ExpenseForecast: b.ExpenseForecast, ExpectedValue: b.ExpectedValue, Probability: b.Probability}
	in.AccountID, err = relRequired(b.Account, "accounts", "/data/relationships/account")
	return in, err
}

// createCase answers POST /api/v1/cases (cases.Service.CreateCase). The body is read once
// the caller may create cases, since what they may write follows what they may see.
func (s *Server) createCase(c *fiber.Ctx) error {
	a := actorOf(c)
	d, err := s.cases.MayCreateCase(a)
	if err != nil {
		return err
	}
	var req caseBody
	if err := bind(c, "cases", "", &req, append(forbiddenCaseFields(d), "version")...); err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	cs, err := s.cases.CreateCase(c.UserContext(), a, in)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, caseView(cs))
}

// updateCase answers PATCH /api/v1/cases/:id (cases.Service.UpdateCase). The body is read
// once the case is found editable: an invisible case is 404 whatever was sent.
func (s *Server) updateCase(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	a := actorOf(c)
	seen, err := s.cases.CaseFor(c.UserContext(), a, id, rights.CaseEdit)
	if err != nil {
		return err
	}
	var req caseBody
	if err := bind(c, "cases", idString(id), &req, append(forbiddenCaseFields(seen.Decision), "account")...); err != nil {
		return err
	}
	in, err := req.input()
	if err != nil {
		return err
	}
	cs, err := s.cases.UpdateCase(c.UserContext(), a, id, in, expect(c, req.Version))
	if err != nil {
		return err
	}
	tagVersion(c, cs.Version)
	return writeOne(c, fiber.StatusOK, caseView(cs))
}
