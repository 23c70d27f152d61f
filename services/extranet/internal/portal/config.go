// Package portal is the extranet service's HTTP layer: customer contacts log in and see the
// cases that were shared with them (RIGHTS.md section 13), through a JSON:API under
// /portal/v1 (Bearer tokens) and server-rendered pages (a session cookie and CSRF tokens).
// What a contact may do is decided in package extranet; this package turns requests into
// its calls and its answers into documents and pages.
package portal

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caseroom/caseroom/pkg/config"
	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/services/extranet/internal/extranet"
)

// Config is the extranet's configuration, read from environment variables.
type Config struct {
	Addr          string        // CASEROOM_EXTRANET_ADDR
	DatabaseURL   string        // DATABASE_URL (the same database as the API)
	JWTSecret     []byte        // CASEROOM_EXTRANET_JWT_SECRET (32+ bytes)
	DevSecret     bool          // the secret is the development default
	TokenTTL      time.Duration // CASEROOM_EXTRANET_TOKEN_TTL
	ShutdownGrace time.Duration // CASEROOM_SHUTDOWN_GRACE
	LogLevel      string        // CASEROOM_LOG_LEVEL
	// PortalURL is the portal's public address (CASEROOM_PORTAL_URL); its scheme decides
	// whether cookies are Secure, and its origin is accepted on form posts.
	PortalURL string
	// MaxUploadBytes is the largest file a contact may upload (CASEROOM_MAX_UPLOAD_BYTES,
	// default 20 MiB).
	MaxUploadBytes int64
	// CookieSecure marks the session and CSRF cookies Secure (CASEROOM_EXTRANET_COOKIE_SECURE:
	// "auto" (default) follows the scheme of PortalURL, or "true"/"false").
	CookieSecure bool
	// PresignDownloads makes downloads a redirect to a short-lived link of the object store
	// instead of a response streamed through the portal (CASEROOM_EXTRANET_PRESIGN_DOWNLOADS;
	// only when browsers can reach the store).
	PresignDownloads bool
}

// LoadConfig reads Config from the environment, with laptop defaults.
func LoadConfig() (Config, error) {
	var c Config
	var err error
	c.Addr = config.String("CASEROOM_EXTRANET_ADDR", "127.0.0.1:8081")
	c.DatabaseURL = config.String("DATABASE_URL", db.DefaultURL)
	c.JWTSecret, c.DevSecret = config.Secret("CASEROOM_EXTRANET_JWT_SECRET")
	if c.TokenTTL, err = config.Duration("CASEROOM_EXTRANET_TOKEN_TTL", 30*time.Minute); err != nil {
		return c, err
	}
	if c.ShutdownGrace, err = config.Duration("CASEROOM_SHUTDOWN_GRACE", 10*time.Second); err != nil {
		return c, err
	}
	c.LogLevel = config.String("CASEROOM_LOG_LEVEL", "info")
	c.PortalURL = strings.TrimRight(config.String("CASEROOM_PORTAL_URL", "http://"+c.Addr), "/")
	if _, err := url.Parse(c.PortalURL); err != nil {
		return c, fmt.Errorf("CASEROOM_PORTAL_URL: %w", err)
	}
	max, err := strconv.ParseInt(config.String("CASEROOM_MAX_UPLOAD_BYTES", strconv.Itoa(extranet.DefaultMaxUpload)), 10, 64)
	if err != nil || max <= 0 {
		return c, fmt.Errorf("CASEROOM_MAX_UPLOAD_BYTES: want a positive number of bytes")
	}
	c.MaxUploadBytes = max
	switch v := config.String("CASEROOM_EXTRANET_COOKIE_SECURE", "auto"); v {
	case "auto":
		c.CookieSecure = strings.HasPrefix(c.PortalURL, "https://")
	case "true", "false":
		c.CookieSecure = v == "true"
	default:
		return c, fmt.Errorf("CASEROOM_EXTRANET_COOKIE_SECURE: want auto, true or false, not %q", v)
	}
	c.PresignDownloads = config.String("CASEROOM_EXTRANET_PRESIGN_DOWNLOADS", "false") == "true"
	return c, nil
}
