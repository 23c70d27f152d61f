package config

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// Env is the mode a service runs in (CASEROOM_ENV).
type Env string

const (
	// Production refuses settings that are unsafe on a network: missing or weak secrets,
	// a portal address that is not https. It is the default of every command but demo.
	Production Env = "production"
	// Development runs on the laptop defaults (make run): secrets may be unset and are then
	// random per process, and the portal may be plain http.
	Development Env = "development"
)

// MinSecretBytes is the shortest JWT secret production accepts: HS256 keys shorter than the
// hash (32 bytes) weaken it (RFC 7518, section 3.2).
const MinSecretBytes = 32

// LoadEnv reads CASEROOM_ENV, or def when it is unset.
func LoadEnv(def Env) (Env, error) {
	switch v := Env(String("CASEROOM_ENV", string(def))); v {
	case Production, Development:
		return v, nil
	default:
		return "", fmt.Errorf("CASEROOM_ENV: want production or development, not %q", v)
	}
}

// JWTSecret returns the secret in the variable name. In production it must be set, be at
// least MinSecretBytes long, and differ from the other service's secret (the variable
// other, when this environment sets it): one secret for both would let a token of one
// service be re-signed for the other's audience by anyone who holds it. In development an
// unset secret is random for this process, so that no secret published in the source ever
// signs a token; sessions then end when the process does.
func JWTSecret(env Env, name, other string) (secret []byte, generated bool, err error) {
	v := os.Getenv(name)
	if env == Production {
		const how = "set it to a random value of at least %d bytes (for example `openssl rand -base64 48`), or CASEROOM_ENV=development on a laptop"
		switch {
		case v == "":
			return nil, false, fmt.Errorf("%s is not set: "+how, name, MinSecretBytes)
		case len(v) < MinSecretBytes:
			return nil, false, fmt.Errorf("%s is %d bytes long: "+how, name, len(v), MinSecretBytes)
		case v == os.Getenv(other):
			return nil, false, fmt.Errorf("%s is the same as %s: give each service a secret of its own", name, other)
		}
	}
	if v == "" {
		b := make([]byte, 48)
		_, _ = rand.Read(b) // never fails (Go 1.24+)
		return b, true, nil
	}
	return []byte(v), false, nil
}

// PortalURL returns the extranet's public address (CASEROOM_PORTAL_URL), which invitation
// mails link to and whose origin the portal accepts form posts from. Production needs it
// set, as an absolute http(s) URL: a default would send customers links to localhost.
func PortalURL(env Env, def string) (string, error) {
	raw, set := os.LookupEnv("CASEROOM_PORTAL_URL")
	if !set || raw == "" {
		if env == Production {
			return "", fmt.Errorf("CASEROOM_PORTAL_URL is not set: set it to the portal's public address, such as https://portal.example.com")
		}
		raw = def
	}
	return publicURL("CASEROOM_PORTAL_URL", raw, "https://portal.example.com")
}

// AppURL returns the firm's app's public address (CASEROOM_APP_URL): the API's, which
// serves the app at /app. Employees' digest mails link to it. It is optional: unset in
// production, the mails carry no link; in development it is def.
func AppURL(env Env, def string) (string, error) {
	raw := String("CASEROOM_APP_URL", "")
	if raw == "" {
		if env == Production {
			return "", nil
		}
		raw = def
	}
	return publicURL("CASEROOM_APP_URL", raw, "https://caseroom.example.com")
}

// publicURL checks that raw, the value of variable name, is an absolute http(s) address, and
// drops its trailing slashes.
func publicURL(name, raw, example string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%s: want an absolute http(s) address such as %s, not %q", name, example, raw)
	}
	return strings.TrimRight(raw, "/"), nil
}
