// Package server is the internal API's HTTP layer: routes, request and response structs,
// and the conversions between them and the database models. Every route decides access
// through pkg/rights.
package server

import (
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/openapi"
	"github.com/caseroom/caseroom/pkg/access"
	"github.com/caseroom/caseroom/pkg/auth"
	"github.com/caseroom/caseroom/pkg/billing"
	"github.com/caseroom/caseroom/pkg/calendar"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/httpx"
	"github.com/caseroom/caseroom/pkg/jsonapi"
	"github.com/caseroom/caseroom/pkg/org"
	"github.com/caseroom/caseroom/pkg/platform"
	"github.com/caseroom/caseroom/pkg/reports"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/pkg/throttle"
	"github.com/caseroom/caseroom/pkg/webapi"
	"github.com/caseroom/caseroom/pkg/work"
	"github.com/caseroom/caseroom/services/api/internal/spa"
)

// Deps are what the server needs from main.
type Deps struct {
	DB     *bun.DB
	Log    *slog.Logger
	Tokens *auth.Issuer // audience auth.AudienceAPI
	Now    func() time.Time
	// Files stores files & links (MinIO or local disk).
	Files storage.Store
	// PortalURL is the extranet's public address, for invitation mails.
	PortalURL string
	// MaxUpload caps uploaded files in bytes (default DefaultMaxUpload).
	MaxUpload int64
	// TrustedProxies are the load balancers whose X-Forwarded-For is believed.
	TrustedProxies []string
}

// Server holds the dependencies of the handlers.
type Server struct {
	db        *bun.DB
	log       *slog.Logger
	tokens    *auth.Issuer
	now       func() time.Time
	limiter   *throttle.Limiter
	files     storage.Store
	portal    string
	maxUpload int64
	// subjects caches request subjects per replica (access.Cache: a rights change still
	// applies on the very next request, PRF-6).
	subjects *access.Cache
	// registry holds the resource types (kinds.go).
	registry map[string]kind

	// The feature services (pkg/domain): handlers parse, call one method, and render.
	work     *work.Service
	billing  *billing.Service
	cases    *cases.Service
	org      *org.Service
	crm      *crm.Service
	calendar *calendar.Service
	reports  *reports.Service
}

// New builds the API's HTTP app.
func New(d Deps) *fiber.App {
	if d.Now == nil {
		d.Now = time.Now
	}
	s := &Server{db: d.DB, log: d.Log, tokens: d.Tokens, now: d.Now, limiter: &throttle.Limiter{DB: d.DB, Now: d.Now},
		files: d.Files, portal: d.PortalURL, maxUpload: d.MaxUpload, subjects: access.NewCache(0)}
	if s.maxUpload <= 0 {
		s.maxUpload = DefaultMaxUpload
	}
	env := domain.NewEnv(d.DB, d.Now).WithLog(d.Log)
	s.work, s.billing, s.cases = work.New(env), billing.New(env),
		cases.New(env, cases.PortalURL(d.PortalURL), cases.StoredFiles(d.Files))
	s.org, s.crm, s.calendar, s.reports = org.New(env), crm.New(env), calendar.New(env), reports.New(env)
	s.registry = s.kinds()
	// Bodies stream: nothing is read before the caller is authenticated, documents are
	// read whole only up to 1 MiB, and uploads go to the store as they arrive.
	limits := httpx.BodyLimits{Document: httpx.DefaultDocumentLimit, Upload: s.maxUpload + httpx.MultipartSlack, IsUpload: isUpload}
	app := webapi.NewApp(webapi.App{Name: "caseroom-api", Errors: httpx.ErrorHandler(d.Log), Limits: limits,
		TrustedProxies: d.TrustedProxies, Log: d.Log, Ready: platform.Ready(d.DB), Spec: openapi.API, Docs: openapi.Docs})
	app.Use(httpx.Bodies(limits))
	spa.Mount(app) // the firm's app under /app/, without auth: it logs in through /api/v1

	readDocument := httpx.ReadBody(httpx.DefaultDocumentLimit)
	v1 := app.Group("/api/v1", jsonapi.Negotiate(jsonapi.NegotiateConfig{Skip: isFileTransfer, Offers: reportOffers}))
	v1.Post("/sessions", readDocument, s.createSession)
	authed := v1.Group("", s.authenticate, readDocument)
	s.routes(authed)
	v1.Use(func(c *fiber.Ctx) error {
		return jsonapi.NotFound("route_not_found", "No such route.")
	})
	return app
}

// routes registers every authenticated route.
func (s *Server) routes(r fiber.Router) {
	s.mount(r)
	r.Delete("/sessions", s.endSessions)
	r.Get("/cases/:id/extranet-share", getter(s, "case", s.cases.CaseShare, shareResource))
	r.Get("/cases/:id/relationships/members", s.getMembers)
	r.Post("/cases/:id/relationships/members", s.changeMembers(true))
	r.Delete("/cases/:id/relationships/members", s.changeMembers(false))
	r.Get("/cases/:id/viewers", s.caseViewers)
	r.Get("/access/explain", s.explainAccess)
	r.Post("/work-hours/:id/approve", s.decideHour(true))
	r.Post("/work-hours/:id/reject", s.decideHour(false))
	r.Get("/files/:id/content", s.downloadFile)
	r.Post("/cases/:id/files", s.uploadFile)
	r.Post("/invoices/:id/credit", acting("invoice", fiber.StatusCreated, s.billing.CreditInvoice, invoiceResource))
	r.Post("/invoices/:id/reminders", acting("invoice", fiber.StatusOK, s.billing.RemindInvoice, invoiceResource))
	r.Post("/travel-reimbursements/:id/approve", s.decideTravel(true))
	r.Post("/travel-reimbursements/:id/reject", s.decideTravel(false))
	r.Delete("/activities/:id/relationships/participants", s.leaveActivity)
	r.Get("/change-history", s.listHistory)
	r.Get("/settings", s.getSettings)
	r.Patch("/settings", s.updateSettings)
	r.Get("/reports/accounts", rowReport(s, "accounts", accountReportColumns, s.reports.Accounts, accountReportRow))
	r.Get("/reports/cases", rowReport(s, "cases", caseReportColumns, s.reports.Cases, caseReportRow))
	r.Get("/reports/work-hours", s.hourReport)
	r.Get("/reports/invoices", rowReport(s, "invoices", invoiceReportColumns, s.reports.Invoices, invoiceReportRow))
	// Last, so that every concrete route above wins: the generic relationship routes behind
	// the links every resource carries.
	r.Get("/:type/:id/relationships/:rel", s.relationship)
	r.Get("/:type/:id/:rel", s.related)
}

// isUpload is true for the multipart upload, whose body streams to the file store.
func isUpload(c *fiber.Ctx) bool {
	path := c.Path()
	return c.Method() == fiber.MethodPost && strings.HasPrefix(path, "/api/v1/cases/") && strings.HasSuffix(path, "/files")
}

// isFileTransfer is true for the two routes that carry file bytes rather than JSON:API
// documents: the multipart upload and the download.
func isFileTransfer(c *fiber.Ctx) bool {
	path := c.Path()
	return isUpload(c) || (c.Method() == fiber.MethodGet && strings.HasPrefix(path, "/api/v1/files/") && strings.HasSuffix(path, "/content"))
}
