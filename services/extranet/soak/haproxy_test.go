package soak

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"text/template"
	"time"
)

// balancer is Debian's HAProxy in front of each service: round robin over its two
// replicas, each taken out of rotation when /readyz stops answering 200 and put back when
// it answers again, as a cloud load balancer or a Kubernetes Service would.
type balancer struct {
	process
	apiURL, portalURL string
	statsURL          string
}

// Health checks every 200 ms: three failures take a replica out (within about a second,
// more when the machine is busy), two successes put it back. The services' drain (a
// quarter of CASEROOM_SHUTDOWN_GRACE) must outlast the first: the harness makes it 4 s.
const haproxyConfig = `global
	maxconn 2000
	log stderr format raw local0

defaults
	mode http
	log global
	option httplog
	option dontlog-normal
	timeout connect 2s
	timeout client 2m
	timeout server 2m
	timeout http-keep-alive 10s
	timeout check 3s
	# No retries: HAProxy would otherwise resend a request that met a closed port after a
	# pause, and hide a replica that stops taking requests before it is out of rotation.
	retries 0
{{range .Backends}}
frontend {{.Name}}
	bind {{.Bind}}
	default_backend {{.Name}}

backend {{.Name}}
	balance roundrobin
	option forwardfor
	option httpchk GET /readyz
	http-check expect status 200
	http-response set-header X-Soak-Server %[srv_name]
	default-server check inter 200ms fastinter 100ms downinter 200ms fall 3 rise 2
{{- range .Servers}}
	server {{.Name}} {{.Addr}}
{{- end}}
{{end}}
listen stats
	bind {{.Stats}}
	stats enable
	stats uri /stats
`

type backendConf struct {
	Name, Bind string
	Servers    []struct{ Name, Addr string }
}

// startHAProxy writes the configuration into dir, checks it with haproxy -c and runs
// HAProxy in the foreground until the test ends.
func startHAProxy(t *testing.T, dir, apiBind, portalBind, statsBind string, api, portal []*replica) *balancer {
	t.Helper()
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		bin, err = exec.LookPath("/usr/sbin/haproxy") // Debian's, when /usr/sbin is not on PATH
	}
	if err != nil {
		t.Fatal("haproxy not found: bash deploy/install-test-deps.sh (Debian's haproxy)")
	}
	conf := struct {
		Backends []backendConf
		Stats    string
	}{Stats: statsBind}
	for _, b := range []struct {
		name, bind string
		rs         []*replica
	}{{"api", apiBind, api}, {"portal", portalBind, portal}} {
		bc := backendConf{Name: b.name, Bind: b.bind}
		for _, r := range b.rs {
			bc.Servers = append(bc.Servers, struct{ Name, Addr string }{r.name, r.addr})
		}
		conf.Backends = append(conf.Backends, bc)
	}
	path := filepath.Join(dir, "haproxy.cfg")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := template.Must(template.New("haproxy").Parse(haproxyConfig)).Execute(f, conf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if out, err := exec.Command(bin, "-c", "-q", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
	b := &balancer{apiURL: "http://" + apiBind, portalURL: "http://" + portalBind, statsURL: "http://" + statsBind + "/stats;csv",
		process: process{name: "haproxy", path: bin, args: []string{"-db", "-f", path}, env: os.Environ(),
			log: filepath.Join(dir, "haproxy.log")}}
	if err := b.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.stop(5 * time.Second) })
	for _, r := range append(api[:len(api):len(api)], portal...) {
		if err := b.waitStatus(r.name, "UP", 15*time.Second); err != nil {
			t.Fatalf("%v\n--- haproxy:\n%s", err, b.logTail(2000))
		}
	}
	return b
}

// status returns what HAProxy's health checks say of server: "UP", "DOWN", or a
// transition such as "UP 1/2".
func (b *balancer) status(server string) (string, error) {
	resp, err := (&http.Client{Timeout: time.Second}).Get(b.statsURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	r := csv.NewReader(resp.Body)
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil || len(rows) == 0 {
		return "", fmt.Errorf("haproxy stats: %v", err)
	}
	col := -1
	for i, h := range rows[0] {
		if strings.TrimPrefix(h, "# ") == "status" {
			col = i
		}
	}
	for _, row := range rows[1:] {
		if len(row) > col && col > 1 && row[1] == server {
			return row[col], nil
		}
	}
	return "", fmt.Errorf("haproxy has no server %s", server)
}

// waitStatus waits until HAProxy reports server as want.
func (b *balancer) waitStatus(server, want string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		if b.exited() {
			return fmt.Errorf("haproxy exited")
		}
		s, err := b.status(server)
		if err == nil && s == want {
			return nil
		}
		last = s
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("haproxy says %s is %q after %s, want %s", server, last, timeout, want)
}
