package config

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// Var documents one environment variable for --help.
type Var struct {
	Name, Default, Meaning string
	API, Extranet          bool // which service reads it
}

// Vars are the environment variables of the two services, as --help lists them (the README
// has the same table with more words).
var Vars = []Var{
	{"CASEROOM_ENV", "production (development for demo)", "production refuses unsafe settings; development runs on laptop defaults", true, true},
	{"DATABASE_URL", "sqlite://data/caseroom.db", "sqlite://PATH or postgres://USER:PASS@HOST:5432/DB", true, true},
	{"CASEROOM_API_ADDR", "127.0.0.1:8080", "listen address of the API", true, false},
	{"CASEROOM_EXTRANET_ADDR", "127.0.0.1:8081", "listen address of the portal", false, true},
	{"CASEROOM_API_JWT_SECRET", "required in production", "HS256 key of API tokens, 32+ bytes", true, false},
	{"CASEROOM_EXTRANET_JWT_SECRET", "required in production", "HS256 key of portal tokens, 32+ bytes, not the API's", false, true},
	{"CASEROOM_API_TOKEN_TTL", "8h", "lifetime of an employee session", true, false},
	{"CASEROOM_EXTRANET_TOKEN_TTL", "30m", "lifetime of a contact session", false, true},
	{"CASEROOM_PORTAL_URL", "required in production", "the portal's public address (https in production)", true, true},
	{"CASEROOM_APP_URL", "unset: no link (http://127.0.0.1:8080 in development)", "the firm's app's public address (the API's), linked from employees' digest mails", true, true},
	{"CASEROOM_EXTRANET_COOKIE_SECURE", "auto", "auto (follows the portal URL), true or false", false, true},
	{"CASEROOM_EXTRANET_PRESIGN_DOWNLOADS", "false", "downloads through presigned store links", false, true},
	{"CASEROOM_SHUTDOWN_GRACE", "10s", "how long a stopping service waits for requests in flight", true, true},
	{"CASEROOM_LOG_LEVEL", "info", "debug, info, warn or error", true, true},
	{"CASEROOM_ADMIN_ADDR", "unset: none", "operator's listener (GET /metrics, POST /debug/gc), e.g. 127.0.0.1:9090; never public", true, true},
	{"CASEROOM_SMTP_HOST", "unset: mail stays in the outbox", "SMTP relay (and _PORT 587, _USERNAME, _PASSWORD)", true, true},
	{"CASEROOM_SMTP_TLS", "opportunistic", "opportunistic, mandatory or none", true, true},
	{"CASEROOM_MAIL_FROM", "Caseroom <noreply@caseroom.localhost>", "sender of Caseroom's mail", true, true},
	{"CASEROOM_OUTBOX_INTERVAL", "5s", "how often the outbox worker looks for mail", true, true},
	{"CASEROOM_OUTBOX_BACKOFF", "1m", "wait before a failed mail is tried again, doubling after each failure", true, true},
	{"CASEROOM_OUTBOX_BACKOFF_MAX", "1h", "longest wait between tries (mail is retried for a week)", true, true},
	{"CASEROOM_S3_ENDPOINT", "unset: files on disk", "MinIO or S3 (and _ACCESS_KEY, _SECRET_KEY, _BUCKET, _SECURE, _REGION)", true, true},
	{"CASEROOM_FILES_DIR", "data/files", "file store when no S3 endpoint is set", true, true},
	{"CASEROOM_MAX_UPLOADS", "16", "uploads streaming at once per replica", true, true},
	{"CASEROOM_MAX_UPLOAD_BYTES", "25 MiB (API), 20 MiB (portal)", "largest upload", true, true},
	{"CASEROOM_HASH_CONCURRENCY", "2", "password hashes (64 MiB each) at once per replica", true, true},
	{"CASEROOM_HASH_WAIT", "3s", "how long a login waits for a hashing slot before 503", true, true},
	{"CASEROOM_TRUSTED_PROXIES", "unset", "load balancers whose X-Forwarded-For is believed", true, true},
	{"GOMEMLIMIT", "256MiB", "soft memory limit of the process", true, true},
}

// families are the variables a row of Vars stands for besides its own name: its meaning
// names them by suffix (_PORT, _USERNAME, …) to keep --help short.
var families = map[string][]string{
	"CASEROOM_SMTP_HOST": {"CASEROOM_SMTP_PORT", "CASEROOM_SMTP_USERNAME", "CASEROOM_SMTP_PASSWORD"},
	"CASEROOM_S3_ENDPOINT": {"CASEROOM_S3_ACCESS_KEY", "CASEROOM_S3_SECRET_KEY", "CASEROOM_S3_BUCKET",
		"CASEROOM_S3_SECURE", "CASEROOM_S3_REGION"},
}

// Variables returns the name of every environment variable that service ("api" or
// "extranet") reads, each member of the SMTP and S3 families included: what a deployment
// (deploy/kubernetes, docker-compose.yml) may set for it. Anything else it sets would be
// ignored, which is how a misspelt setting goes unnoticed.
func Variables(service string) []string {
	var names []string
	for _, v := range Vars {
		if (service == "api" && v.API) || (service == "extranet" && v.Extranet) {
			names = append(names, v.Name)
			names = append(names, families[v.Name]...)
		}
	}
	return names
}

// PrintHelp writes usage and the variables service reads ("api" or "extranet").
func PrintHelp(w io.Writer, usage, service string) {
	fmt.Fprintln(w, usage)
	fmt.Fprintln(w, "\nEnvironment (with defaults):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, v := range Vars {
		if (service == "api" && v.API) || (service == "extranet" && v.Extranet) {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, v.Default, v.Meaning)
		}
	}
	tw.Flush()
}

// IsHelp reports whether args ask for help (--help, -h or help first).
func IsHelp(args []string) bool {
	return len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help" || args[0] == "help")
}
