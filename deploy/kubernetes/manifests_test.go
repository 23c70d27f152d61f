package kubernetes_test

import (
	"net"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/caseroom/caseroom/pkg/config"
)

// minMemoryLimit leaves room above the services' soft limit (256 MiB) for the argon2id
// hashes in flight (64 MiB each, two at once) and streaming uploads.
var minMemoryLimit = resource.MustParse("512Mi")

// Every manifest decodes strictly and holds what the README promises: both services with
// their Service and PodDisruptionBudget, the Secrets, the ConfigMap and the migration Job.
func TestManifestsDecode(t *testing.T) {
	m := mustLoad(t, ".")
	for _, name := range []string{"caseroom-api", "caseroom-extranet"} {
		byName(t, m.Deployments, name)
		byName(t, m.Services, name)
		byName(t, m.PDBs, name)
		byName(t, m.Secrets, name)
	}
	byName(t, m.Secrets, "caseroom-shared")
	byName(t, m.ConfigMaps, "caseroom-config")
	byName(t, m.Jobs, "caseroom-migrate")
}

func TestDeployments(t *testing.T) {
	m := mustLoad(t, ".")
	for _, d := range m.Deployments {
		t.Run(d.Name, func(t *testing.T) {
			pod := d.Spec.Template
			if d.Spec.Replicas == nil || *d.Spec.Replicas != 2 {
				t.Errorf("replicas %v, want 2", d.Spec.Replicas)
			}
			mustSelect(t, d.Spec.Selector, pod.Labels, "the Deployment's selector")
			if len(pod.Spec.Containers) != 1 {
				t.Fatalf("%d containers, want 1", len(pod.Spec.Containers))
			}
			c := pod.Spec.Containers[0]
			if want := "caseroom-" + serviceOf(t, c); d.Name != want {
				t.Errorf("Deployment %s runs the image of %s", d.Name, want)
			}
			port := listenPort(t, m, c)
			checkProbes(t, c, port)
			checkResources(t, c.Resources)
			checkService(t, byName(t, m.Services, d.Name), pod, port)
			checkPDB(t, m, d)
		})
	}
}

// listenPort returns the container port, which must be the one the service listens on
// (its CASEROOM_*_ADDR).
func listenPort(t *testing.T, m *manifests, c corev1.Container) corev1.ContainerPort {
	t.Helper()
	if len(c.Ports) != 1 || c.Ports[0].Name == "" {
		t.Fatalf("ports %+v: want one, named", c.Ports)
	}
	env, err := m.environment(c)
	if err != nil {
		t.Fatal(err)
	}
	name := "CASEROOM_" + strings.ToUpper(serviceOf(t, c)) + "_ADDR"
	_, p, err := net.SplitHostPort(env[name])
	if err != nil {
		t.Fatalf("%s=%q: %v (the default listens on 127.0.0.1 only, out of the probes' reach)", name, env[name], err)
	}
	if p != strconv.Itoa(int(c.Ports[0].ContainerPort)) {
		t.Fatalf("%s listens on %s, the container port is %d", name, p, c.Ports[0].ContainerPort)
	}
	return c.Ports[0]
}

// targets reports whether a probe's or Service's port names the container port.
func targets(p intstr.IntOrString, port corev1.ContainerPort) bool {
	if p.Type == intstr.String {
		return p.StrVal == port.Name
	}
	return p.IntVal == port.ContainerPort
}

// checkProbes: readiness on /readyz (checks the database), liveness and start-up on
// /healthz (the process serves), all on the container port.
func checkProbes(t *testing.T, c corev1.Container, port corev1.ContainerPort) {
	t.Helper()
	for _, p := range []struct {
		kind, path string
		probe      *corev1.Probe
		required   bool
	}{
		{"readiness", "/readyz", c.ReadinessProbe, true},
		{"liveness", "/healthz", c.LivenessProbe, true},
		{"startup", "/healthz", c.StartupProbe, false},
	} {
		if p.probe == nil {
			if p.required {
				t.Errorf("no %s probe", p.kind)
			}
			continue
		}
		g := p.probe.HTTPGet
		if g == nil || g.Path != p.path || !targets(g.Port, port) {
			t.Errorf("%s probe %+v, want GET %s on port %s (%d)", p.kind, g, p.path, port.Name, port.ContainerPort)
		}
	}
	if r := c.ReadinessProbe; r != nil && r.TimeoutSeconds > 0 && r.TimeoutSeconds < 3 {
		t.Errorf("readiness timeout %ds: /readyz itself waits up to 2 s for the database", r.TimeoutSeconds)
	}
}

