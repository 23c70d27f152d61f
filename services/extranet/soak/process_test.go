package soak

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is one program the harness runs: a service replica, HAProxy or MinIO. It can be
// stopped and started again with the same command, environment and log file, so a replica
// keeps its address across a restart, as a pod keeps its Service.
type process struct {
	name string
	path string
	args []string
	env  []string
	log  string // file that collects the output of every run
	// cred, when set, runs the program as another user (PostgreSQL refuses to run as root).
	cred *syscall.Credential
	// stopSignal is what stop sends; 0 means SIGTERM.
	stopSignal syscall.Signal

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the current run has exited
	runs int
}

// start runs the program. The kernel kills it if the test binary dies (a panic, a
// -timeout), so that nothing outlives the harness.
func (p *process) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	out, err := os.OpenFile(p.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	p.runs++
	fmt.Fprintf(out, "\n===== %s run %d at %s\n", p.name, p.runs, time.Now().Format(time.TimeOnly))
	cmd := exec.Command(p.path, p.args...)
	cmd.Env = p.env
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL, Credential: p.cred}
	done := make(chan struct{})
	started := make(chan error, 1)
	go func() {
		// The parent-death signal fires when the thread that started the child exits, so
		// that thread is kept until the child has exited.
		runtime.LockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		cmd.Wait() //nolint:errcheck // a stopped program's exit status is expected
		out.Close()
		close(done)
	}()
	if err := <-started; err != nil {
		out.Close()
		return fmt.Errorf("start %s: %w", p.name, err)
	}
	p.cmd, p.done = cmd, done
	return nil
}

// stop sends SIGTERM (or stopSignal) and waits for the exit, killing the program after
// timeout. It returns how long the stop took.
func (p *process) stop(timeout time.Duration) time.Duration {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return 0
	}
	began := time.Now()
	sig := p.stopSignal
	if sig == 0 {
		sig = syscall.SIGTERM
	}
	cmd.Process.Signal(sig) //nolint:errcheck // it may have exited
	select {
	case <-done:
	case <-time.After(timeout):
		cmd.Process.Kill() //nolint:errcheck
		<-done
	}
	return time.Since(began)
}

// kill ends the program at once, as a crash would.
func (p *process) kill() {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd != nil {
		cmd.Process.Kill() //nolint:errcheck // it may have exited
		<-done
	}
}

// exited reports whether the current run has ended.
func (p *process) exited() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

func (p *process) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd.Process.Pid
}

// logTail is the end of the program's log file.
func (p *process) logTail(n int) string {
	b, _ := os.ReadFile(p.log)
	return tail(string(b), n)
}

// problems is the end of the log without the access log and other info lines: warnings,
// errors, and whatever is not a JSON log line (a panic, a fatal start-up error).
func (p *process) problems(n int) string {
	b, _ := os.ReadFile(p.log)
	var keep []string
	for _, line := range strings.Split(string(b), "\n") {
		if line != "" && !strings.Contains(line, `"level":"INFO"`) && !strings.Contains(line, `"level":"DEBUG"`) {
			keep = append(keep, line)
		}
	}
	return tail(strings.Join(keep, "\n"), n)
}

// replica is one process of a service, at a fixed loopback address, with its operator's
// listener (CASEROOM_ADMIN_ADDR) at another.
type replica struct {
	process
	service     string // "api" or "portal"
	addr, admin string
}

func newReplica(service string, n int, bin, addr, admin, dir string, env []string) *replica {
	name := fmt.Sprintf("%s-%d", service, n)
	path, addrVar := filepath.Join(bin, "caseroom-api"), "CASEROOM_API_ADDR="
	if service == "portal" {
		path, addrVar = filepath.Join(bin, "caseroom-extranet"), "CASEROOM_EXTRANET_ADDR="
	}
	return &replica{service: service, addr: addr, admin: admin, process: process{name: name, path: path,
		env: append(env[:len(env):len(env)], addrVar+addr, "CASEROOM_ADMIN_ADDR="+admin), log: filepath.Join(dir, name+".log")}}
}

func (r *replica) url() string { return "http://" + r.addr }

// waitReady polls the replica's /readyz until it answers 200, the process exits, or
// timeout passes.
func (r *replica) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if r.exited() {
			return fmt.Errorf("%s exited:\n%s", r.name, r.logTail(2000))
		}
		if resp, err := client.Get(r.url() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%s is not ready after %s:\n%s", r.name, timeout, r.logTail(2000))
}

// usage is what /proc says about a process: resident memory and OS threads, the outside
// view; the runtime's own figures are the replica's runtimeFigures.
type usage struct {
	RSS     int64 // bytes (VmRSS)
	Threads int
}

func (p *process) usage() usage {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.pid()))
	if err != nil {
		return usage{}
	}
	defer f.Close()
	var u usage
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			u.RSS = kb << 10
		}
		if v, ok := strings.CutPrefix(sc.Text(), "Threads:"); ok {
			u.Threads, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	return u
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
