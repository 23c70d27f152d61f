package kubernetes_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/caseroom/caseroom/pkg/config"
)

// placeholder marks the values of secrets.yaml that users must replace.
const placeholder = "REPLACE_ME"

// serviceVars are the variables in which the services differ, as their LoadConfig passes
// them to config.LoadCommon (services/api/internal/server/config.go and
// services/extranet/internal/portal/config.go; internal packages, so repeated here).
var serviceVars = map[string]config.ServiceVars{
	"api": {Secret: "CASEROOM_API_JWT_SECRET", OtherSecret: "CASEROOM_EXTRANET_JWT_SECRET", TokenTTL: "CASEROOM_API_TOKEN_TTL",
		DefaultTTL: 8 * time.Hour, DefaultPortalURL: "http://127.0.0.1:8081", DefaultMaxUpload: 25 << 20},
	"extranet": {Secret: "CASEROOM_EXTRANET_JWT_SECRET", OtherSecret: "CASEROOM_API_JWT_SECRET", TokenTTL: "CASEROOM_EXTRANET_TOKEN_TTL",
		DefaultTTL: 30 * time.Minute, DefaultPortalURL: "http://127.0.0.1:8081", DefaultMaxUpload: 20 << 20},
}

// serviceOf names the service a container runs, from its image (deploy/Dockerfile.*).
func serviceOf(t *testing.T, c corev1.Container) string {
	t.Helper()
	for _, s := range []string{"api", "extranet"} {
		if c.Image == "caseroom-"+s || strings.HasPrefix(c.Image, "caseroom-"+s+":") || strings.Contains(c.Image, "/caseroom-"+s+":") {
			return s
		}
	}
	t.Fatalf("container %s runs %q, which is neither caseroom-api nor caseroom-extranet", c.Name, c.Image)
	return ""
}

// secretData returns a Secret's values, stringData over data as the API server merges them.
func secretData(s *corev1.Secret) map[string]string {
	out := map[string]string{}
	for k, v := range s.Data {
		out[k] = string(v)
	}
	maps.Copy(out, s.StringData)
	return out
}

// environment resolves what the container's process sees: env values and references to the
// manifests' ConfigMaps and Secrets, and envFrom. A reference to an object or key the
// manifests lack, a variable set twice, and a value the manifests cannot know (fieldRef)
// are errors.
func (m *manifests) environment(c corev1.Container) (map[string]string, error) {
	env := map[string]string{}
	set := func(name, value, from string) error {
		if _, dup := env[name]; dup {
			return fmt.Errorf("%s is set twice (again by %s): one source would silently win", name, from)
		}
		env[name] = value
		return nil
	}
	for _, ef := range c.EnvFrom {
		var data map[string]string
		var from string
		switch {
		case ef.ConfigMapRef != nil:
			from = "ConfigMap " + ef.ConfigMapRef.Name
			data = m.configMap(ef.ConfigMapRef.Name)
		case ef.SecretRef != nil:
			from = "Secret " + ef.SecretRef.Name
			data = m.secret(ef.SecretRef.Name)
		}
		if data == nil {
			return nil, fmt.Errorf("envFrom %q: no such object in the manifests", from)
		}
		for k, v := range data {
			if err := set(ef.Prefix+k, v, from); err != nil {
				return nil, err
			}
		}
	}
	for _, e := range c.Env {
		value, from := e.Value, "env"
		if vf := e.ValueFrom; vf != nil {
			var data map[string]string
			var key string
			switch {
			case vf.ConfigMapKeyRef != nil:
				data, key, from = m.configMap(vf.ConfigMapKeyRef.Name), vf.ConfigMapKeyRef.Key, "ConfigMap "+vf.ConfigMapKeyRef.Name
			case vf.SecretKeyRef != nil:
				data, key, from = m.secret(vf.SecretKeyRef.Name), vf.SecretKeyRef.Key, "Secret "+vf.SecretKeyRef.Name
			default:
				return nil, fmt.Errorf("%s: only ConfigMap and Secret references can be checked", e.Name)
			}
			v, ok := data[key]
			if !ok {
				return nil, fmt.Errorf("%s: %s has no key %s", e.Name, from, key)
			}
			value = v
		}
		if err := set(e.Name, value, from); err != nil {
			return nil, err
		}
	}
	return env, nil
}

func (m *manifests) configMap(name string) map[string]string {
	for _, cm := range m.ConfigMaps {
		if cm.Name == name {
			return cm.Data
		}
	}
	return nil
}

func (m *manifests) secret(name string) map[string]string {
	for _, s := range m.Secrets {
		if s.Name == name {
			return secretData(s)
		}
	}
	return nil
}

// checkVariables fails for every variable in env that service does not read
// (config.Variables, the table --help prints): a misspelt or invented name would be
// ignored by the service, and the setting with it.
func checkVariables(t *testing.T, service string, env map[string]string) {
	t.Helper()
	known := config.Variables(service)
	for _, name := range slices.Sorted(maps.Keys(env)) {
		if !slices.Contains(known, name) {
			t.Errorf("%s is set, but caseroom-%s does not read it (pkg/config/help.go lists what it reads)", name, service)
		}
	}
}

// withTestSecrets returns env with its placeholders replaced, as a user must: each JWT
// secret by a random-looking key of its own, anything else by a test value.
func withTestSecrets(env map[string]string) map[string]string {
	out := maps.Clone(env)
	for name, v := range out {
		if !strings.Contains(v, placeholder) {
			continue
		}
		if strings.HasSuffix(name, "_JWT_SECRET") {
			out[name] = "test-" + strings.ToLower(name) + "-" + strings.Repeat("k", config.MinSecretBytes)
		} else {
			out[name] = strings.ReplaceAll(v, placeholder, "test-value")
		}
	}
	return out
}

// loadAs runs the configuration loaders of service on env alone (every other variable
// either service reads is cleared), in the mode that CASEROOM_ENV (or its absence) selects
// with production as the default, as the service's main does.
func loadAs(t *testing.T, service string, env map[string]string) (config.Common, error) {
	t.Helper()
	for _, s := range []string{"api", "extranet"} {
		for _, name := range config.Variables(s) {
			t.Setenv(name, "") // config treats an empty variable as unset
		}
	}
	for name, v := range env {
		t.Setenv(name, v)
	}
	mode, err := config.LoadEnv(config.Production)
	if err != nil {
		return config.Common{}, err
	}
	c, err := config.LoadCommon(mode, serviceVars[service])
	if err != nil {
		return c, err
	}
	if service == "extranet" {
		err = portalHTTPS(c)
	}
	return c, err
}

// portalHTTPS is the portal's own demand beyond LoadCommon (portal.LoadConfig, internal to
// the extranet module): production serves the portal over https unless cookies are
// explicitly insecure.
func portalHTTPS(c config.Common) error {
	if c.Env == config.Production && !strings.HasPrefix(c.PortalURL, "https://") &&
		config.String("CASEROOM_EXTRANET_COOKIE_SECURE", "auto") != "false" {
		return fmt.Errorf("CASEROOM_PORTAL_URL is %s: production serves the portal over https", c.PortalURL)
	}
	return nil
}
