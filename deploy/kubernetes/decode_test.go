package kubernetes_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

// manifests are the objects of every *.yaml file in this folder, decoded strictly.
type manifests struct {
	Deployments []*appsv1.Deployment
	Services    []*corev1.Service
	Secrets     []*corev1.Secret
	ConfigMaps  []*corev1.ConfigMap
	PDBs        []*policyv1.PodDisruptionBudget
	Jobs        []*batchv1.Job
}

// kinds maps the kinds the manifests may hold to their apiVersion and a new typed object.
// A kind or version outside it fails the test: kubectl would take an unknown kind from a
// CRD, but these manifests use none.
var kinds = map[string]struct {
	apiVersion string
	new        func(*manifests) any
}{
	"Deployment": {"apps/v1", func(m *manifests) any { o := &appsv1.Deployment{}; m.Deployments = append(m.Deployments, o); return o }},
	"Service":    {"v1", func(m *manifests) any { o := &corev1.Service{}; m.Services = append(m.Services, o); return o }},
	"Secret":     {"v1", func(m *manifests) any { o := &corev1.Secret{}; m.Secrets = append(m.Secrets, o); return o }},
	"ConfigMap":  {"v1", func(m *manifests) any { o := &corev1.ConfigMap{}; m.ConfigMaps = append(m.ConfigMaps, o); return o }},
	"PodDisruptionBudget": {"policy/v1", func(m *manifests) any {
		o := &policyv1.PodDisruptionBudget{}
		m.PDBs = append(m.PDBs, o)
		return o
	}},
	"Job": {"batch/v1", func(m *manifests) any { o := &batchv1.Job{}; m.Jobs = append(m.Jobs, o); return o }},
}

var documentSeparator = regexp.MustCompile(`(?m)^---[ \t]*$`)

// mustLoad decodes every document of every *.yaml file in dir.
func mustLoad(t *testing.T, dir string) *manifests {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests in %s (%v)", dir, err)
	}
	m := &manifests{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range documentSeparator.Split(string(raw), -1) {
			if err := decode(m, []byte(doc)); err != nil {
				t.Fatalf("%s, document %d: %v", filepath.Base(file), i+1, err)
			}
		}
	}
	return m
}

// decode adds one YAML document to m, refusing duplicate keys, fields its kind does not
// have and values of the wrong type: a misspelt field, which kubectl apply would drop with
// at most a warning, fails here.
func decode(m *manifests, doc []byte) error {
	js, err := yaml.YAMLToJSONStrict(doc)
	if err != nil {
		return err
	}
	if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
		return nil // comments only
	}
	var head struct{ APIVersion, Kind string }
	if err := json.Unmarshal(js, &head); err != nil {
		return err
	}
	k, ok := kinds[head.Kind]
	if !ok {
		return fmt.Errorf("kind %q is not one the manifests are checked as", head.Kind)
	}
	if head.APIVersion != k.apiVersion {
		return fmt.Errorf("%s has apiVersion %q, want %q", head.Kind, head.APIVersion, k.apiVersion)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(k.new(m)); err != nil {
		return fmt.Errorf("%s: %w", head.Kind, err)
	}
	return nil
}

// The strict decoder is what catches mistakes: a misspelt field, a field at the wrong level,
// a wrong type, a duplicate key, a wrong apiVersion.
func TestDecodeRefusesMistakes(t *testing.T) {
	const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
	for name, doc := range map[string]string{
		"misspelt field":  deployment + "spec: {replica: 2}\n",
		"wrong level":     deployment + "spec: {template: {spec: {containers: [{name: x, image: y, path: /readyz}]}}}\n",
		"wrong type":      deployment + "spec: {replicas: two}\n",
		"duplicate key":   deployment + "spec: {replicas: 2, replicas: 3}\n",
		"old apiVersion":  "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\n",
		"unknown kind":    "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n",
		"unquoted number": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {CASEROOM_SMTP_PORT: 587}\n",
		"probe misspelt":  deployment + "spec: {template: {spec: {containers: [{name: x, readinessProbe: {httpGet: {pat: /readyz}}}]}}}\n",
	} {
		t.Run(name, func(t *testing.T) {
			if err := decode(&manifests{}, []byte(doc)); err == nil {
				t.Fatalf("accepted:\n%s", doc)
			}
		})
	}
	if err := decode(&manifests{}, []byte(deployment+"spec: {replicas: 2}\n")); err != nil {
		t.Fatalf("a correct document was refused: %v", err)
	}
}

// names lists the names of objects, for messages.
func names[T interface{ GetName() string }](objs []T) []string {
	out := make([]string, 0, len(objs))
	for _, o := range objs {
		out = append(out, o.GetName())
	}
	slices.Sort(out)
	return out
}

// byName returns the object called name, failing the test when there is none.
func byName[T interface{ GetName() string }](t *testing.T, objs []T, name string) T {
	t.Helper()
	for _, o := range objs {
		if o.GetName() == name {
			return o
		}
	}
	var zero T
	t.Fatalf("no %T named %s among %v", zero, name, names(objs))
	return zero
}
