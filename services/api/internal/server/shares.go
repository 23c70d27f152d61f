package server

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// shareContactBody is one invited contact with their own rights (EXT-2, EXT-6).
type shareContactBody struct {
	Contact         string     `json:"contact"`
	CanApprove      bool       `json:"canApprove"`
	CanComment      bool       `json:"canComment"`
	CanUpload       bool       `json:"canUpload"`
	CanChangeStatus bool       `json:"canChangeStatus"`
	ExpiresAt       *time.Time `json:"expiresAt"`
}

type shareBody struct {
	ShowFinancials *bool                         `jsonapi:"showFinancials"`
	ShowPhases     *bool                         `jsonapi:"showPhases"`
	ShowOther      *bool                         `jsonapi:"showOther"`
	ShowBilling    *bool                         `jsonapi:"showBilling"`
	ShowHourPrices *bool                         `jsonapi:"showHourPrices"`
	ShowStatus     *bool                         `jsonapi:"showStatus"`
	ShowHours      *bool                         `jsonapi:"showHours"`
	ShowFiles      *bool                         `jsonapi:"showFiles"`
	Contacts       *[]shareContactBody           `jsonapi:"contacts"`
	Version        *int64                        `jsonapi:"version"`
	Case           *jsonapi.IncomingRelationship `jsonapi:"case,rel"`
}

// input converts the request to the service's input; what is not an id is sent as 0, which
// the service refuses where it looks at it.
func (b *shareBody) input() cases.ShareInput {
	in := cases.ShareInput{ShowFinancials: b.ShowFinancials, ShowPhases: b.ShowPhases, ShowOther: b.ShowOther,
		ShowBilling: b.ShowBilling, ShowHourPrices: b.ShowHourPrices, ShowStatus: b.ShowStatus, ShowHours: b.ShowHours,
		ShowFiles: b.ShowFiles}
	if b.Contacts != nil {
		list := make([]cases.ShareContactInput, len(*b.Contacts))
		for i, c := range *b.Contacts {
			id, _ := strconv.ParseInt(c.Contact, 10, 64)
			list[i] = cases.ShareContactInput{ContactID: id, CanApprove: c.CanApprove, CanComment: c.CanComment,
				CanUpload: c.CanUpload, CanChangeStatus: c.CanChangeStatus, ExpiresAt: c.ExpiresAt}
		}
		in.Contacts = &list
	}
	return in
}

// shareResource renders a share with its contacts.
func shareResource(sh *cases.Share) *jsonapi.Resource {
	id := strconv.FormatInt(sh.ID, 10)
	list := make([]map[string]any, len(sh.Contacts))
	for i, c := range sh.Contacts {
		list[i] = map[string]any{"contact": strconv.FormatInt(c.ContactID, 10), "email": c.Email, "name": c.FirstName + " " + c.LastName,
			"canApprove": c.CanApprove, "canComment": c.CanComment, "canUpload": c.CanUpload, "canChangeStatus": c.CanChangeStatus,
			"expiresAt": nullableTime(c.ExpiresAt), "invitedAt": c.InvitedAt.UTC(), "portalStatus": c.PortalStatus()}
	}
	return &jsonapi.Resource{Type: "extranet-shares", ID: id,
		Attributes: map[string]any{"showFinancials": sh.ShowFinancials, "showPhases": sh.ShowPhases, "showOther": sh.ShowOther,
			"showBilling": !sh.HideBilling, "showHourPrices": !sh.HideHourPrices, "showStatus": !sh.HideStatus,
			"showHours": !sh.HideHours, "showFiles": !sh.HideFiles, "contacts": list, "version": sh.Version, "createdAt": sh.CreatedAt.UTC(), "updatedAt": sh.UpdatedAt.UTC()},
		Relationships: map[string]jsonapi.Relationship{"case": toOne("extranet-shares", id, "case", "cases", sh.CaseID)},
		Links:         selfLink("extranet-shares", id)}
}

// createShare answers POST /api/v1/extranet-shares (cases.Service.CreateShare).
func (s *Server) createShare(c *fiber.Ctx) error {
	var req shareBody
	if err := bind(c, "extranet-shares", "", &req, "version"); err != nil {
		return err
	}
	if req.Case == nil {
		return apperr.E(apperr.Invalid, "the case relationship is required").AtPointer("/data/relationships/case")
	}
	raw, err := req.Case.ToOne("cases")
	if err != nil {
		return err
	}
	in := req.input()
	in.CaseID, _ = strconv.ParseInt(raw, 10, 64) // what is not an id is no case: 404
	sh, err := s.cases.CreateShare(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return writeOne(c, fiber.StatusCreated, shareResource(sh))
}

// updateShare answers PATCH /api/v1/extranet-shares/:id (cases.Service.UpdateShare). The body
// is read once the share is found: an invisible share is 404 whatever was sent.
func (s *Server) updateShare(c *fiber.Ctx) error {
	id, err := pathID(c, "share")
	if err != nil {
		return err
	}
	a := actorOf(c)
	if _, err := s.cases.Share(c.UserContext(), a, id); err != nil {
		return err
	}
	var req shareBody
	if err := bind(c, "extranet-shares", idString(id), &req, "case"); err != nil {
		return err
	}
	sh, err := s.cases.UpdateShare(c.UserContext(), a, id, req.input(), expect(c, req.Version))
	if err != nil {
		return err
	}
	tagVersion(c, sh.Version)
	return writeOne(c, fiber.StatusOK, shareResource(sh))
}

// shareKind is the extranet-shares type of the registry (pkg/cases).
func (s *Server) shareKind() kind {
	return kind{
		name:   "extranet-shares",
		create: s.createShare,
		get:    getter(s, "share", s.cases.Share, shareResource),
		update: s.updateShare,
		remove: remover("share", s.cases.DeleteShare),
		batch:  batchOf(s.cases.SharesByID, shareResource),
	}
}
