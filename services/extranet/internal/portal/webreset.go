package portal

import (
	"errors"
	"net/http"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// forgotData is what the page asking for a password link shows: the form, or the one
// answer every request gets.
type forgotData struct {
	Email string
	Sent  bool
}

// Minutes is how long a password link works, as the page says it.
func (forgotData) Minutes() int { return int(extranet.ResetTTL / time.Minute) }

// forgotPage asks for the email address to send a password link to. After a request
// (?sent=1) it says, whatever the address was, that a link went to it if it has a login.
func (h *handler) forgotPage(c *fiber.Ctx) error {
	return h.render(c, http.StatusOK, "forgot", &pageData{Title: h.locale(c).T("auth.forgot.title"),
		Data: forgotData{Sent: c.Query("sent") == "1"}})
}

// forgotForm asks for a password link. Every address gets the same answer, a redirect to
// the same page, whether it has a login or not and whether or not a limit held the mail back
// (extranet.RequestReset), so the form tells nobody who has a login. Only a blank address
// is refused, in words on the form.
func (h *handler) forgotForm(c *fiber.Ctx) error {
	email := httpx.FormValue(c, "email")
	if err := h.svc.RequestReset(c.UserContext(), email, c.IP()); err != nil {
		return h.refuse(c, err, "forgot", &pageData{Title: h.locale(c).T("auth.forgot.title"), Data: forgotData{Email: email}})
	}
	return seeOther(c, "/forgot?sent=1")
}

// resetData is what the page of a password link shows: the form for the new password, or
// why the link does not work.
type resetData struct {
	Token   string
	Email   string
	Min     int
	Invalid bool
}

// resetPage opens a password link. It does not spend the link, so that a mail scanner that
// opens links cannot; saving the new password does.
func (h *handler) resetPage(c *fiber.Ctx) error {
	token := c.Params("token")
	who, err := h.svc.CheckReset(c.UserContext(), token)
	if err != nil {
		return h.resetInvalid(c, err)
	}
	return h.render(c, http.StatusOK, "reset", h.resetPageData(c, token, who))
}

// resetForm spends a password link: the new password (twice) becomes the contact's own,
// every earlier session of theirs ends (EXT-9), and this browser is signed in with a fresh
// session. A refused password leaves the link unspent, to try again.
func (h *handler) resetForm(c *fiber.Ctx) error {
	ctx, token := c.UserContext(), c.Params("token")
	who, err := h.svc.CheckReset(ctx, token)
	if err != nil {
		return h.resetInvalid(c, err)
	}
	d := h.resetPageData(c, token, who)
	newPassword := httpx.FormValue(c, "new")
	if newPassword != httpx.FormValue(c, "confirm") {
		d.Error = h.locale(c).T("auth.password.mismatch")
		return h.render(c, http.StatusBadRequest, "reset", d)
	}
	if who, err = h.svc.ResetPassword(ctx, token, newPassword); err != nil {
		if isDeadLink(err) {
			return h.resetInvalid(c, err)
		}
		return h.refuse(c, err, "reset", d)
	}
	h.clearCookie(c, inviteCookie)
	if err := h.startSession(c, who); err != nil {
		return err
	}
	return seeOther(c, "/cases?done=password")
}

func (h *handler) resetPageData(c *fiber.Ctx, token string, who *extranet.Contact) *pageData {
	return &pageData{Title: h.locale(c).T("auth.reset.title"),
		Data: resetData{Token: token, Email: who.Email, Min: extranet.MinPasswordLength}}
}

// isDeadLink reports whether err says that a password link leads nowhere any more.
func isDeadLink(err error) bool {
	return errors.Is(err, extranet.ErrResetInvalid) || errors.Is(err, extranet.ErrNothingShared)
}

// resetInvalid shows why a password link does not work, with a way to ask for a new one;
// for a link that leads nowhere, the status is 404.
func (h *handler) resetInvalid(c *fiber.Ctx, err error) error {
	if !isDeadLink(err) {
		return err
	}
	return h.render(c, http.StatusNotFound, "reset", &pageData{Title: h.locale(c).T("auth.reset.invalid_title"),
		Error: h.refusalText(c, err), Data: resetData{Invalid: true}})
}
