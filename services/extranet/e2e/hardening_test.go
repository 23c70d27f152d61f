package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/caseroom/caseroom/pkg/httpx/httpxtest"
)

// The security review's findings that only the built binaries show: production settings
// (finding 9 and the production mode), and memory before login (findings 1 and 4), read
// from the processes' peak resident set.

// bareEnv is a service environment on a SQLite file under dir, with no file store or mail
// configured (disk and log defaults).
func bareEnv(dir string, extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "DATABASE_URL=sqlite://" + filepath.Join(dir, "caseroom.db"),
		"CASEROOM_FILES_DIR=" + filepath.Join(dir, "files"), "CASEROOM_LOG_LEVEL=warn"}
	return append(env, extra...)
}

// runOnce runs a command to its end and returns its exit error and output.
func runOnce(t *testing.T, dir, bin string, env []string, args ...string) (error, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env, cmd.Dir = env, dir
	out, err := cmd.CombinedOutput()
	return err, string(out)
}

// Security review, "safe production settings" and finding 9: production refuses to start
// with settings that would be unsafe on a network, and says what to set.
func TestProductionRefusesUnsafeSettings(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinaries(t, dir)
	api, portal := filepath.Join(bin, "caseroom-api"), filepath.Join(bin, "caseroom-extranet")
	good := strings.Repeat("a", 40)
	other := strings.Repeat("b", 40)
	for _, tc := range []struct {
		name, bin string
		env       []string
		want      string
	}{
		{"api without a secret", api, []string{"CASEROOM_PORTAL_URL=https://portal.example"}, "CASEROOM_API_JWT_SECRET is not set"},
		{"portal without a secret", portal, []string{"CASEROOM_PORTAL_URL=https://portal.example"}, "CASEROOM_EXTRANET_JWT_SECRET is not set"},
		{"short secret", api, []string{"CASEROOM_API_JWT_SECRET=short", "CASEROOM_PORTAL_URL=https://portal.example"}, "at least 32 bytes"},
		{"one secret for both", portal, []string{"CASEROOM_API_JWT_SECRET=" + good, "CASEROOM_EXTRANET_JWT_SECRET=" + good,
			"CASEROOM_PORTAL_URL=https://portal.example"}, "give each service a secret of its own"},
		{"no portal address", api, []string{"CASEROOM_API_JWT_SECRET=" + good}, "CASEROOM_PORTAL_URL is not set"},
		{"plain http portal", portal, []string{"CASEROOM_EXTRANET_JWT_SECRET=" + other, "CASEROOM_PORTAL_URL=http://portal.example"}, "https"},
		{"Secure cookies on http, in development too", portal, []string{"CASEROOM_ENV=development", "CASEROOM_EXTRANET_COOKIE_SECURE=true",
			"CASEROOM_PORTAL_URL=http://portal.example"}, "cookies are Secure"},
		{"a mysql URL", api, []string{"CASEROOM_ENV=development", "DATABASE_URL=mysql://root@db/caseroom"}, `"mysql" databases are not supported`},
		{"not a URL", api, []string{"CASEROOM_ENV=development", "DATABASE_URL=not a url"}, "not a URL"},
		{"a folder that does not exist", api, []string{"CASEROOM_ENV=development", "DATABASE_URL=sqlite://" + filepath.Join(dir, "missing", "x.db")}, "does not exist"},
		{"an unknown mode", api, []string{"CASEROOM_ENV=staging"}, "CASEROOM_ENV"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := t.TempDir()
			err, out := runOnce(t, work, tc.bin, bareEnv(work, tc.env...))
			if err == nil || !strings.Contains(out, tc.want) {
				t.Fatalf("exit %v, output %q, want a refusal naming %q", err, out, tc.want)
			}
			if strings.Contains(out, "root@") {
				t.Fatalf("the error repeats the database URL: %s", out)
			}
			entries, _ := os.ReadDir(work)
			for _, e := range entries {
				t.Errorf("a refused start left %s behind", e.Name())
			}
		})
	}
	t.Run("the demo needs no settings", func(t *testing.T) {
		work := t.TempDir()
		if err, out := runOnce(t, work, api, bareEnv(work), "demo"); err != nil {
			t.Fatalf("demo: %v\n%s", err, out)
		}
	})
}

// --help, -h and help print the commands and every variable with its default, exit 0, and
// touch no database (they used to create ./data/caseroom.db, or start serving).
func TestHelpTouchesNothing(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinaries(t, dir)
	for _, name := range []string{"caseroom-api", "caseroom-extranet"} {
		for _, flag := range []string{"--help", "-h", "help"} {
			t.Run(name+" "+flag, func(t *testing.T) {
				work := t.TempDir()
				err, out := runOnce(t, work, filepath.Join(bin, name), bareEnv(work), flag)
				if err != nil || !strings.Contains(out, "CASEROOM_ENV") || !strings.Contains(out, "DATABASE_URL") {
					t.Fatalf("exit %v, output %s", err, out)
				}
				entries, _ := os.ReadDir(work)
				for _, e := range entries {
					t.Errorf("help left %s behind", e.Name())
				}
			})
		}
	}
}

