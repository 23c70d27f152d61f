package portal_test

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
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
	"github.com/caseroom/caseroom/pkg/openapitest"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/pkg/storage/storagetest"
	"github.com/caseroom/caseroom/services/extranet/internal/portal"
)

// TestMain stops the shared MinIO server when the tests end.
func TestMain(m *testing.M) { storagetest.Main(m) }

const mediaType = "application/vnd.api+json"

// secret is the extranet's JWT secret in the tests; the internal API's differs.
var secret = []byte(strings.Repeat("x", 32))

// cheap are argon2id settings that keep fixture hashing fast; CheckPassword reads the cost
// from the hash, so logins against these hashes are fast too.
var cheap = auth.Argon2Params{Memory: 1024, Time: 1, Threads: 1, KeyLen: 32, SaltLen: 16}

// clock is a settable clock (domaintest.Clock).
type clock = domaintest.Clock

// env is one portal on its own migrated database with the demo organisation.
type env struct {
	t      *testing.T
	db     *bun.DB
	app    *fiber.App
	tokens *auth.Issuer
	clock  *clock
	spec   *openapitest.Validator
	files  storage.Store
}

// options adjust an env.
type options struct {
	files        storage.Store
	maxUpload    int64
	presign      bool
	cookieSecure bool
}

func newEnv(t *testing.T, opts ...options) *env {
	t.Helper()
	var o options
	if len(opts) > 0 {
		o = opts[0]
	}
	database := dbtest.Open(t)
	clk := domaintest.NewClock(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC))
	if _, err := demo.Load(context.Background(), database, clk.Now); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	tokens, err := auth.NewIssuer(secret, auth.AudienceExtranet, 30*time.Minute, clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	app := portal.New(portal.Deps{DB: database, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Tokens: tokens,
		Now: clk.Now, Files: o.files, Secret: secret, PortalURL: "http://portal.test", MaxUploadBytes: o.maxUpload,
		PresignDownloads: o.presign, CookieSecure: o.cookieSecure,
		Hash: func(pw string) (string, error) { return auth.HashPasswordWith(pw, cheap) }})
	return &env{t: t, db: database, app: app, tokens: tokens, clock: clk, spec: openapitest.New(t, openapi.Extranet), files: o.files}
}

// response is one answer of the portal, decoded when it is JSON (the harness both services
// share).
type response openapitest.Response

// call is one request. body is marshalled to JSON unless it is []byte or string.
type call struct {
	method, path, token string
	body                any
	contentType         string            // default: the JSON:API media type when there is a body
	header              map[string]string // extra headers
	lax                 bool              // the request is deliberately off-spec; the response is still checked
	raw                 bool              // not a JSON:API route (pages): no OpenAPI check at all
}

func (e *env) do(c call) response {
	e.t.Helper()
	return response(e.spec.Do(e.t, e.app, openapitest.Call{Method: c.method, Path: c.path, Token: c.token, Body: c.body,
		ContentType: c.contentType, Header: c.header, Lax: c.lax, Raw: c.raw}))
}

// must fails the test unless the response has status want.
func (r response) must(t *testing.T, want int) response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d: %s", r.Status, want, r.Body)
	}
	return r
}

func (r response) errorCode() string          { return openapitest.Response(r).ErrorCode() }
func (r response) data() map[string]any       { return openapitest.Response(r).Data() }
func (r response) dataList() []map[string]any { return openapitest.Response(r).DataList() }

// ids returns the ids of a collection document.
func (r response) ids() []string {
	var out []string
	for _, res := range r.dataList() {
		out = append(out, res["id"].(string))
	}
	return out
}

func attrs(res map[string]any) map[string]any {
	a, _ := res["attributes"].(map[string]any)
	return a
}

func sessionBody(email, password string) map[string]any {
	return map[string]any{"data": map[string]any{"type": "sessions", "attributes": map[string]any{"email": email, "password": password}}}
}

func passwordBody(current, next string) map[string]any {
	return map[string]any{"data": map[string]any{"type": "passwords", "attributes": map[string]any{
		"currentPassword": current, "newPassword": next}}}
}

func decisionBody(comment string) map[string]any {
	return map[string]any{"data": map[string]any{"type": "decisions", "attributes": map[string]any{"comment": comment}}}
}

// login returns a portal token for the contact, failing the test otherwise.
func (e *env) login(email, password string) string {
	e.t.Helper()
	r := e.do(call{method: "POST", path: "/portal/v1/sessions", body: sessionBody(email, password)}).must(e.t, http.StatusCreated)
	return attrs(r.data())["token"].(string)
}
