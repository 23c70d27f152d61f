package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
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
	apiAddr, portalAddr := freeAddr(t), freeAddr(t)
	st.apiURL, st.portalURL = "http://"+apiAddr, "http://"+portalAddr
	env := append(os.Environ(),
		"DATABASE_URL="+st.dbURL,
		"CASEROOM_API_ADDR="+apiAddr,
		"CASEROOM_EXTRANET_ADDR="+portalAddr,
		"CASEROOM_PORTAL_URL="+st.portalURL,
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
	)
	demo := exec.Command(filepath.Join(bin, "caseroom-api"), "demo")
	demo.Env = env
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("caseroom-api demo: %v\n%s", err, out)
	}
	run(t, dir, filepath.Join(bin, "caseroom-api"), env)
	run(t, dir, filepath.Join(bin, "caseroom-extranet"), env)
	waitReady(t, st.apiURL+"/readyz")
	waitReady(t, st.portalURL+"/readyz")
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

// run starts a service; it is stopped with SIGTERM when the test ends, and its log is
// printed if the test failed.
func run(t *testing.T, dir, path string, env []string) {
	t.Helper()
	logs := &syncBuffer{}
	cmd := exec.Command(path)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }() //nolint:errcheck // the exit of a stopped service
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			cmd.Process.Kill() //nolint:errcheck
			<-done
		}
		if t.Failed() {
			t.Logf("--- log of %s:\n%s", filepath.Base(path), tail(logs.String(), 6000))
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(path)+".log"), []byte(logs.String()), 0o644) //nolint:errcheck
	})
}

func waitReady(t *testing.T, u string) {
	t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := client.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s is not ready after 60s", u)
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
