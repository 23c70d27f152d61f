package kubernetes_test

import (
	"encoding/json"
	"maps"
	"os"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/caseroom/caseroom/pkg/config"
)

// compose is the part of docker-compose.yml these tests read. `docker-compose config -q`
// (.ci/run) checks the file as a whole.
type compose struct {
	Services map[string]struct {
		Environment map[string]string `json:"environment"`
	} `json:"services"`
}

func mustCompose(t *testing.T) compose {
	t.Helper()
	raw, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	js, err := yaml.YAMLToJSON(raw) // resolves the file's anchors and merge keys
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := json.Unmarshal(js, &c); err != nil {
		t.Fatalf("docker-compose.yml: %v (environment must be a map of strings)", err)
	}
	return c
}

// Every variable the compose file sets for a service is one it reads, and the compose
// file's settings work in production mode once changed as its header says a real
// installation does: CASEROOM_ENV removed, secrets of its own, an https portal address.
func TestComposeEnvironment(t *testing.T) {
	c := mustCompose(t)
	for _, service := range []string{"api", "extranet"} {
		t.Run(service, func(t *testing.T) {
			s, ok := c.Services[service]
			if !ok || len(s.Environment) == 0 {
				t.Fatalf("docker-compose.yml has no environment for %s", service)
			}
			checkVariables(t, service, s.Environment)
			if s.Environment["CASEROOM_ENV"] != "development" {
				t.Errorf("CASEROOM_ENV=%q: the compose file is a try-out, in development mode", s.Environment["CASEROOM_ENV"])
			}
			if _, err := loadAs(t, service, s.Environment); err != nil {
				t.Fatalf("development refuses the compose file: %v", err)
			}
			env := maps.Clone(s.Environment)
			delete(env, "CASEROOM_ENV")
			if _, err := loadAs(t, service, env); err == nil {
				t.Fatal("production accepted the try-out's settings: no JWT secret, an http portal")
			}
			env["CASEROOM_PORTAL_URL"] = "https://portal.example.com"
			env[serviceVars[service].Secret] = "test-" + service + "-key-long-enough-for-hs256"
			cfg, err := loadAs(t, service, env)
			if err != nil {
				t.Fatalf("production refuses the compose file's settings: %v", err)
			}
			if cfg.Env != config.Production || !cfg.Database.Postgres || cfg.Files.S3Endpoint == "" || cfg.Mail.Host == "" {
				t.Errorf("want production on the compose file's PostgreSQL, MinIO and Mailpit: %s on %s, files on %q, mail through %q",
					cfg.Env, cfg.Database.Describe, cfg.Files.S3Endpoint, cfg.Mail.Host)
			}
		})
	}
}
