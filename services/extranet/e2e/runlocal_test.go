package e2e

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunStopsCleanlyOnCtrlC: make run serves both services through deploy/run-local.sh; a
// Ctrl-C (SIGINT to the foreground process group) stops both services gracefully, the script
// exits 0, and nothing is left running.
func TestRunStopsCleanlyOnCtrlC(t *testing.T) {
	dir := t.TempDir()
	bin := buildBinaries(t, dir)
	script, err := filepath.Abs("../../../deploy/run-local.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script, strings.TrimSuffix(bin, string(filepath.Separator)))
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CASEROOM_API_ADDR="+freeAddr(t), "CASEROOM_EXTRANET_ADDR="+freeAddr(t), "DATABASE_URL=sqlite://"+filepath.Join(dir, "run.db"),
		"CASEROOM_FILES_DIR="+filepath.Join(dir, "files"))
	var out syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group, as a terminal's foreground job
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for strings.Count(out.String(), " listening") < 2 {
		if time.Now().After(deadline) {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Fatalf("the services did not start:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run-local.sh after Ctrl-C: %v\n%s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("run-local.sh did not stop:\n%s", out.String())
	}
	logs := out.String()
	if strings.Count(logs, "shutting down") != 2 || strings.Contains(logs, "panic") || strings.Contains(logs, "Segmentation") {
		t.Fatalf("both services should shut down gracefully:\n%s", logs)
	}
	if b, _ := exec.Command("pgrep", "-f", bin).Output(); len(bytes.TrimSpace(b)) > 0 {
		t.Fatalf("processes left running: %s", b)
	}
}