func checkResources(t *testing.T, r corev1.ResourceRequirements) {
	t.Helper()
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, okReq := r.Requests[name]
		limit, okLimit := r.Limits[name]
		if !okReq || !okLimit {
			t.Errorf("%s: request %v, limit %v; want both", name, okReq, okLimit)
		} else if req.Cmp(limit) > 0 {
			t.Errorf("%s request %s is above its limit %s", name, req.String(), limit.String())
		}
	}
	if limit := r.Limits[corev1.ResourceMemory]; limit.Cmp(minMemoryLimit) < 0 {
		t.Errorf("memory limit %s, want at least %s", limit.String(), minMemoryLimit.String())
	}
}

func checkService(t *testing.T, s *corev1.Service, pod corev1.PodTemplateSpec, port corev1.ContainerPort) {
	t.Helper()
	if len(s.Spec.Selector) == 0 || !labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(pod.Labels)) {
		t.Errorf("Service %s selects %v, the pods are labelled %v", s.Name, s.Spec.Selector, pod.Labels)
	}
	if len(s.Spec.Ports) == 0 {
		t.Errorf("Service %s has no port", s.Name)
	}
	for _, p := range s.Spec.Ports {
		if !targets(p.TargetPort, port) {
			t.Errorf("Service %s sends port %d to %s, the container port is %s (%d)", s.Name, p.Port, p.TargetPort.String(), port.Name, port.ContainerPort)
		}
	}
}

// checkPDB: the budget covers the Deployment's pods and lets a drain evict one of them.
func checkPDB(t *testing.T, m *manifests, d *appsv1.Deployment) {
	t.Helper()
	pdb := byName(t, m.PDBs, d.Name)
	mustSelect(t, pdb.Spec.Selector, d.Spec.Template.Labels, "PodDisruptionBudget "+pdb.Name)
	if pdb.Spec.MinAvailable == nil || pdb.Spec.MinAvailable.Type != intstr.Int || pdb.Spec.MinAvailable.IntVal < 1 ||
		pdb.Spec.MinAvailable.IntVal >= *d.Spec.Replicas {
		t.Errorf("minAvailable %v of %d replicas: want at least 1, and fewer than all so that nodes can be drained",
			pdb.Spec.MinAvailable, *d.Spec.Replicas)
	}
}

func mustSelect(t *testing.T, sel *metav1.LabelSelector, podLabels map[string]string, what string) {
	t.Helper()
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil || s.Empty() || !s.Matches(labels.Set(podLabels)) {
		t.Errorf("%s %v does not select the pods labelled %v (%v)", what, sel, podLabels, err)
	}
}

// A stopping pod first leaves the Service's endpoints while it still serves (the preStop
// pause), then stops accepting and finishes its requests in flight for up to
// CASEROOM_SHUTDOWN_GRACE; only after both may the kubelet kill it.
func TestShutdownOrder(t *testing.T) {
	m := mustLoad(t, ".")
	for _, d := range m.Deployments {
		t.Run(d.Name, func(t *testing.T) {
			pod := d.Spec.Template.Spec
			c := pod.Containers[0]
			if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil || c.Lifecycle.PreStop.Sleep.Seconds < 1 {
				t.Fatalf("no preStop sleep: load balancers would still send requests to a pod that stopped accepting (the image has no shell, so it must be the sleep action)")
			}
			env, err := m.environment(c)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := loadAs(t, serviceOf(t, c), withTestSecrets(env))
			if err != nil {
				t.Fatal(err)
			}
			need := time.Duration(c.Lifecycle.PreStop.Sleep.Seconds)*time.Second + cfg.ShutdownGrace
			grace := 30 * time.Second // Kubernetes' default
			if p := pod.TerminationGracePeriodSeconds; p != nil {
				grace = time.Duration(*p) * time.Second
			}
			if grace <= need {
				t.Fatalf("terminationGracePeriodSeconds is %s: want more than the preStop pause plus CASEROOM_SHUTDOWN_GRACE (%s)", grace, need)
			}
		})
	}
}

