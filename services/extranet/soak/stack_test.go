package soak

import (
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/caseroom/caseroom/pkg/db"
)

// defaultPostgres is the server the harness makes its database on when it can run no
// cluster of its own and neither SOAK_DATABASE_URL nor a PostgreSQL
// CASEROOM_TEST_DATABASE_URL names another.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// shutdownGrace is the services' CASEROOM_SHUTDOWN_GRACE here: a quarter of it (4 s) is the
// drain, several times what HAProxy needs to take a replica out even on a busy machine.
const shutdownGrace = 16 * time.Second

// harnessApp names the harness's own connections to the services' database, which the
// PostgreSQL fault leaves alone.
const harnessApp = "caseroom-soak-harness"

// stack is two replicas of each service as built binaries on one fresh PostgreSQL
// database, one MinIO and an in-process SMTP server, behind one HAProxy per service;
// everything on 127.0.0.1.
type stack struct {
	dir         string
	api, portal []*replica
	lb          *balancer
	mail        *mailbox
	minio       *objectStore
	pg          *cluster // the harness's own PostgreSQL, nil when it runs on a shared one
	pgShared    string   // why it runs on a shared one
	dbName      string
	db          *bun.DB // the services' database, for checks
	admin       *bun.DB // the server's own database: creating, dropping, terminating
}

// replicas is every replica, APIs first.
func (st *stack) replicas() []*replica { return append(st.api[:len(st.api):len(st.api)], st.portal...) }

// startStack builds the services, loads the demo organisation and starts everything; all
// of it is stopped, and the database dropped, when the test ends.
func startStack(t *testing.T) *stack {
	t.Helper()
	began := time.Now()
	st := &stack{dir: logDir(t)}
	bin := buildBinaries(t, st.dir)
	t.Logf("built the services in %s", time.Since(began).Round(time.Millisecond))
	// 4 replicas, 2 balancers, HAProxy's stats, MinIO and its console, 4 admin listeners,
	// PostgreSQL
	ports := freePorts(t, 14)
	st.minio = startMinIO(t, st.dir, ports[7:9])
	st.mail = startMailbox(t)
	dbURL := st.database(t, ports[13])
	apiBind, portalBind, statsBind := "127.0.0.1:"+ports[4], "127.0.0.1:"+ports[5], "127.0.0.1:"+ports[6]
	env := append(os.Environ(),
		"DATABASE_URL="+dbURL,
		// One secret per service, the same on each of its replicas.
		"CASEROOM_API_JWT_SECRET="+randomHex(24),
		"CASEROOM_EXTRANET_JWT_SECRET="+randomHex(24),
		"CASEROOM_SMTP_HOST=127.0.0.1",
		"CASEROOM_SMTP_PORT="+st.mail.port(),
		"CASEROOM_SMTP_TLS=none",
		"CASEROOM_MAIL_FROM=Caseroom <noreply@caseroom.test>",
		"CASEROOM_OUTBOX_INTERVAL=200ms",
		// Mail that failed is tried again within seconds, so that the run need not wait
		// long for it once the SMTP server is back.
		"CASEROOM_OUTBOX_BACKOFF=1s",
		"CASEROOM_OUTBOX_BACKOFF_MAX=4s",
		"CASEROOM_LOG_LEVEL=info",
		"CASEROOM_SHUTDOWN_GRACE="+shutdownGrace.String(),
		"CASEROOM_TRUSTED_PROXIES=127.0.0.1",
		"CASEROOM_PORTAL_URL=http://"+portalBind,
		// Production mode, as deployed, but the portal is plain http on loopback.
		"CASEROOM_ENV=production",
		"CASEROOM_EXTRANET_COOKIE_SECURE=false",
	)
	env = append(env, st.minio.env()...)
	demo := exec.Command(filepath.Join(bin, "caseroom-api"), "demo")
	demo.Env = env
	if out, err := demo.CombinedOutput(); err != nil {
		t.Fatalf("caseroom-api demo: %v\n%s", err, out)
	}
	for i := range 2 {
		st.api = append(st.api, newReplica("api", i+1, bin, "127.0.0.1:"+ports[i], "127.0.0.1:"+ports[9+i], st.dir, env))
		st.portal = append(st.portal, newReplica("portal", i+1, bin, "127.0.0.1:"+ports[2+i], "127.0.0.1:"+ports[11+i], st.dir, env))
	}
	for _, r := range st.replicas() {
		if err := r.start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			r.stop(15 * time.Second)
			if t.Failed() {
				t.Logf("--- warnings and errors in %s's log (all of it is in %s):\n%s", r.name, r.log, r.problems(3000))
			}
		})
	}
	if err := st.eachReplica(func(r *replica) error { return r.waitReady(time.Minute) }); err != nil {
		t.Fatal(err)
	}
	st.lb = startHAProxy(t, st.dir, apiBind, portalBind, statsBind, st.api, st.portal)
	t.Logf("stack ready in %s: API %s, portal %s, logs in %s", time.Since(began).Round(time.Millisecond),
		st.lb.apiURL, st.lb.portalURL, st.dir)
	return st
}

