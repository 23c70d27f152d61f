package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// apiProcess is a built caseroom-api serving one data set.
type apiProcess struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
}

// build compiles caseroom-api into dir and returns its path. It runs in the module of this
// package, found from the working directory upwards.
func build(ctx context.Context, dir string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	out := filepath.Join(dir, "caseroom-api")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./services/api/cmd/caseroom-api")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("bench: go build: %v\n%s", err, b)
	}
	return out, nil
}

// repoRoot is the folder of go.work above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("bench: no go.work above the working directory")
		}
		dir = parent
	}
}

// startAPI runs bin on the data set in production mode on a free loopback port and waits
// until it is ready.
func startAPI(ctx context.Context, bin, dbURL string) (*apiProcess, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "CASEROOM_API_ADDR="+addr, "CASEROOM_ENV=production",
		"CASEROOM_API_JWT_SECRET="+strings.Repeat("b", 48), "CASEROOM_PORTAL_URL=https://portal.bench.invalid",
		"CASEROOM_LOG_LEVEL=warn", "CASEROOM_FILES_DIR="+filepath.Join(os.TempDir(), "caseroom-bench-files"))
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &apiProcess{cmd: cmd, base: "http://" + addr}
	deadline := time.Now().Add(15 * time.Minute) // migrations of a large data set may take minutes
	for time.Now().Before(deadline) {
		if resp, err := http.Get(p.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		select {
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	p.stop()
	return nil, fmt.Errorf("bench: caseroom-api did not become ready")
}

func (p *apiProcess) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// peakRSS is the process's peak resident set (VmHWM) in bytes.
func (p *apiProcess) peakRSS() int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// login returns a session token of email.
func (p *apiProcess) login(email, password string) (string, error) {
	body := fmt.Sprintf(`{"data":{"type":"sessions","attributes":{"email":%q,"password":%q}}}`, email, password)
	for attempt := 0; ; attempt++ {
		resp, err := http.Post(p.base+"/api/v1/sessions", "application/vnd.api+json", strings.NewReader(body))
		if err != nil {
			return "", err
		}
		var doc struct {
			Data struct {
				Attributes struct {
					Token string `json:"token"`
				} `json:"attributes"`
			} `json:"data"`
		}
		err = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable && attempt < 5 {
			time.Sleep(time.Second)
			continue
		}
		if err != nil || resp.StatusCode != http.StatusCreated {
			return "", fmt.Errorf("bench: login %s: status %d", email, resp.StatusCode)
		}
		return doc.Data.Attributes.Token, nil
	}
}

// getJSON fetches a document with token.
func (p *apiProcess) getJSON(path, token string, out any) (int, error) {
	req, _ := http.NewRequest("GET", p.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
}
