package config

import (
	"fmt"
	"time"

	"github.com/caseroom/caseroom/pkg/db"
)

// Common is the configuration both services read alike.
type Common struct {
	Env Env // CASEROOM_ENV
	// DatabaseURL is DATABASE_URL, checked; Database describes it for the start-up log.
	DatabaseURL string
	Database    db.Location
	// JWTSecret signs this service's tokens; GeneratedSecret says it is random for this
	// process (development only).
	JWTSecret       []byte
	GeneratedSecret bool
	TokenTTL        time.Duration // the service's token lifetime variable
	ShutdownGrace   time.Duration // CASEROOM_SHUTDOWN_GRACE
	LogLevel        string        // CASEROOM_LOG_LEVEL (debug, info, warn, error)
	PortalURL       string        // CASEROOM_PORTAL_URL
	AppURL          string        // CASEROOM_APP_URL; "" when unset in production
	// AdminAddr is where the operator's listener serves runtime figures
	// (CASEROOM_ADMIN_ADDR, httpx.ServeAdmin); "" (the default) serves none.
	AdminAddr string
	Infrastructure
}

// DefaultAppURL is the firm's app in development: the API on its default address.
const DefaultAppURL = "http://127.0.0.1:8080"

// ServiceVars names the variables in which the two services differ.
type ServiceVars struct {
	Secret, OtherSecret string // this service's JWT secret variable, and the other's
	TokenTTL            string
	DefaultTTL          time.Duration
	DefaultPortalURL    string
	DefaultMaxUpload    int64
}

// LoadCommon reads Common in env; in production it refuses what JWTSecret and PortalURL
// refuse, with an error that says what to set.
func LoadCommon(env Env, v ServiceVars) (Common, error) {
	c := Common{Env: env, DatabaseURL: String("DATABASE_URL", db.DefaultURL)}
	var err error
	if c.Database, err = db.ParseURL(c.DatabaseURL); err != nil {
		return c, err
	}
	if c.JWTSecret, c.GeneratedSecret, err = JWTSecret(env, v.Secret, v.OtherSecret); err != nil {
		return c, err
	}
	if c.TokenTTL, err = Duration(v.TokenTTL, v.DefaultTTL); err != nil {
		return c, err
	}
	if c.TokenTTL <= 0 {
		return c, fmt.Errorf("%s: want a positive duration", v.TokenTTL)
	}
	if c.ShutdownGrace, err = Duration("CASEROOM_SHUTDOWN_GRACE", 10*time.Second); err != nil {
		return c, err
	}
	c.LogLevel = String("CASEROOM_LOG_LEVEL", "info")
	c.AdminAddr = String("CASEROOM_ADMIN_ADDR", "")
	if c.PortalURL, err = PortalURL(env, v.DefaultPortalURL); err != nil {
		return c, err
	}
	if c.AppURL, err = AppURL(env, DefaultAppURL); err != nil {
		return c, err
	}
	c.Infrastructure, err = LoadInfrastructure(v.DefaultMaxUpload)
	return c, err
}
