package soak

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/db"
)

// cluster is a PostgreSQL server of the harness's own: made by initdb in a temporary folder
// and run on a free loopback port in the foreground, as a process of the harness, so that
// it can be restarted under load and never outlives the harness. The machine's shared
// server (127.0.0.1:5432) is never restarted: other work uses it.
//
// A restart is what pg_ctl restart -m fast does: SIGINT (fast shutdown: sessions are
// ended, a checkpoint written), then the same postmaster command again. pg_ctl itself is
// not used because it starts the new server detached, where the harness could neither
// stop it at the end nor have the kernel kill it should the harness die.
type cluster struct {
	process
	dir  string // the cluster's folder, owned by the user the server runs as
	port string
}

// noServerBinaries starts the reason the restart test is skipped on a machine without them.
const noServerBinaries = "no PostgreSQL server binaries (initdb, postgres) in /usr/lib/postgresql/*/bin"

// startCluster makes and starts a cluster on port, stopped and removed when the test ends.
// Without server binaries it returns the reason instead; with them, any failure fails the
// test.
func startCluster(t *testing.T, logDir, port string) (*cluster, string) {
	t.Helper()
	bin := pgBinDir()
	if bin == "" {
		return nil, noServerBinaries + ": apt-get install postgresql (deploy/install-test-deps.sh does)"
	}
	cred, err := serverUser()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "caseroom-soak-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if cred != nil {
		if err := os.Chown(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync")
	initdb.Dir = dir
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	c := &cluster{dir: dir, port: port}
	// A throwaway cluster: no fsync (a fast shutdown still writes everything out), room
	// for four replicas' pools of 20 and the harness's.
	c.process = process{name: "postgres", path: filepath.Join(bin, "postgres"), cred: cred, stopSignal: syscall.SIGINT,
		log: filepath.Join(logDir, "postgres.log"), env: os.Environ(),
		args: []string{"-D", data, "-p", c.port, "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
			"-c", "max_connections=200", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off"}}
	if err := c.up(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.stop(30 * time.Second) })
	return c, ""
}

// url is the cluster's maintenance database, as its superuser.
func (c *cluster) url() string {
	return "postgres://postgres@127.0.0.1:" + c.port + "/postgres?sslmode=disable"
}

// up starts the server and waits until it answers a query.
func (c *cluster) up() error {
	if err := c.start(); err != nil {
		return err
	}
	conn, err := db.Open(c.url())
	if err != nil {
		return err
	}
	defer conn.Close()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if c.exited() {
			return fmt.Errorf("postgres exited:\n%s", c.logTail(2000))
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err = db.Ping(ctx, conn)
		cancel()
		if err == nil {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("postgres does not answer after 30s: %v\n%s", err, c.logTail(2000))
}

// restart stops the server with a fast shutdown and starts it again. It returns how long
// the stop took and how long the server was gone, from the signal until it answered again.
func (c *cluster) restart() (stopped, gone time.Duration, err error) {
	began := time.Now()
	stopped = c.stop(30 * time.Second)
	err = c.up()
	return stopped, time.Since(began), err
}

// pgBinDir is the bin folder of the newest Debian PostgreSQL installation with the server
// binaries, or "".
func pgBinDir() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	version := func(d string) int {
		n, _ := strconv.Atoi(strings.Split(filepath.Base(filepath.Dir(d)), ".")[0])
		return n
	}
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if isExecutable(filepath.Join(d, "initdb")) && isExecutable(filepath.Join(d, "postgres")) {
			return d
		}
	}
	return ""
}

// serverUser is who the server runs as: the harness's own user, or, when that is root
// (which PostgreSQL refuses), the postgres user that Debian's package makes.
func serverUser() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("the harness runs as root, and PostgreSQL needs another user: %w", err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// testPostgresRestart restarts the harness's own PostgreSQL (a fast shutdown, then a new
// server) while requests go straight to every replica: reads and writes of both services.
// Requests that meet the restart may fail, but only with 503 and a JSON:API error that
// shows nothing internal; every replica answers again within seconds of the server's
// return without being restarted; and every write answered 2xx reads back. The replicas
// are asked directly because with the database gone each one is unready, and the
// balancers answer with their own page once no replica is left.
func testPostgresRestart(t *testing.T, st *stack, fx *fixture, sum *summary) {
	if st.pg == nil {
		sum.pgRestart = "not run: " + st.pgShared
		t.Skip("the stack runs on a shared PostgreSQL, not restarted: " + st.pgShared)
	}
	pids := map[string]int{}
	for _, r := range st.replicas() {
		pids[r.name] = r.pid()
	}
	written := &load{fx: fx, uploads: map[string]string{}}
	reqs := directRequests(st, fx, written)
	stop := make(chan struct{})
	got := make(chan *outcomes)
	go func() { got <- hammer(reqs, 8, stop) }()
	time.Sleep(time.Second)
	stopped, gone, err := st.pg.restart()
	if err != nil {
		close(stop)
		<-got
		t.Fatal(err)
	}
	back := map[string]time.Duration{}
	var late []error
	for _, r := range st.replicas() {
		began := time.Now()
		if err := recovers(st, fx, r, 10*time.Second); err != nil {
			late = append(late, err)
		}
		back[r.name] = time.Since(began)
	}
	time.Sleep(time.Second)
	close(stop)
	o := <-got
	slowest := time.Duration(0)
	for _, d := range back {
		slowest = max(slowest, d)
	}
	sum.pgRestart = fmt.Sprintf("fast shutdown in %s, answering again %s after the signal; every replica answered a read within %s "+
		"of that, unrestarted; answers meanwhile: %s; %d hours and %d comments written 2xx",
		stopped.Round(time.Millisecond), gone.Round(time.Millisecond), slowest.Round(time.Millisecond), sortedCounts(o.statuses),
		len(written.hours), len(written.comments))
	t.Logf("PostgreSQL restarted: %s", sum.pgRestart)

	t.Run("every replica answers again within seconds, without a restart", func(t *testing.T) {
		for _, err := range late {
			t.Error(err)
		}
		for _, r := range st.replicas() {
			t.Logf("%s answered a read %s after the server was back", r.name, back[r.name].Round(time.Millisecond))
			if r.pid() != pids[r.name] {
				t.Errorf("%s was restarted", r.name)
			}
		}
	})
	checkFailedAnswers(t, o, "during the restart")
	t.Run("every write answered 2xx reads back", func(t *testing.T) {
		for _, r := range st.replicas() {
			if err := st.lb.waitStatus(r.name, "UP", 30*time.Second); err != nil {
				t.Fatal(err)
			}
		}
		readBack(t, st, written)
	})
}

// directRequests are reads and writes straight to each replica: a case read and an hour
// entry on each API, a case read and a comment on each portal. The ids of the writes
// answered 2xx are kept in written.
func directRequests(st *stack, fx *fixture, written *load) []func() (reply, error) {
	keep := func(ids *[]string) func(reply, error) (reply, error) {
		return func(r reply, err error) (reply, error) {
			if err == nil && r.status/100 == 2 {
				written.mu.Lock()
				*ids = append(*ids, r.id())
				written.mu.Unlock()
			}
			return r, err
		}
	}
	var reqs []func() (reply, error)
	for _, a := range st.api {
		reqs = append(reqs,
			func() (reply, error) { return send("GET", a.url()+"/api/v1/cases/"+fx.caseID, fx.carl, nil) },
			func() (reply, error) {
				return keep(&written.hours)(send("POST", a.url()+"/api/v1/work-hours", fx.fay, resource("work-hours", "", map[string]any{
					"workDate": time.Now().Format(time.DateOnly), "minutes": 5, "description": "soak during a PostgreSQL restart"},
					map[string]any{"case": rel("cases", fx.caseID)})))
			})
	}
	for _, p := range st.portal {
		reqs = append(reqs,
			func() (reply, error) { return send("GET", p.url()+"/portal/v1/cases/"+fx.caseID, fx.ainoToken, nil) },
			func() (reply, error) {
				return keep(&written.comments)(send("POST", p.url()+"/portal/v1/cases/"+fx.caseID+"/comments", fx.ainoToken,
					resource("comments", "", map[string]any{"body": "soak during a PostgreSQL restart"}, nil)))
			})
	}
	return reqs
}
