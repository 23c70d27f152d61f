package httpx_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/httpx/httpxtest"
)

// bodyApp is a service shaped like both of ours: streamed bodies, an authentication step
// that wants the header "X-Auth: yes", then ReadBody, then a handler that echoes the
// body's length; "/upload" streams its body instead.
func bodyApp(t *testing.T, logs io.Writer) *fiber.App {
	t.Helper()
	limits := httpx.BodyLimits{Document: 1 << 20, Upload: 4 << 20, IsUpload: func(c *fiber.Ctx) bool { return c.Path() == "/upload" }}
	cfg := fiber.Config{ErrorHandler: httpx.ErrorHandler(slog.New(slog.NewTextHandler(io.Discard, nil))), DisableStartupMessage: true}
	httpx.StreamingConfig(&cfg, limits)
	a := fiber.New(cfg)
	a.Use(httpx.RequestIDs(), httpx.AccessLog(slog.New(slog.NewJSONHandler(logs, nil))), httpx.Bodies(limits))
	a.Post("/login", httpx.ReadBody(1<<20), func(c *fiber.Ctx) error {
		return c.SendString(httpx.FormValue(c, "name"))
	})
	authed := a.Group("", func(c *fiber.Ctx) error {
		if c.Get("X-Auth") != "yes" {
			return apperr.E(apperr.Unauthenticated, "Log in first.")
		}
		return c.Next()
	})
	authed.Post("/upload", func(c *fiber.Ctx) error {
		n, err := io.Copy(io.Discard, c.Context().RequestBodyStream())
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"n": n})
	})
	authed.Use(httpx.ReadBody(1 << 20))
	authed.Post("/doc", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"n": len(c.Body())}) })
	return a
}

func listen(t *testing.T, a *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go a.Listener(ln) //nolint:errcheck // ends with Shutdown
	t.Cleanup(func() { _ = a.Shutdown() })
	return ln.Addr().String()
}

// Security review finding 1 and 4: a chunked body sent without credentials, to a document
// route or to an upload route, as a form or not, is refused before it is read.
func TestBodiesAreNotReadBeforeAuthentication(t *testing.T) {
	addr := listen(t, bodyApp(t, io.Discard))
	const total = 256 << 20
	for _, tc := range []struct{ path, ctype string }{
		{"/doc", "application/vnd.api+json"},
		{"/doc", "application/x-www-form-urlencoded"},
		{"/upload", "application/x-www-form-urlencoded"},
		{"/upload", "multipart/form-data; boundary=x"},
	} {
		t.Run(tc.path+" "+tc.ctype, func(t *testing.T) {
			status, sent := httpxtest.Flood(t, addr, "POST", tc.path, http.Header{"Content-Type": {tc.ctype}}, total)
			if status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", status)
			}
			if sent > 32<<20 {
				t.Fatalf("the server took %d MiB of the body before refusing", sent>>20)
			}
		})
	}
}

// Every body is capped once authenticated, chunked ones included (finding 1).
func TestBodiesAreCapped(t *testing.T) {
	addr := listen(t, bodyApp(t, io.Discard))
	auth := http.Header{"X-Auth": {"yes"}, "Content-Type": {"application/vnd.api+json"}}
	if status, sent := httpxtest.Flood(t, addr, "POST", "/doc", auth, 64<<20); status != http.StatusRequestEntityTooLarge || sent > 32<<20 {
		t.Fatalf("chunked document: status %d after %d MiB", status, sent>>20)
	}
	if status, sent := httpxtest.Flood(t, addr, "POST", "/login", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, 64<<20); status != http.StatusRequestEntityTooLarge || sent > 32<<20 {
		t.Fatalf("chunked login form: status %d after %d MiB", status, sent>>20)
	}
	// A declared length over the cap is refused from the headers alone.
	if status := httpxtest.Declare(t, addr, "POST", "/upload", http.Header{"X-Auth": {"yes"}, "Content-Type": {"multipart/form-data; boundary=x"}}, 5<<20); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared 5 MiB upload: status %d", status)
	}
	// Within the caps, bodies arrive whole.
	req, _ := http.NewRequest("POST", "http://"+addr+"/doc", strings.NewReader(`{"data":null}`))
	req.Header = auth
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != `{"n":13}` {
		t.Fatalf("small document: %d %s", resp.StatusCode, b)
	}
}

