package webapi

import (
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
)

// answer runs h on one request to /things/{id} with body and returns what h's error was.
func answer(t *testing.T, id, body string, h func(c *fiber.Ctx) error) error {
	t.Helper()
	var got error
	app := fiber.New()
	app.Post("/things/:id", func(c *fiber.Ctx) error {
		got = h(c)
		return nil
	})
	res, err := app.Test(httptest.NewRequest("POST", "/things/"+id, strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	return got
}

func TestPathID(t *testing.T) {
	for raw, want := range map[string]apperr.Code{"12": "", "0": apperr.NotFound, "-3": apperr.NotFound, "x": apperr.NotFound} {
		var id int64
		err := answer(t, raw, "", func(c *fiber.Ctx) (err error) {
			id, err = PathID(c, "thing")
			return err
		})
		if (want == "" && (err != nil || id != 12)) || (want != "" && apperr.CodeOf(err) != want) {
			t.Errorf("PathID(%q) = %d, %v; want code %q", raw, id, err, want)
		}
	}
}

func TestReadCredentials(t *testing.T) {
	for body, want := range map[string]string{
		`{"data":{"type":"sessions","attributes":{"email":"a@b.c","password":"pw"}}}`: "",
		`{"data":{"type":"sessions","attributes":{"email":" ","password":"pw"}}}`:     "/data/attributes/email",
		`{"data":{"type":"sessions","attributes":{"email":"a@b.c"}}}`:                 "/data/attributes/password",
		`{"data":{"type":"sessions","attributes":{"email":"a@b.c","password":""}}}`:   "/data/attributes/password",
	} {
		var cred Credentials
		err := answer(t, "1", body, func(c *fiber.Ctx) (err error) {
			cred, err = ReadCredentials(c)
			return err
		})
		switch {
		case want == "" && (err != nil || cred != Credentials{Email: "a@b.c", Password: "pw"}):
			t.Errorf("%s: %+v, %v", body, cred, err)
		case want != "" && (apperr.CodeOf(err) != apperr.Invalid || pointerOf(err) != want):
			t.Errorf("%s: %v, want a 400 at %s", body, err, want)
		}
	}
	if err := answer(t, "1", `{"data":{"type":"passwords","attributes":{}}}`, func(c *fiber.Ctx) error {
		_, err := ReadCredentials(c)
		return err
	}); err == nil {
		t.Error("a passwords document read as credentials")
	}
}

func pointerOf(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Pointer
	}
	return ""
}
