package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/openapi"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/demo"
	"github.com/caseroom/caseroom/pkg/openapitest"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/services/api/internal/server"
)

const mediaType = "application/vnd.api+json"

// env is one API server on its own migrated database with the demo organisation.
type env struct {
	t      *testing.T
	db     *bun.DB
	app    *fiber.App
	tokens *auth.Issuer
	spec   *openapitest.Validator
	now    time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	files, err := storage.NewDisk(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWith(t, files)
}

// newEnvWith is newEnv with a chosen file store (tests of files use a real MinIO).
func newEnvWith(t *testing.T, files storage.Store) *env {
	t.Helper()
	database := dbtest.Open(t)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	if _, err := demo.Load(context.Background(), database, clock); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	tokens, err := auth.NewIssuer([]byte(strings.Repeat("t", 32)), auth.AudienceAPI, time.Hour, clock)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	app := server.New(server.Deps{DB: database, Log: log, Tokens: tokens, Now: clock, PortalURL: "http://portal.test", Files: files, MaxUpload: 64 << 10})
	return &env{t: t, db: database, app: app, tokens: tokens, spec: openapitest.New(t, openapi.API), now: now}
}

// response is one answer of the server, decoded (the harness both services share).
type response openapitest.Response

// call sends a request and checks the exchange against the OpenAPI document.
type call struct {
	method, path, token string
	body                any               // marshalled to JSON unless []byte or string
	header              map[string]string // extra headers
	lax                 bool              // the request is deliberately off-spec
}

func (e *env) do(c call) response {
	e.t.Helper()
	return response(e.spec.Do(e.t, e.app, openapitest.Call{Method: c.method, Path: c.path, Token: c.token, Body: c.body,
		Header: c.header, Lax: c.lax}))
}

// send runs req against the app and checks the exchange against the OpenAPI document.
func (e *env) send(req *http.Request, raw []byte, strict bool) response {
	e.t.Helper()
	return response(openapitest.Send(e.t, e.app, e.spec, req, raw, strict))
}

// login returns a token for a demo user ("ada", "carl", …).
func (e *env) login(user string) string {
	e.t.Helper()
	r := e.do(call{method: "POST", path: "/api/v1/sessions", body: sessionBody(user+"@northwind.example", demo.Password)})
	if r.Status != http.StatusCreated {
		e.t.Fatalf("login %s: status %d: %s", user, r.Status, r.Body)
	}
	return r.Doc["data"].(map[string]any)["attributes"].(map[string]any)["token"].(string)
}

func sessionBody(email, password string) map[string]any {
	return map[string]any{"data": map[string]any{"type": "sessions", "attributes": map[string]any{"email": email, "password": password}}}
}

func (r response) errorCode() string          { return openapitest.Response(r).ErrorCode() }
func (r response) dataList() []map[string]any { return openapitest.Response(r).DataList() }

func attrs(res map[string]any) map[string]any {
	a, _ := res["attributes"].(map[string]any)
	return a
}
