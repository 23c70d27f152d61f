package soak

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/storage"
)

// objectStore is a MinIO server on a fixed address and folder, so that the fault test can
// stop it and start it again with every object still there. (storagetest.Start runs one
// that can only be killed for good.)
type objectStore struct {
	process
	endpoint, accessKey, secretKey, bucket string
}

func startMinIO(t *testing.T, dir string, ports []string) *objectStore {
	t.Helper()
	bin := minioBinary(t)
	m := &objectStore{endpoint: "127.0.0.1:" + ports[0], accessKey: "caseroom-soak", secretKey: "caseroom-soak-" + randomHex(8),
		bucket: "caseroom-soak"}
	m.process = process{name: "minio", path: bin, log: filepath.Join(dir, "minio.log"),
		args: []string{"server", filepath.Join(dir, "minio-data"), "--address", m.endpoint, "--console-address", "127.0.0.1:" + ports[1]},
		env:  append(os.Environ(), "MINIO_ROOT_USER="+m.accessKey, "MINIO_ROOT_PASSWORD="+m.secretKey, "MINIO_BROWSER=off", "MINIO_UPDATE=off")}
	if err := m.up(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.kill)
	return m
}

// up starts MinIO and waits until its object layer answers.
func (m *objectStore) up() error {
	if err := m.start(); err != nil {
		return err
	}
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m.exited() {
			return fmt.Errorf("minio exited:\n%s", m.logTail(2000))
		}
		resp, err := client.Get("http://" + m.endpoint + "/minio/health/live")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && resp.Header.Get("X-Minio-Server-Status") != "offline" {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("minio not ready after 30s:\n%s", m.logTail(2000))
}

func (m *objectStore) env() []string {
	return []string{"CASEROOM_S3_ENDPOINT=" + m.endpoint, "CASEROOM_S3_ACCESS_KEY=" + m.accessKey,
		"CASEROOM_S3_SECRET_KEY=" + m.secretKey, "CASEROOM_S3_BUCKET=" + m.bucket}
}

// store is a client of the services' bucket, for checking what is stored.
func (m *objectStore) store(t *testing.T) *storage.S3 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := storage.NewS3(ctx, storage.S3Config{Endpoint: m.endpoint, AccessKey: m.accessKey, SecretKey: m.secretKey,
		Bucket: m.bucket, MaxRetries: 1})
	if err != nil {
		t.Fatalf("open the bucket: %v", err)
	}
	return s
}

// minioBinary finds minio on PATH, then in GOPATH/bin, as storagetest does.
func minioBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("minio"); err == nil {
		return p
	}
	out, _ := exec.Command("go", "env", "GOPATH").Output()
	for _, dir := range filepath.SplitList(strings.TrimSpace(string(out))) {
		if p := filepath.Join(dir, "bin", "minio"); isExecutable(p) {
			return p
		}
	}
	t.Fatal("minio not found on PATH or in $(go env GOPATH)/bin: bash deploy/install-test-deps.sh")
	return ""
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}