// Every variable the manifests set is one the service reads, and production mode (the
// default: CASEROOM_ENV unset) starts on them once the placeholders are replaced, and
// refuses them while they are not.
func TestEnvironment(t *testing.T) {
	m := mustLoad(t, ".")
	for _, d := range m.Deployments {
		t.Run(d.Name, func(t *testing.T) {
			c := d.Spec.Template.Spec.Containers[0]
			service := serviceOf(t, c)
			env, err := m.environment(c)
			if err != nil {
				t.Fatal(err)
			}
			checkVariables(t, service, env)
			other := map[string]string{"api": "CASEROOM_EXTRANET_JWT_SECRET", "extranet": "CASEROOM_API_JWT_SECRET"}[service]
			if _, ok := env[other]; ok {
				t.Errorf("the pod sees %s, the other service's key", other)
			}
			if _, err := loadAs(t, service, env); err == nil {
				t.Errorf("production accepted the placeholders of secrets.yaml")
			}
			cfg, err := loadAs(t, service, withTestSecrets(env))
			if err != nil {
				t.Fatalf("production refuses the manifests' settings: %v", err)
			}
			if cfg.Env != config.Production || !cfg.Database.Postgres || cfg.Files.S3Endpoint == "" || cfg.Mail.Host == "" ||
				!strings.HasPrefix(cfg.PortalURL, "https://") {
				t.Errorf("want production on PostgreSQL, S3, an SMTP relay and an https portal: %s on %s, files on %q, mail through %q, portal %s",
					cfg.Env, cfg.Database.Describe, cfg.Files.S3Endpoint, cfg.Mail.Host, cfg.PortalURL)
			}
			checkProxies(t, cfg.TrustedProxies)
		})
	}
	t.Run("caseroom-migrate", func(t *testing.T) {
		job := byName(t, m.Jobs, "caseroom-migrate")
		pod := job.Spec.Template.Spec
		if len(pod.Containers) != 1 {
			t.Fatalf("%d containers: want one running caseroom-api migrate", len(pod.Containers))
		}
		if pod.RestartPolicy != corev1.RestartPolicyNever && pod.RestartPolicy != corev1.RestartPolicyOnFailure {
			t.Errorf("restartPolicy %q", pod.RestartPolicy)
		}
		if c := pod.Containers[0]; serviceOf(t, c) != "api" || strings.Join(c.Command, " ") != "" || strings.Join(c.Args, " ") != "migrate" {
			t.Errorf("the Job runs %s with command %q and args %q: want caseroom-api migrate", c.Image, c.Command, c.Args)
		}
		checkResources(t, pod.Containers[0].Resources)
		env, err := m.environment(pod.Containers[0])
		if err != nil {
			t.Fatal(err)
		}
		checkVariables(t, "api", env)
		// Commands other than serving are checked as in development whatever the mode
		// (caseroom-api's main): they need the database alone.
		checked := withTestSecrets(env)
		checked["CASEROOM_ENV"] = "development"
		cfg, err := loadAs(t, "api", checked)
		if err != nil || !cfg.Database.Postgres {
			t.Fatalf("the migration's settings: %v (PostgreSQL: %v)", err, cfg.Database.Postgres)
		}
		api, _ := m.environment(byName(t, m.Deployments, "caseroom-api").Spec.Template.Spec.Containers[0])
		if env["DATABASE_URL"] != api["DATABASE_URL"] {
			t.Errorf("the Job migrates another database than caseroom-api uses")
		}
	})
}

// checkProxies: every trusted proxy is an address or a CIDR range; anything else would not
// be believed, and login limits would count the load balancer as the client.
func checkProxies(t *testing.T, proxies []string) {
	t.Helper()
	if len(proxies) == 0 {
		t.Error("CASEROOM_TRUSTED_PROXIES is unset: behind a load balancer every client would share its address")
	}
	for _, p := range proxies {
		if _, err := netip.ParsePrefix(p); err != nil {
			if _, err := netip.ParseAddr(p); err != nil {
				t.Errorf("trusted proxy %q is neither an address nor a CIDR range", p)
			}
		}
	}
}

// The placeholders are marked and too short for a key, so that an unedited secrets.yaml
// stops the services instead of signing with a published key; the two keys are separate
// Secrets, one per service.
func TestSecretPlaceholders(t *testing.T) {
	m := mustLoad(t, ".")
	for service, key := range map[string]string{"caseroom-api": "CASEROOM_API_JWT_SECRET", "caseroom-extranet": "CASEROOM_EXTRANET_JWT_SECRET"} {
		data := secretData(byName(t, m.Secrets, service))
		if v, ok := data[key]; !ok || len(data) != 1 || !strings.Contains(v, placeholder) || len(v) >= config.MinSecretBytes {
			t.Errorf("Secret %s: %v; want only %s, a %s placeholder shorter than %d bytes", service, data, key, placeholder, config.MinSecretBytes)
		}
	}
	if v := secretData(byName(t, m.Secrets, "caseroom-shared"))["DATABASE_URL"]; !strings.Contains(v, placeholder) {
		t.Errorf("DATABASE_URL %q: want its password marked %s", v, placeholder)
	}
	for _, cm := range m.ConfigMaps {
		for k := range cm.Data {
			if strings.Contains(k, "SECRET") || strings.Contains(k, "PASSWORD") || k == "DATABASE_URL" {
				t.Errorf("ConfigMap %s holds %s: it belongs in a Secret", cm.Name, k)
			}
		}
	}
}