// Finding 9: the secret that used to sign tokens when none was set is published in the
// source; a token signed with it must be worthless, in development too.
func TestPublishedDevelopmentSecretSignsNothing(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinaries(t, dir)
	env := bareEnv(dir, "CASEROOM_ENV=development")
	if err, out := runOnce(t, dir, filepath.Join(bin, "caseroom-api"), env, "demo"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	p := startProcess(t, dir, filepath.Join(bin, "caseroom-api"), append(env, "CASEROOM_API_ADDR="+addr))
	if err := waitReady("http://"+addr+"/readyz", p); err != nil {
		t.Fatal(err)
	}
	forged := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "caseroom", "sub": "1", "aud": []string{"caseroom-api"},
		"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix(), "tv": 1})
	token, err := forged.SignedString([]byte("caseroom-development-secret-CASEROOM_API_JWT_SECRET-do-not-use-in-production"))
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/v1/users/1", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a token signed with the published secret got %d", resp.StatusCode)
	}
}

// peakRSS reads a process's peak resident set (VmHWM) in bytes.
func peakRSS(t *testing.T, p *process) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// startBare runs one service binary on the bare environment and waits until it is ready.
func startBare(t *testing.T, dir, bin string, env []string) (*process, string) {
	t.Helper()
	addr := freeAddr(t)
	p := startProcess(t, dir, bin, append(env, "CASEROOM_API_ADDR="+addr, "CASEROOM_EXTRANET_ADDR="+addr))
	if err := waitReady("http://"+addr+"/readyz", p); err != nil {
		t.Fatal(err)
	}
	return p, addr
}

// flood sends n chunked bodies of size bytes to each path at once, without credentials,
// and checks that each was refused with 401 before it was read.
func flood(t *testing.T, addr string, paths []string, ctype string, n int, size int64) {
	t.Helper()
	var wg sync.WaitGroup
	for _, path := range paths {
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				status, sent := httpxtest.Flood(t, addr, "POST", path, http.Header{"Content-Type": {ctype}}, size)
				if status != http.StatusUnauthorized && status != http.StatusSeeOther {
					t.Errorf("POST %s without a session: %d", path, status)
				}
				if sent >= size {
					t.Errorf("POST %s: the whole body of %d MiB was taken before the answer", path, size>>20)
				}
			}()
		}
	}
	wg.Wait()
}

// Findings 1 and 4 (memory before login), measured on the built binaries: unauthenticated
// chunked form posts to the portal's upload routes and unauthenticated uploads to the API
// leave the peak resident set where it was, and 20 parallel logins with unknown emails keep
// the API under 400 MiB, the callers beyond the hashing limit answered 503 with Retry-After.
func TestMemoryBeforeLoginStaysFlat(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinaries(t, dir)
	env := bareEnv(dir, "CASEROOM_ENV=development")
	if err, out := runOnce(t, dir, filepath.Join(bin, "caseroom-api"), env, "demo"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	const limit = 64 << 20 // what the flood may add to the peak at most
	t.Run("portal upload routes", func(t *testing.T) {
		p, addr := startBare(t, dir, filepath.Join(bin, "caseroom-extranet"), env)
		before := peakRSS(t, p)
		flood(t, addr, []string{"/portal/v1/cases/1/files", "/cases/1/files"}, "application/x-www-form-urlencoded", 10, 300<<20)
		after := peakRSS(t, p)
		t.Logf("caseroom-extranet peak RSS %d MiB before, %d MiB after 20 × 300 MiB chunked posts", before>>20, after>>20)
		if after-before > limit {
			t.Fatalf("peak RSS grew by %d MiB", (after-before)>>20)
		}
	})
	t.Run("api uploads and logins", func(t *testing.T) {
		p, addr := startBare(t, dir, filepath.Join(bin, "caseroom-api"), env)
		before := peakRSS(t, p)
		flood(t, addr, []string{"/api/v1/cases/1/files"}, "multipart/form-data; boundary=x", 10, 25<<20)
		flood(t, addr, []string{"/api/v1/cases"}, "application/vnd.api+json", 10, 25<<20)
		after := peakRSS(t, p)
		t.Logf("caseroom-api peak RSS %d MiB before, %d MiB after 20 × 25 MiB unauthenticated bodies", before>>20, after>>20)
		if after-before > limit {
			t.Fatalf("peak RSS grew by %d MiB", (after-before)>>20)
		}
		statuses := make(chan *http.Response, 20)
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				body := fmt.Sprintf(`{"data":{"type":"sessions","attributes":{"email":"nobody%d@example.test","password":"wrong-password"}}}`, i)
				resp, err := http.Post("http://"+addr+"/api/v1/sessions", "application/vnd.api+json", strings.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				statuses <- resp
			}()
		}
		wg.Wait()
		close(statuses)
		counts := map[int]int{}
		for resp := range statuses {
			counts[resp.StatusCode]++
			if resp.StatusCode == http.StatusServiceUnavailable && resp.Header.Get("Retry-After") == "" {
				t.Error("a 503 without Retry-After")
			}
			if resp.StatusCode != http.StatusUnauthorized && resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("login answered %d", resp.StatusCode)
			}
		}
		peak := peakRSS(t, p)
		t.Logf("caseroom-api after 20 parallel logins: peak RSS %d MiB, answers %v", peak>>20, counts)
		if peak > 400<<20 {
			t.Fatalf("peak RSS %d MiB, want under 400 MiB", peak>>20)
		}
	})
}
