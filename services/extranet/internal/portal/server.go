package portal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"html/template"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/openapi"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/platform"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/pkg/webapi"
	"github.com/caseroom/caseroom/pkg/work"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// AudienceInvite is the audience of an invitation session: the short-lived token an
// invitation link starts, good only for setting the first password. Neither the portal's
// API nor the internal API accepts it.
const AudienceInvite = "caseroom-extranet-invite"

// inviteTTL is how long an invitation session may take to set the password.
const inviteTTL = 15 * time.Minute

// AudienceFreshLogin is the audience of the proof that a browser logged in with the
// temporary password a moment ago: within freshLoginTTL, it chooses its own password without
// typing the temporary one again. Only /password reads it.
const AudienceFreshLogin = "caseroom-extranet-fresh-login"

// freshLoginTTL is how long after a login with the temporary password it is not asked again.
const freshLoginTTL = 10 * time.Minute

// Deps are what the portal needs from main.
type Deps struct {
	DB     *bun.DB
	Log    *slog.Logger
	Tokens *auth.Issuer // audience auth.AudienceExtranet
	Now    func() time.Time
	// Files stores files & links (MinIO or local disk); nil makes uploads and downloads 503.
	Files storage.Store
	// Secret is the extranet's JWT secret; keys for CSRF tokens and invitation sessions are
	// derived from it. Empty means a random key per process (tests, single replica).
	Secret []byte
	// PortalURL is the public address; its origin is accepted on form posts.
	PortalURL string
	// MaxUploadBytes bounds uploads (default 20 MiB).
	MaxUploadBytes int64
	// CookieSecure marks cookies Secure (true whenever the portal is served over HTTPS).
	CookieSecure bool
	// PresignDownloads redirects downloads to short-lived links of the store.
	PresignDownloads bool
	// Hash hashes new passwords; nil means argon2id with the default cost.
	Hash func(string) (string, error)
	// TrustedProxies are the load balancers whose X-Forwarded-For is believed.
	TrustedProxies []string
}

// handler holds the dependencies of the HTTP handlers.
type handler struct {
	svc     *extranet.Service
	work    *work.Service
	cases   *cases.Service
	billing *billing.Service
	log     *slog.Logger
	tokens  *auth.Issuer
	invites *auth.Issuer
	fresh   *auth.Issuer
	csrfKey []byte
	now     func() time.Time
	deps    Deps
	pages   map[string]*template.Template
}

// New builds the portal's HTTP app.
func New(d Deps) *fiber.App {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.MaxUploadBytes <= 0 {
		d.MaxUploadBytes = cases.DefaultMaxUpload
	}
	secret := d.Secret
	if len(secret) == 0 {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret) // never fails (Go 1.24+)
	}
	invites, err := auth.NewIssuer(derive(secret, "invite-session"), AudienceInvite, inviteTTL, d.Now)
	if err != nil {
		panic(err) // derive returns 32 bytes: unreachable
	}
	fresh, err := auth.NewIssuer(derive(secret, "fresh-login"), AudienceFreshLogin, freshLoginTTL, d.Now)
	if err != nil {
		panic(err) // derive returns 32 bytes: unreachable
	}
	env := domain.NewEnv(d.DB, d.Now).WithLog(d.Log)
	h := &handler{
		work:    work.New(env),
		cases:   cases.New(env, cases.PortalURL(d.PortalURL), cases.StoredFiles(d.Files)),
		billing: billing.New(env),
		svc:     extranet.New(extranet.Options{DB: d.DB, Now: d.Now, Hash: d.Hash, PortalURL: d.PortalURL}),
		log:     d.Log,
		tokens:  d.Tokens,
		invites: invites,
		fresh:   fresh,
		csrfKey: derive(secret, "csrf"),
		now:     d.Now,
		deps:    d,
		pages:   parsePages(),
	}
	// Bodies stream: nothing is read before the contact is authenticated (but to log in or
	// spend an invitation), forms and documents are read whole only up to 1 MiB, and
	// uploads go to the store as they arrive.
	limits := httpx.BodyLimits{Document: httpx.DefaultDocumentLimit, Upload: d.MaxUploadBytes + httpx.MultipartSlack, IsUpload: isUploadRoute}
	app := webapi.NewApp(webapi.App{Name: "caseroom-extranet", Errors: h.errorHandler(), Limits: limits,
		TrustedProxies: d.TrustedProxies, Log: d.Log, Ready: platform.Ready(d.DB), Spec: openapi.Extranet, Docs: openapi.Docs})
	app.Use(contentSecurityPolicy, httpx.Bodies(limits))
	h.apiRoutes(app)
	h.webRoutes(app)
	return app
}

// apiRoutes mounts the JSON:API under /portal/v1. Every route but login authenticates the
// contact afresh (EXT-9); every route but the password change needs a permanent password.
func (h *handler) apiRoutes(app *fiber.App) {
	api := app.Group("/portal/v1", jsonapi.Negotiate(jsonapi.NegotiateConfig{Skip: isRawBodyRoute}))
	api.Post("/sessions", readForm, h.createSession)
	authed := api.Group("", h.authenticate, readForm)
	authed.Post("/password", h.changePassword)
	authed.Delete("/sessions", h.endSessions)
	r := authed.Group("", h.requirePermanentPassword)
	r.Get("/cases", h.listCases)
	r.Get("/cases/:id", h.getCase)
	r.Patch("/cases/:id", h.updateCase)
	r.Get("/cases/:id/work-hours", h.listHours)
	r.Get("/cases/:id/phases", h.listPhases)
	r.Get("/cases/:id/comments", h.listComments)
	r.Post("/cases/:id/comments", h.createComment)
	r.Get("/cases/:id/files", h.listFiles)
	r.Post("/cases/:id/files", h.uploadFile)
	r.Get("/cases/:id/invoices", h.listInvoices)
	r.Get("/work-hours/:id", h.getHour)
	r.Post("/work-hours/:id/approve", h.decideHour(true))
	r.Post("/work-hours/:id/reject", h.decideHour(false))
	r.Get("/phases/:id", h.getPhase)
	r.Post("/phases/:id/approve", h.decidePhase(true))
	r.Post("/phases/:id/reject", h.decidePhase(false))
	r.Get("/comments/:id", h.getComment)
	r.Get("/files/:id", h.getFile)
	r.Get("/files/:id/download", h.downloadFile)
	api.Use(func(c *fiber.Ctx) error {
		return jsonapi.NotFound("route_not_found", "No such route.")
	})
}

// derive returns a key for one purpose, so that the JWT secret itself signs only JWTs.
func derive(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("caseroom-extranet/" + purpose))
	return m.Sum(nil)
}
