package server

import (
	"time"

	"github.com/caseroom/caseroom/pkg/config"
)

// Config is the API service's configuration, read from environment variables.
type Config struct {
	config.Common
	Addr string // CASEROOM_API_ADDR
}

// LoadConfig reads Config from the environment in env, with laptop defaults; production
// refuses unsafe settings (config.LoadCommon).
func LoadConfig(env config.Env) (Config, error) {
	var c Config
	var err error
	c.Addr = config.String("CASEROOM_API_ADDR", "127.0.0.1:8080")
	if c.Common, err = config.LoadCommon(env, config.ServiceVars{Secret: "CASEROOM_API_JWT_SECRET", OtherSecret: "CASEROOM_EXTRANET_JWT_SECRET",
		TokenTTL: "CASEROOM_API_TOKEN_TTL", DefaultTTL: 8 * time.Hour, DefaultPortalURL: "http://127.0.0.1:8081", DefaultMaxUpload: DefaultMaxUpload}); err != nil {
		return c, err
	}
	return c, nil
}
