package portal_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/openapi"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/openapitest"
	"github.com/caseroom/caseroom/services/extranet/internal/portal"
)

func TestHealth(t *testing.T) {
	database := dbtest.Open(t)
	tokens, err := auth.NewIssuer([]byte(strings.Repeat("x", 32)), auth.AudienceExtranet, time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	app := portal.New(portal.Deps{DB: database, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Tokens: tokens, Now: time.Now})
	spec := openapitest.New(t, openapi.Extranet)
	for _, path := range []string{"/healthz", "/readyz"} {
		t.Run(path, func(t *testing.T) {
			req := httptest.NewRequest("GET", path, nil)
			resp, err := app.Test(req.Clone(t.Context()), -1)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			spec.Check(t, req, nil, resp.StatusCode, resp.Header, body, true)
		})
	}
	t.Run("readyz is 503 when the database is gone", func(t *testing.T) {
		database.Close()
		req := httptest.NewRequest("GET", "/readyz", nil)
		resp, err := app.Test(req.Clone(t.Context()), -1)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		spec.Check(t, req, nil, resp.StatusCode, resp.Header, body, true)
	})
}
