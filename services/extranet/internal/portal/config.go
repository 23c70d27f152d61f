// Package portal is the extranet service's HTTP layer: customer contacts log in and see the
// cases that were shared with them (RIGHTS.md section 13), through a JSON:API under
// /portal/v1 (Bearer tokens) and server-rendered pages (a session cookie and CSRF tokens).
// What a contact may do is decided in package extranet; this package turns requests into
// its calls and its answers into documents and pages.
package portal

import (
	"fmt"
	"strings"
	"time"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/config"
)

// Config is the extranet's configuration, read from environment variables.
type Config struct {
	config.Common
	Addr string // CASEROOM_EXTRANET_ADDR
	// CookieSecure marks the session and CSRF cookies Secure, with the __Host- prefix
	// (CASEROOM_EXTRANET_COOKIE_SECURE: "auto" (default) follows the scheme of PortalURL, or
	// "true"/"false").
	CookieSecure bool
	// PresignDownloads makes downloads a redirect to a short-lived link of the object store
	// instead of a response streamed through the portal (CASEROOM_EXTRANET_PRESIGN_DOWNLOADS;
	// only when browsers can reach the store).
	PresignDownloads bool
}

// LoadConfig reads Config from the environment in env, with laptop defaults; production
// refuses unsafe settings (config.LoadCommon), and no mode accepts Secure cookies on a
// portal served over plain http, where browsers would drop them.
func LoadConfig(env config.Env) (Config, error) {
	var c Config
	var err error
	c.Addr = config.String("CASEROOM_EXTRANET_ADDR", "127.0.0.1:8081")
	if c.Common, err = config.LoadCommon(env, config.ServiceVars{Secret: "CASEROOM_EXTRANET_JWT_SECRET", OtherSecret: "CASEROOM_API_JWT_SECRET",
		TokenTTL: "CASEROOM_EXTRANET_TOKEN_TTL", DefaultTTL: 30 * time.Minute, DefaultPortalURL: "http://" + c.Addr, DefaultMaxUpload: cases.DefaultMaxUpload}); err != nil {
		return c, err
	}
	https := strings.HasPrefix(c.PortalURL, "https://")
	secure := config.String("CASEROOM_EXTRANET_COOKIE_SECURE", "auto")
	switch secure {
	case "auto":
		c.CookieSecure = https
	case "true", "false":
		c.CookieSecure = secure == "true"
	default:
		return c, fmt.Errorf("CASEROOM_EXTRANET_COOKIE_SECURE: want auto, true or false, not %q", secure)
	}
	if env == config.Production && !https && !c.CookieSecure && secure != "false" {
		return c, fmt.Errorf("CASEROOM_PORTAL_URL is %s: production serves the portal over https; set its https address (or, on a closed network only, CASEROOM_EXTRANET_COOKIE_SECURE=false)", c.PortalURL)
	}
	if c.CookieSecure && !https {
		return c, fmt.Errorf("CASEROOM_PORTAL_URL is %s but cookies are Secure: serve the portal over https and set its https address, or set CASEROOM_EXTRANET_COOKIE_SECURE=auto", c.PortalURL)
	}
	c.PresignDownloads = config.String("CASEROOM_EXTRANET_PRESIGN_DOWNLOADS", "false") == "true"
	return c, nil
}
