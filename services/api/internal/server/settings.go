package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
)

type settingsBody struct {
	OrganizationName    *string `jsonapi:"organizationName"`
	Currency            *string `jsonapi:"currency"`
	WorkHourApproval    *bool   `jsonapi:"workHourApproval"`
	TravelEnabled       *bool   `jsonapi:"travelEnabled"`
	TempPasswordHours   *int    `jsonapi:"tempPasswordHours"`
	BrandLogoURL        *string `jsonapi:"brandLogoUrl"`
	BrandAccent         *string `jsonapi:"brandAccent"`
	InviteSendsPassword *bool   `jsonapi:"inviteSendsPassword"`
	Locale              *string `jsonapi:"locale"`
	TimeZone            *string `jsonapi:"timeZone"`
	DigestMinutes       *int    `jsonapi:"digestMinutes"`
	Version             *int64  `jsonapi:"version"`
}

func settingsResource(st *org.Settings) *jsonapi.Resource {
	attrs := map[string]any{"organizationName": st.OrganizationName, "currency": st.Currency, "workHourApproval": st.WorkHourApproval,
		"travelEnabled": st.TravelEnabled, "tempPasswordHours": st.TempPasswordHours, "brandLogoUrl": st.BrandLogoURL,
		"brandAccent": st.BrandAccent, "inviteSendsPassword": st.InviteSendsPassword, "locale": st.Locale, "timeZone": st.TimeZone,
		"digestMinutes": st.DigestMinutes, "version": st.Version, "updatedAt": st.UpdatedAt.UTC()}
	return &jsonapi.Resource{Type: "settings", ID: "1", Attributes: attrs, Links: &jsonapi.Links{Self: apiBase + "/settings"}}
}

// getSettings answers GET /api/v1/settings (org.Service.Settings).
func (s *Server) getSettings(c *fiber.Ctx) error {
	st, err := s.org.Settings(c.UserContext(), actorOf(c))
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusOK, settingsResource(st))
}

// updateSettings answers PATCH /api/v1/settings (org.Service.UpdateSettings).
func (s *Server) updateSettings(c *fiber.Ctx) error {
	var req settingsBody
	if err := bind(c, "settings", "1", &req, "updatedAt"); err != nil {
		return err
	}
	in := org.SettingsInput{OrganizationName: req.OrganizationName, Currency: req.Currency, WorkHourApproval: req.WorkHourApproval,
		TravelEnabled: req.TravelEnabled, TempPasswordHours: req.TempPasswordHours, BrandLogoURL: req.BrandLogoURL,
		BrandAccent: req.BrandAccent, InviteSendsPassword: req.InviteSendsPassword, Locale: req.Locale, TimeZone: req.TimeZone,
		DigestMinutes: req.DigestMinutes}
	st, err := s.org.UpdateSettings(c.UserContext(), actorOf(c), in, expect(c, req.Version))
	if err != nil {
		return err
	}
	tagVersion(c, st.Version)
	return writeOne(c, fiber.StatusOK, settingsResource(st))
}
