package portal_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
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

// clock is a settable clock: expiry is tested by moving it, not by sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

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
	clk := &clock{t: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
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

// response is one answer of the portal, decoded when it is JSON.
type response struct {
	Status int
	Header http.Header
	Body   []byte
	Doc    map[string]any
}

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
	var raw []byte
	switch b := c.body.(type) {
	case nil:
	case []byte:
		raw = b
	case string:
		raw = []byte(b)
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatal(err)
		}
	}
	req := httptest.NewRequest(c.method, c.path, bytes.NewReader(raw))
	if raw != nil {
		ct := c.contentType
		if ct == "" {
			ct = mediaType
		}
		req.Header.Set("Content-Type", ct)
	}
	if !c.raw {
		req.Header.Set("Accept", mediaType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	validationReq := req.Clone(context.Background())
	resp, err := e.app.Test(req, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !c.raw {
		e.spec.Check(e.t, validationReq, raw, resp.StatusCode, resp.Header, body, !c.lax)
	}
	out := response{Status: resp.StatusCode, Header: resp.Header, Body: body}
	if len(body) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(body, &out.Doc); err != nil {
			e.t.Fatalf("%s %s: response is not JSON: %v\n%s", c.method, c.path, err, body)
		}
	}
	return out
}

// must fails the test unless the response has status want.
func (r response) must(t *testing.T, want int) response {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d: %s", r.Status, want, r.Body)
	}
	return r
}

// errorCode returns the code of the first error object.
func (r response) errorCode() string {
	errs, _ := r.Doc["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	code, _ := errs[0].(map[string]any)["code"].(string)
	return code
}

// data returns the primary resource of a single-resource document.
func (r response) data() map[string]any {
	d, _ := r.Doc["data"].(map[string]any)
	return d
}

// dataList returns the resources of a collection document.
func (r response) dataList() []map[string]any {
	list, _ := r.Doc["data"].([]any)
	out := make([]map[string]any, len(list))
	for i, v := range list {
		out[i] = v.(map[string]any)
	}
	return out
}

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
