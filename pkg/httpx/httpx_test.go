package httpx_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/httpx"
)

func app(log *slog.Logger, handler fiber.Handler) *fiber.App {
	a := fiber.New(fiber.Config{ErrorHandler: httpx.ErrorHandler(log), DisableStartupMessage: true})
	a.Use(httpx.RequestIDs(), httpx.SecurityHeaders())
	a.Get("/", handler)
	return a
}

func TestErrorMapping(t *testing.T) {
	cases := []struct {
		err    error
		status int
		code   string
	}{
		{apperr.E(apperr.NotFound, "No case 3."), 404, "not_found"},
		{apperr.E(apperr.Forbidden, "no").Because("CASE-12"), 403, "forbidden"},
		{apperr.E(apperr.Stale, "old"), 412, "stale"},
		{apperr.E(apperr.Invalid, "bad").AtPointer("/data/attributes/name"), 400, "invalid"},
		{apperr.E(apperr.Unprocessable, "cycle"), 422, "unprocessable"},
		{apperr.E(apperr.RateLimited, "slow down"), 429, "rate_limited"},
		{apperr.E(apperr.Unavailable, "storage down"), 503, "unavailable"},
		{errors.New("pq: password authentication failed for user secret"), 500, "internal_error"},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			var logs bytes.Buffer
			a := app(slog.New(slog.NewTextHandler(&logs, nil)), func(*fiber.Ctx) error { return tc.err })
			resp, err := a.Test(httptest.NewRequest("GET", "/", nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if !strings.Contains(string(body), `"jsonapi":{"version":"1.1"}`) || !strings.Contains(string(body), `"errors":[`) {
				t.Fatalf("not a JSON:API error document: %s", body)
			}
			if tc.status == 500 {
				if strings.Contains(string(body), "password") || strings.Contains(string(body), "secret") {
					t.Fatalf("internal detail leaked to the client: %s", body)
				}
				rid := resp.Header.Get("X-Request-ID")
				if rid == "" || !strings.Contains(string(body), rid) || !strings.Contains(logs.String(), rid) {
					t.Fatalf("request ID %q missing from body or log:\n%s\n%s", rid, body, logs.String())
				}
			}
			if tc.code == "forbidden" && !strings.Contains(string(body), `"rules":"CASE-12"`) {
				t.Fatalf("rule reason missing: %s", body)
			}
			if tc.code == "invalid" && !strings.Contains(string(body), `"pointer":"/data/attributes/name"`) {
				t.Fatalf("pointer missing: %s", body)
			}
		})
	}
}

func TestRequestIDsAndHeaders(t *testing.T) {
	a := app(slog.New(slog.NewTextHandler(io.Discard, nil)), func(c *fiber.Ctx) error { return c.SendString(httpx.RequestID(c)) })
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Request-ID", "abcdef123456")
	resp, _ := a.Test(req, -1)
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "abcdef123456" || resp.Header.Get("X-Request-ID") != "abcdef123456" {
		t.Fatalf("a sane incoming request ID was not kept: %q", body)
	}
	req = httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Request-ID", "<script>")
	resp, _ = a.Test(req, -1)
	body, _ = io.ReadAll(resp.Body)
	if string(body) == "<script>" || len(body) < 8 {
		t.Fatalf("an unsafe request ID was kept: %q", body)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("security headers missing: %v", resp.Header)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
}

func TestAccessLogKeepsSecretsOutOfTheLog(t *testing.T) {
	var logs bytes.Buffer
	a := fiber.New(fiber.Config{DisableStartupMessage: true})
	a.Use(httpx.RequestIDs(), httpx.AccessLog(slog.New(slog.NewTextHandler(&logs, nil))))
	a.Get("/invite/:token", func(c *fiber.Ctx) error { return c.SendString("ok") })
	if _, err := a.Test(httptest.NewRequest("GET", "/invite/s3cr3t-token-value", nil), -1); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), "s3cr3t-token-value") || !strings.Contains(logs.String(), "/invite/:token") {
		t.Fatalf("access log: %s", logs.String())
	}
}

func TestTrustProxies(t *testing.T) {
	ipSeen := func(proxies ...string) string {
		cfg := fiber.Config{DisableStartupMessage: true}
		httpx.TrustProxies(&cfg, proxies)
		a := fiber.New(cfg)
		a.Get("/", func(c *fiber.Ctx) error { return c.SendString(c.IP()) })
		req := httptest.NewRequest("GET", "/", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		resp, err := a.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if ip := ipSeen(); ip == "203.0.113.7" {
		t.Fatal("X-Forwarded-For was believed without a trusted proxy")
	}
	if ip := ipSeen("0.0.0.0/0"); ip != "203.0.113.7" {
		t.Fatalf("behind a trusted proxy the client is %q", ip)
	}
}
