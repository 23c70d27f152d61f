// Package portal is the extranet service: customer contacts log in and see the cases that
// were shared with them (RIGHTS.md section 13).
package portal

import (
	"time"

	"github.com/caseroom/caseroom/pkg/config"
	"github.com/caseroom/caseroom/pkg/db"
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
	return c, nil
}