// Security review finding 6: form fields are text, whichever way they come, and a form
// value never comes from the query string.
func TestFormTextRefusesNUL(t *testing.T) {
	a := bodyApp(t, io.Discard)
	post := func(target, ctype, body string) (int, string) {
		req := httptest.NewRequest("POST", target, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		resp, err := a.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	form := "application/x-www-form-urlencoded"
	for body, want := range map[string]int{"name=hello": 200, "name=a%00b": 400, "name=%ff": 400, "a%00=b": 400} {
		if status, _ := post("/login", form, body); status != want {
			t.Errorf("form %s: status %d, want %d", body, status, want)
		}
	}
	if status, _ := post("/login?name=a%00b@x.example", form, "name=x"); status != 400 {
		t.Errorf("NUL in the query string: status %d, want 400", status)
	}
	if status, got := post("/login?name=from-url", form, ""); status != 200 || got != "" {
		t.Errorf("a form value was taken from the URL: %d %q", status, got)
	}
	var mp bytes.Buffer
	mp.WriteString("--x\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\na\x00b\r\n--x--\r\n")
	if status, _ := post("/login", "multipart/form-data; boundary=x", mp.String()); status != 400 {
		t.Errorf("NUL in a multipart field: status %d, want 400", status)
	}
}

// Security review finding 5: the access log writes the status that was sent, and a
// refusal's code and rules, never the credentials.
func TestAccessLogWritesTheStatusSent(t *testing.T) {
	var logs bytes.Buffer
	a := bodyApp(t, &logs)
	a.Get("/denied", func(*fiber.Ctx) error {
		return apperr.E(apperr.Forbidden, "no").Because("CASE-12")
	})
	for _, tc := range []struct {
		req  *http.Request
		want string
	}{
		{httptest.NewRequest("POST", "/doc", strings.NewReader("password=hunter2")), `"status":401`},
		{httptest.NewRequest("GET", "/denied", nil), `"status":403`},
		{httptest.NewRequest("GET", "/nowhere?token=s3cr3t", nil), `"status":404`},
	} {
		logs.Reset()
		tc.req.Header.Set("Authorization", "Bearer s3cr3t")
		if tc.want != `"status":401` {
			tc.req.Header.Set("X-Auth", "yes")
		}
		resp, err := a.Test(tc.req, -1)
		if err != nil {
			t.Fatal(err)
		}
		if got := logs.String(); !strings.Contains(got, tc.want) || strings.Contains(got, "s3cr3t") || strings.Contains(got, "hunter2") {
			t.Errorf("%s %s answered %d, logged %s", tc.req.Method, tc.req.URL, resp.StatusCode, got)
		}
	}
	logs.Reset()
	denied := httptest.NewRequest("GET", "/denied", nil)
	denied.Header.Set("X-Auth", "yes")
	if _, err := a.Test(denied, -1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), `"rules":"CASE-12"`) || !strings.Contains(logs.String(), `"error":"forbidden"`) {
		t.Errorf("refusal logged without its rule: %s", logs.String())
	}
}

// A body refused for its size, or a form that is not text, names its cause for errors.As
// and errors.Is, so that a page can say it in its reader's words rather than in the API's.
func TestBodyRefusalCauses(t *testing.T) {
	var got error
	cfg := fiber.Config{DisableStartupMessage: true, ErrorHandler: func(c *fiber.Ctx, err error) error {
		got = err
		return c.SendStatus(httpx.ToJSONAPI(slog.New(slog.DiscardHandler), "", err).Status)
	}}
	limits := httpx.BodyLimits{Document: 64, Upload: 128}
	httpx.StreamingConfig(&cfg, limits)
	a := fiber.New(cfg)
	a.Use(httpx.Bodies(limits))
	a.Post("/form", httpx.ReadBody(64), func(c *fiber.Ctx) error { return c.SendString("ok") })
	for _, tc := range []struct {
		name, body string
		status     int
		check      func(error) bool
	}{
		{"too large", "a=" + strings.Repeat("x", 100), http.StatusRequestEntityTooLarge, func(err error) bool {
			var tl *httpx.TooLargeError
			return errors.As(err, &tl) && tl.Limit == 64 && !tl.Upload && apperr.CodeOf(err) == apperr.TooLarge
		}},
		{"not text", "a=%00", http.StatusBadRequest, func(err error) bool {
			return errors.Is(err, httpx.ErrNotText) && apperr.CodeOf(err) == apperr.Invalid
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/form", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := a.Test(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status || !tc.check(got) {
				t.Fatalf("status %d, error %v", resp.StatusCode, got)
			}
		})
	}
}
