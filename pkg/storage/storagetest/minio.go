// Package storagetest runs a real MinIO server for tests of code that stores files.
//
// MinIO(t) returns a store on a fresh bucket of one MinIO process shared by the whole test
// binary (starting MinIO takes about half a second); Start(t) runs a private one that a
// test may kill to see the store go down. The minio binary is looked up on PATH, then in
// $(go env GOPATH)/bin. Without it a test is skipped, or fails when CI=true.
//
// Call Main from TestMain to stop the shared server when the tests end. Without it the
// server still dies with the test binary: on Linux the child is started with a parent-
// death signal.
package storagetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/storage"
)

// ErrNoBinary means the minio binary was not found.
var ErrNoBinary = errors.New("minio binary not found on PATH or in $(go env GOPATH)/bin")

// Server is a running MinIO process.
type Server struct {
	// Endpoint is "127.0.0.1:<port>", the S3 API address.
	Endpoint string
	// AccessKey and SecretKey are the root credentials.
	AccessKey, SecretKey string

	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	out  *syncBuffer
	stop sync.Once
}

var shared struct {
	once sync.Once
	srv  *Server
	dir  string
	err  error
}

// MinIO returns a store on a new, empty bucket of the shared MinIO server, starting the
// server on first use.
func MinIO(t testing.TB) *storage.S3 {
	t.Helper()
	bin := mustBinary(t)
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "caseroom-minio-")
		if shared.err == nil {
			shared.srv, shared.err = start(bin, shared.dir)
		}
	})
	if shared.err != nil {
		t.Fatalf("start shared MinIO: %v", shared.err)
	}
	return shared.srv.New(t)
}

// Main runs the tests and then stops the shared server: use it as
// func TestMain(m *testing.M) { storagetest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if shared.srv != nil {
		shared.srv.Stop()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// Start runs a private MinIO server in a temporary folder of t, killed when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := mustBinary(t)
	srv, err := start(bin, t.TempDir())
	if err != nil {
		t.Fatalf("start MinIO: %v", err)
	}
	t.Cleanup(srv.Stop)
	return srv
}

// Config returns the configuration of a store on bucket of this server.
func (s *Server) Config(bucket string) storage.S3Config {
	return storage.S3Config{
		Endpoint:  s.Endpoint,
		AccessKey: s.AccessKey,
		SecretKey: s.SecretKey,
		Bucket:    bucket,
		// A test of a dead store should fail in milliseconds, not after ten retries.
		MaxRetries: 1,
	}
}

// New returns a store on a new, empty bucket of this server.
func (s *Server) New(t testing.TB) *storage.S3 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := storage.NewS3(ctx, s.Config("test-"+randomHex(8)))
	if err != nil {
		t.Fatalf("create MinIO bucket: %v", err)
	}
	return st
}

// Stop kills the server and waits for it to exit. It is safe to call more than once.
func (s *Server) Stop() {
	s.stop.Do(func() {
		s.cmd.Process.Kill() //nolint:errcheck // it may have exited already
		<-s.done
	})
}

// start runs MinIO in dir, retrying with other ports when a port was taken between
// choosing it and MinIO binding it.
func start(bin, dir string) (*Server, error) {
	var err error
	for range 3 {
		var srv *Server
		if srv, err = startOnce(bin, dir); err == nil {
			return srv, nil
		}
	}
	return nil, err
}

func startOnce(bin, dir string) (*Server, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	s := &Server{
		Endpoint:  fmt.Sprintf("127.0.0.1:%d", ports[0]),
		AccessKey: "caseroom-test",
		SecretKey: "caseroom-test-" + randomHex(8),
		done:      make(chan struct{}),
		out:       &syncBuffer{},
	}
	s.cmd = exec.Command(bin, "server", dir,
		"--address", s.Endpoint,
		// Bound explicitly so that parallel test binaries do not fight over :9001.
		"--console-address", fmt.Sprintf("127.0.0.1:%d", ports[1]))
	s.cmd.Env = append(os.Environ(),
		"MINIO_ROOT_USER="+s.AccessKey,
		"MINIO_ROOT_PASSWORD="+s.SecretKey,
		"MINIO_BROWSER=off", // the web console is not needed and costs memory
		"MINIO_UPDATE=off",
	)
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	s.cmd.SysProcAttr = sysProcAttr()

	started := make(chan error, 1)
	go func() {
		// The parent-death signal fires when the starting thread exits, so that thread
		// is kept for as long as the process runs.
		runtime.LockOSThread()
		if err := s.cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		s.cmd.Wait() //nolint:errcheck // the exit status of a killed server is expected
		close(s.done)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("run %s: %w", bin, err)
	}
	if err := s.waitReady(30 * time.Second); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls MinIO's liveness endpoint. MinIO answers it before its object layer is
// up, saying so in a header; until that header is gone S3 calls fail with "Server not
// initialized yet".
func (s *Server) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return fmt.Errorf("minio exited before it was ready:\n%s", s.out.String())
		default:
		}
		resp, err := client.Get("http://" + s.Endpoint + "/minio/health/live")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && resp.Header.Get("X-Minio-Server-Status") != "offline" {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("minio not ready after %v:\n%s", timeout, s.out.String())
}

func mustBinary(t testing.TB) string {
	t.Helper()
	bin, err := binary()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("MinIO is required in CI: %v", err)
		}
		t.Skipf("skipping: %v", err)
	}
	return bin
}

// binary finds minio on PATH, then in GOPATH/bin (where "go install" puts it).
func binary() (string, error) {
	if p, err := exec.LookPath("minio"); err == nil {
		return p, nil
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "minio")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", ErrNoBinary
}

func freePorts(n int) ([]int, error) {
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		defer l.Close() // held until all are chosen, so they differ
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// syncBuffer collects MinIO's output for error messages.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil // enough to diagnose a failed start
	}
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
