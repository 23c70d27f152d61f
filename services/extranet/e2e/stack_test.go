package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/db"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/storage/storagetest"
)

// stack is both services as built binaries, on one database, with a real MinIO and an
// in-process SMTP server.
type stack struct {
	apiURL, portalURL string
	mail              *mailbox
	dbURL             string
}

// startStack builds caseroom-api and caseroom-extranet, loads the demo organisation and
// runs both services until the test ends.
func startStack(t *testing.T) *stack {
	t.Helper()
	dir := t.TempDir()
	start := time.Now()
	bin := buildBinaries(t, dir)
	t.Logf("built the services in %s", time.Since(start).Round(time.Millisecond))
	minio := storagetest.Start(t)
	st := &stack{mail: startMailbox(t), dbURL: database(t, dir)}
	env := append(os.Environ(),
		"DATABASE_URL="+st.dbURL,
		"CASEROOM_API_JWT_SECRET="+randomHex(24),
		"CASEROOM_EXTRANET_JWT_SECRET="+randomHex(24),
		"CASEROOM_SMTP_HOST=127.0.0.1",
		"CASEROOM_SMTP_PORT="+st.mail.port(),
		"CASEROOM_SMTP_TLS=none",
		"CASEROOM_MAIL_FROM=Caseroom <noreply@caseroom.test>",
		"CASEROOM_S3_ENDPOINT="+minio.Endpoint,
		"CASEROOM_S3_ACCESS_KEY="+minio.AccessKey,
		"CASEROOM_S3_SECRET_KEY="+minio.SecretKey,
		"CASEROOM_S3_BUCKET=caseroom-e2e",
		"CASEROOM_OUTBOX_INTERVAL=200ms",
		"CASEROOM_LOG_LEVEL=info",
		// Production mode, as deployed, but the test portal is plain http on loopback.
		"CASEROOM_ENV=production",
		"CASEROOM_EXTRANET_COOKIE_SECURE=false",
	)
	demo := exec.Command(filepath.Join(bin, "caseroom-api"), "demo")
	demo.Env = env
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("caseroom-api demo: %v\n%s", err, out)
	}
	// A port chosen free may be taken before the service binds it (other test binaries
	// start MinIO servers meanwhile); a service that exits is started again on others.
	for attempt := 1; ; attempt++ {
		apiAddr, portalAddr := freeAddr(t), freeAddr(t)
		st.apiURL, st.portalURL = "http://"+apiAddr, "http://"+portalAddr
		ports := append(env[:len(env):len(env)], "CASEROOM_API_ADDR="+apiAddr, "CASEROOM_EXTRANET_ADDR="+portalAddr,
			"CASEROOM_PORTAL_URL="+st.portalURL)
		api := startProcess(t, dir, filepath.Join(bin, "caseroom-api"), ports)
		portal := startProcess(t, dir, filepath.Join(bin, "caseroom-extranet"), ports)
		err := waitReady(st.apiURL+"/readyz", api)
		if err == nil {
			err = waitReady(st.portalURL+"/readyz", portal)
		}
		if err == nil {
			break
		}
		api.stop()
		portal.stop()
		if attempt == 3 {
			t.Fatalf("the services did not start: %v\n--- caseroom-api:\n%s\n--- caseroom-extranet:\n%s",
				err, tail(api.logs.String(), 3000), tail(portal.logs.String(), 3000))
		}
		t.Logf("starting again on other ports: %v", err)
	}
	t.Logf("stack ready in %s", time.Since(start).Round(time.Millisecond))
	return st
}

// buildBinaries builds both commands into dir/bin with the go tool of this test.
func buildBinaries(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "bin") + string(filepath.Separator)
	cmd := exec.Command("go", "build", "-o", out,
		"github.com/caseroom/caseroom/services/api/cmd/caseroom-api",
		"github.com/caseroom/caseroom/services/extranet/cmd/caseroom-extranet")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

// database returns the URL of an empty database for the stack: a SQLite file, or, when the
// tests run on PostgreSQL, a database of its own that is dropped afterwards.
func database(t *testing.T, dir string) string {
	t.Helper()
	if !dbtest.IsPostgres() {
		return "sqlite://" + filepath.Join(dir, "caseroom.db")
	}
	admin, err := db.Open(dbtest.URL())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.Ping(ctx, admin); err != nil {
		admin.Close()
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is required in CI: %v", err)
		}
		t.Skipf("PostgreSQL unreachable: %v", err)
	}
	name := "caseroom_e2e_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		// The services have stopped by now (cleanups run last-in first-out).
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u, err := url.Parse(dbtest.URL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// process is a running service.
type process struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	logs *syncBuffer
	once sync.Once
}

// startProcess starts a service. It is stopped with SIGTERM when the test ends, and its
// log is printed if the test failed and kept in dir.
func startProcess(t *testing.T, dir, path string, env []string) *process {
	t.Helper()
	p := &process{name: filepath.Base(path), cmd: exec.Command(path), done: make(chan struct{}), logs: &syncBuffer{}}
	p.cmd.Env = env
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	go func() { p.cmd.Wait(); close(p.done) }() //nolint:errcheck // the exit of a stopped service
	t.Cleanup(func() {
		p.stop()
		if t.Failed() {
			t.Logf("--- log of %s:\n%s", p.name, tail(p.logs.String(), 6000))
		}
		os.WriteFile(filepath.Join(dir, p.name+".log"), []byte(p.logs.String()), 0o644) //nolint:errcheck
	})
	return p
}

// stop ends the service gracefully, or kills it after 15 seconds.
func (p *process) stop() {
	p.once.Do(func() {
		p.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may have exited
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			p.cmd.Process.Kill() //nolint:errcheck
			<-p.done
		}
	})
}

// waitReady polls a readiness URL until it answers 200, the process exits, or a minute
// passes.
func waitReady(u string, p *process) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			return fmt.Errorf("%s exited: %s", p.name, tail(p.logs.String(), 500))
		default:
		}
		if resp, err := client.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s is not ready after 60s", u)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
