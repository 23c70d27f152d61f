package server

import (
	"time"

	"github.com/caseroom/caseroom/pkg/config"
	"github.com/caseroom/caseroom/pkg/db"
)

// Config is the API service's configuration, read from environment variables.
type Config struct {
	Addr          string        // CASEROOM_API_ADDR
	DatabaseURL   string        // DATABASE_URL
	JWTSecret     []byte        // CASEROOM_API_JWT_SECRET (32+ bytes)
	DevSecret     bool          // the secret is the development default
	TokenTTL      time.Duration // CASEROOM_API_TOKEN_TTL
	ShutdownGrace time.Duration // CASEROOM_SHUTDOWN_GRACE
	LogLevel      string        // CASEROOM_LOG_LEVEL (debug, info, warn, error)
	MaxUpload     int64         // CASEROOM_MAX_UPLOAD_BYTES
}

// LoadConfig reads Config from the environment, with laptop defaults.
func LoadConfig() (Config, error) {
	var c Config
	var err error
	c.Addr = config.String("CASEROOM_API_ADDR", "127.0.0.1:8080")
	c.DatabaseURL = config.String("DATABASE_URL", db.DefaultURL)
	c.JWTSecret, c.DevSecret = config.Secret("CASEROOM_API_JWT_SECRET")
	if c.TokenTTL, err = config.Duration("CASEROOM_API_TOKEN_TTL", 8*time.Hour); err != nil {
		return c, err
	}
	if c.ShutdownGrace, err = config.Duration("CASEROOM_SHUTDOWN_GRACE", 10*time.Second); err != nil {
		return c, err
	}
	c.LogLevel = config.String("CASEROOM_LOG_LEVEL", "info")
	maxUpload, err := config.Int("CASEROOM_MAX_UPLOAD_BYTES", DefaultMaxUpload)
	if err != nil {
		return c, err
	}
	c.MaxUpload = int64(maxUpload)
	return c, nil
}
