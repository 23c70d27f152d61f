package portal

import (
	"net/http"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/webapi"
)

type passwordRequest struct {
	CurrentPassword *string `jsonapi:"currentPassword"`
	NewPassword     *string `jsonapi:"newPassword"`
}

// changePassword answers POST /portal/v1/password: the current and a new password (12+
// characters). It is the one route open while the password is temporary (EXT-9). Every
// earlier token of the contact dies; the answer carries a new one.
func (h *handler) changePassword(c *fiber.Ctx) error {
	var req passwordRequest
	if err := webapi.Bind(c, "passwords", "", &req); err != nil {
		return err
	}
	if req.CurrentPassword == nil || *req.CurrentPassword == "" {
		return apperr.E(apperr.Invalid, "currentPassword is required").AtPointer("/data/attributes/currentPassword")
	}
	if req.NewPassword == nil {
		return apperr.E(apperr.Invalid, "newPassword is required").AtPointer("/data/attributes/newPassword")
	}
	who, err := h.svc.ChangePassword(c.UserContext(), caller(c), *req.CurrentPassword, *req.NewPassword)
	if err != nil {
		return err
	}
	return h.writeSession(c, http.StatusOK, who)
}
