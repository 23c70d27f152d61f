package server

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/history"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/rights"
)

type settingsBody struct {
	OrganizationName  *string `jsonapi:"organizationName"`
	Currency          *string `jsonapi:"currency"`
	WorkHourApproval  *bool   `jsonapi:"workHourApproval"`
	TravelEnabled     *bool   `jsonapi:"travelEnabled"`
	TempPasswordHours *int    `jsonapi:"tempPasswordHours"`
	Version           *int64  `jsonapi:"version"`
}

func settingsSnapshot(st *model.Settings) map[string]any {
	return map[string]any{"organizationName": st.OrganizationName, "currency": st.Currency, "workHourApproval": st.WorkHourApproval,
		"travelEnabled": st.TravelEnabled, "tempPasswordHours": st.TempPasswordHours}
}

func settingsResource(st *model.Settings) *jsonapi.Resource {
	attrs := settingsSnapshot(st)
	attrs["version"], attrs["updatedAt"] = st.Version, st.UpdatedAt.UTC()
	return &jsonapi.Resource{Type: "settings", ID: "1", Attributes: attrs, Links: &jsonapi.Links{Self: apiBase + "/settings"}}
}

// getSettings answers GET /api/v1/settings: every employee reads the organisation's name,
// currency and feature switches, which the app needs to render anything.
func (s *Server) getSettings(c *fiber.Ctx) error {
	st, err := access.LoadSettings(c.UserContext(), s.db)
	if err != nil {
		return apperr.Wrap(err, "load settings")
	}
	return writeOne(c, fiber.StatusOK, settingsResource(st))
}

// updateSettings answers PATCH /api/v1/settings (ADM-2). Turning work-hour approval or travel
// on or off changes what the approval and travel rights do on the next request (WHA-1, TRV-1).
func (s *Server) updateSettings(c *fiber.Ctx) error {
	p := caller(c)
	if d := rights.DecideAdmin(p.Subject, rights.AdminSettings); !d.Allow {
		return denied(d)
	}
	return s.db.RunInTx(c.UserContext(), nil, func(ctx context.Context, tx bun.Tx) error {
		st, err := access.LoadSettings(ctx, tx)
		if err != nil {
			return apperr.Wrap(err, "load settings")
		}
		var req settingsBody
		if err := bind(c, "settings", "1", &req, "updatedAt"); err != nil {
			return err
		}
		if err := expectVersion(c, req.Version, st.Version); err != nil {
			return err
		}
		before := settingsSnapshot(st)
		if req.OrganizationName != nil {
			if strings.TrimSpace(*req.OrganizationName) == "" {
				return apperr.E(apperr.Invalid, "organizationName may not be empty").AtPointer("/data/attributes/organizationName")
			}
			st.OrganizationName = strings.TrimSpace(*req.OrganizationName)
		}
		if req.Currency != nil {
			if len(*req.Currency) != 3 || strings.ToUpper(*req.Currency) != *req.Currency {
				return apperr.E(apperr.Invalid, "currency is an ISO 4217 code such as EUR").AtPointer("/data/attributes/currency")
			}
			st.Currency = *req.Currency
		}
		if req.WorkHourApproval != nil {
			st.WorkHourApproval = *req.WorkHourApproval
		}
		if req.TravelEnabled != nil {
			st.TravelEnabled = *req.TravelEnabled
		}
		if req.TempPasswordHours != nil {
			if *req.TempPasswordHours < 1 || *req.TempPasswordHours > 720 {
				return apperr.E(apperr.Invalid, "tempPasswordHours is between 1 and 720").AtPointer("/data/attributes/tempPasswordHours")
			}
			st.TempPasswordHours = *req.TempPasswordHours
		}
		st.UpdatedAt = s.now().UTC()
		if err := db.BumpVersion(ctx, tx, "settings", 1, st.Version, func(q *bun.UpdateQuery) *bun.UpdateQuery {
			return q.Set("organization_name = ?", st.OrganizationName).Set("currency = ?", st.Currency).
				Set("work_hour_approval = ?", st.WorkHourApproval).Set("travel_enabled = ?", st.TravelEnabled).
				Set("temp_password_hours = ?", st.TempPasswordHours).Set("updated_at = ?", st.UpdatedAt)
		}); err != nil {
			return err
		}
		st.Version++
		if err := bumpRightsEpoch(ctx, tx); err != nil {
			return err
		}
		if err := s.record(ctx, tx, p, history.Entry{Action: "update", ResourceType: "settings", ResourceID: 1,
			Changes: history.Diff(before, settingsSnapshot(st))}); err != nil {
			return err
		}
		return writeOne(c, fiber.StatusOK, settingsResource(st))
	})
}
