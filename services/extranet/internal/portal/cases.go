package portal

import (
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// listCases answers GET /portal/v1/cases: the cases shared with the contact (EXT-5).
func (h *handler) listCases(c *fiber.Ctx) error {
	q, p, err := listQuery(c)
	if err != nil {
		return err
	}
	views, err := h.cases.SharedCases(c.UserContext(), caller(c).Actor())
	if err != nil {
		return err
	}
	total := int64(len(views))
	lo, hi := min(p.Offset, total), min(p.Offset+p.Limit, total)
	out := make([]*jsonapi.Resource, 0, hi-lo)
	for _, v := range views[lo:hi] {
		out = append(out, caseResource(v))
	}
	return writeList(c, q, out, total)
}

// getCase answers GET /portal/v1/cases/:id, with only the shared sections (EXT-3); a case
// not shared with the contact is 404 (EXT-8).
func (h *handler) getCase(c *fiber.Ctx) error {
	q, err := oneQuery(c)
	if err != nil {
		return err
	}
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	v, err := h.cases.SharedCase(c.UserContext(), caller(c).Actor(), id)
	if err != nil {
		return err
	}
	return writeOne(c, http.StatusOK, q, caseResource(v))
}

type caseStatusRequest struct {
	Status  *string `jsonapi:"status"`
	Version *int64  `jsonapi:"version"`
}

// readOnlyCaseFields are the case's other attributes: a contact may read but never write
// them (EXT-6), so sending one is a 403 rather than an unknown-attribute 400.
var readOnlyCaseFields = []string{"name", "accountName", "startsOn", "endsOn", "sections", "rights",
	"billingForecast", "invoicedTotal", "currency", "workHours", "phases", "files", "comments", "invoices"}

// updateCase answers PATCH /portal/v1/cases/:id: the status only, with the change-status
// right (EXT-6), and the version the contact saw (If-Match or the version attribute; 412
// otherwise, as in the internal API). cases.Service.SetStatus decides and writes it, for the
// portal and the firm alike.
func (h *handler) updateCase(c *fiber.Ctx) error {
	id, err := pathID(c, "case")
	if err != nil {
		return err
	}
	ctx, who := c.UserContext(), caller(c).Actor()
	v, err := h.cases.SharedCase(ctx, who, id)
	if err != nil {
		return err // an unshared case is 404 before the body is looked at
	}
	in, err := jsonapi.ParseResource(c.Body(), "cases", strconv.FormatInt(id, 10))
	if err != nil {
		return err
	}
	var req caseStatusRequest
	if err := in.Bind(&req, jsonapi.BindOptions{Forbidden: readOnlyCaseFields}); err != nil {
		return err
	}
	version, err := httpx.EditedVersion(c, req.Version)
	if err != nil {
		return err
	}
	if req.Status == nil {
		return apperr.E(apperr.Invalid, "status is required").AtPointer("/data/attributes/status")
	}
	changed, err := h.cases.SetStatus(ctx, who, id, *req.Status, domain.Version(version))
	if err != nil {
		return err
	}
	v.Case = changed.Case // the grant and the figures shown stay as they were
	c.Set(fiber.HeaderETag, strconv.Quote(strconv.FormatInt(v.Case.Version, 10)))
	return writeOne(c, http.StatusOK, jsonapi.Query{}, caseResource(v))
}

// optionalVersion reads an If-Match header if there is one (actions such as approve).
func optionalVersion(c *fiber.Ctx) (*int64, error) {
	if c.Get(fiber.HeaderIfMatch) == "" {
		return nil, nil
	}
	v, err := httpx.EditedVersion(c, nil)
	if err != nil {
		return nil, err
	}
	return &v, nil
}