// eachReplica runs f on every replica at once and returns the first error.
func (st *stack) eachReplica(f func(*replica) error) error {
	rs := st.replicas()
	errs := make([]error, len(rs))
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Go(func() { errs[i] = f(r) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// database creates a fresh PostgreSQL database for the run, dropped when the test ends,
// and returns its URL.
func (st *stack) database(t *testing.T, port string) string {
	t.Helper()
	server := st.server(t, port)
	admin, err := db.Open(server)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := db.Ping(ctx, admin); err != nil {
		admin.Close()
		t.Fatalf("the soak harness needs PostgreSQL (SOAK_DATABASE_URL, default %s): %v", defaultPostgres, err)
	}
	st.admin = admin
	st.dbName = "caseroom_soak_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+st.dbName); err != nil {
		t.Fatalf("create database: %v", err)
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + st.dbName
	if st.db, err = db.OpenWithParams(u.String(), map[string]any{"application_name": harnessApp}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// The services have stopped by now (cleanups run last-in first-out).
		st.db.Close()
		if st.pg != nil {
			admin.Close() // the whole cluster is removed
			return
		}
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+st.dbName+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", st.dbName, err)
		}
		admin.Close()
	})
	return u.String()
}

// server is the PostgreSQL server the run makes its database on: the one SOAK_DATABASE_URL
// names; else a cluster of the harness's own, which the restart test may restart; else,
// on a machine without PostgreSQL's server binaries, a PostgreSQL
// CASEROOM_TEST_DATABASE_URL's or defaultPostgres. st.pgShared says why it is not the
// harness's own. Its own listens on port.
func (st *stack) server(t *testing.T, port string) string {
	t.Helper()
	if server := os.Getenv("SOAK_DATABASE_URL"); server != "" {
		st.pgShared = "SOAK_DATABASE_URL names the server, which the harness may not restart"
		return server
	}
	if st.pg, st.pgShared = startCluster(t, st.dir, port); st.pg != nil {
		return st.pg.url()
	}
	if test := os.Getenv("CASEROOM_TEST_DATABASE_URL"); strings.HasPrefix(test, "postgres") {
		return test
	}
	return defaultPostgres
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

// logDir is where the run keeps the binaries, configuration and every process's log: kept
// when the test fails, removed when it passes.
func logDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "caseroom-soak-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("logs kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	return dir
}

// freePorts returns n distinct loopback ports that were free a moment ago.
func freePorts(t *testing.T, n int) []string {
	t.Helper()
	ports := make([]string, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close() // held until all are chosen, so that they differ
		_, p, _ := net.SplitHostPort(l.Addr().String())
		ports = append(ports, p)
	}
	return ports
}
