package portal

import (
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/i18n"
	"github.com/caseroom/caseroom/pkg/notice"
)

// An error no handler worded reaches the sign-in pages (refusalText) and the error page
// (toJSONAPI) in the catalogue's words for its status, in the reader's language; the English
// detail of the API never does. The words a handler took from the catalogue (say) stay.
func TestPageWordsNeverTheAPIEnglish(t *testing.T) {
	h := &handler{log: slog.New(slog.DiscardHandler)}
	fi := i18n.Choose("fi", "", "", "UTC")
	type seen struct{ refusal, detail string }
	var got []seen
	errs := []error{apperr.E(apperr.Invalid, "email is too long"), apperr.E(apperr.Conflict, "The row collides."),
		apperr.E(apperr.Unprocessable, "The tree has a loop."), apperr.E(apperr.Forbidden, "Set a new password first."),
		apperr.E(apperr.RateLimited, "Too many attempts.")}
	app := fiber.New()
	app.Get("/forgot", func(c *fiber.Ctx) error {
		c.Locals(brandKey, notice.Brand{Locale: "en", Zone: "UTC"})
		for _, err := range append(errs, h.say(c, apperr.Invalid, "notify.lang.bad")) {
			got = append(got, seen{h.refusalText(c, err), h.toJSONAPI(c, err).Objects[0].Detail})
		}
		return nil
	})
	req := httptest.NewRequest("GET", "/forgot", nil)
	req.Header.Set("Accept-Language", "fi")
	if _, err := app.Test(req); err != nil {
		t.Fatal(err)
	}
	want := []string{fi.T("error.page.400.text"), fi.T("error.page.409.text"), fi.T("error.page.other.text"),
		fi.T("error.page.403.text"), fi.T("error.page.429.text"), fi.T("notify.lang.bad")}
	if len(got) != len(want) {
		t.Fatalf("%d answers", len(got))
	}
	for i, w := range want {
		if got[i].refusal != w || got[i].detail != w {
			t.Errorf("error %d: %+v, want %q", i, got[i], w)
		}
		if i < len(errs) && (strings.Contains(got[i].refusal, "Too many") || strings.Contains(got[i].refusal, "email")) {
			t.Errorf("English on a page: %q", got[i].refusal)
		}
	}
}
