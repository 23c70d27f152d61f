package server_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/pkg/storage/storagetest"
)

func TestMain(m *testing.M) { storagetest.Main(m) }

// upload posts a multipart file and checks the response against the OpenAPI document.
func (e *env) upload(token, caseID, name, ctype string, content []byte) response {
	e.t.Helper()
	return e.uploadWith(token, caseID, name, ctype, content, nil)
}

// uploadWith is upload with form fields sent before the file.
func (e *env) uploadWith(token, caseID, name, ctype string, content []byte, fields map[string]string) response {
	e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = w.WriteField(k, v)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
	h.Set("Content-Type", ctype)
	part, _ := w.CreatePart(h)
	part.Write(content)
	w.Close()
	req := httptest.NewRequest("POST", "/api/v1/cases/"+caseID+"/files", bytes.NewReader(buf.Bytes()))
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return e.send(req, buf.Bytes(), false)
}

func (e *env) fileRows() int {
	n, err := e.db.NewSelect().Model((*model.File)(nil)).Where("kind = 'file'").Count(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return int(n)
}

// TestFilesOnMinIO: files go to a real MinIO under server-made keys, come back as
// attachments, and an upload's object and row succeed or fail together.
func TestFilesOnMinIO(t *testing.T) {
	store := storagetest.MinIO(t)
	e := newEnvWith(t, store)
	carl := e.login("carl")
	acme := e.caseID("Acme strategy review")
	content := []byte("%PDF-1.4\n% minutes of the kick-off\n")
	r := e.upload(carl, acme, "../../etc/Kick-off minutes.pdf", "application/pdf", content)
	if r.Status != http.StatusCreated {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	id := r.Doc["data"].(map[string]any)["id"].(string)
	var f model.File
	if err := e.db.NewSelect().Model(&f).Where("id = ?", id).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.Name != "Kick-off minutes.pdf" || f.StorageKey == nil || strings.Contains(*f.StorageKey, "Kick-off") ||
		!strings.HasPrefix(*f.StorageKey, "cases/"+acme+"/") {
		t.Fatalf("name %q, key %v: the key must be the server's, the name only metadata", f.Name, f.StorageKey)
	}
	rc, _, err := store.Get(context.Background(), *f.StorageKey)
	if err != nil {
		t.Fatalf("object not in MinIO: %v", err)
	}
	stored, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(stored, content) {
		t.Fatal("MinIO holds other bytes")
	}

	t.Run("a member downloads it as an attachment", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/files/" + id + "/content", token: e.login("erik")})
		if r.Status != http.StatusOK || !bytes.Equal(r.Body, content) {
			t.Fatalf("status %d, %d bytes", r.Status, len(r.Body))
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("headers %v", r.Header)
		}
	})
	t.Run("rule CASE-1: an outsider gets 404", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/api/v1/files/" + id + "/content", token: e.login("kim")})
		if r.Status != http.StatusNotFound {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("rule CASE-4: a plain member may not upload", func(t *testing.T) {
		r := e.upload(e.login("erik"), acme, "x.txt", "text/plain", []byte("hello"))
		if r.Status != http.StatusForbidden {
			t.Fatalf("status %d", r.Status)
		}
	})
	t.Run("a phase field before the file puts it on the phase; a NUL in a field is a 400", func(t *testing.T) {
		var phase model.Phase
		if err := e.db.NewSelect().Model(&phase).Where("case_id = ?", acme).Limit(1).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		r := e.uploadWith(carl, acme, "plan.txt", "text/plain", []byte("plan"), map[string]string{"phase": strconv.FormatInt(phase.ID, 10)})
		if r.Status != http.StatusCreated {
			t.Fatalf("upload with phase: %d %s", r.Status, r.Body)
		}
		var f model.File
		if err := e.db.NewSelect().Model(&f).Where("id = ?", r.Doc["data"].(map[string]any)["id"]).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if f.PhaseID == nil || *f.PhaseID != phase.ID {
			t.Fatalf("phase %v, want %d", f.PhaseID, phase.ID)
		}
		before := e.fileRows()
		r = e.uploadWith(carl, acme, "plan.txt", "text/plain", []byte("plan"), map[string]string{"note": "a\x00b"})
		if r.Status != http.StatusBadRequest || e.fileRows() != before {
			t.Fatalf("NUL field: %d, rows %d → %d", r.Status, before, e.fileRows())
		}
	})
	t.Run("oversize is 413 and stores nothing", func(t *testing.T) {
		before := e.fileRows()
		r := e.upload(carl, acme, "big.bin", "application/octet-stream", bytes.Repeat([]byte{1}, 65<<10))
		if r.Status != http.StatusRequestEntityTooLarge || e.fileRows() != before {
			t.Fatalf("status %d, rows %d→%d", r.Status, before, e.fileRows())
		}
	})
	t.Run("content that contradicts its type is 400 and stores nothing", func(t *testing.T) {
		before := e.fileRows()
		r := e.upload(carl, acme, "cat.png", "image/png", []byte("<html><script>alert(1)</script></html>"))
		if r.Status != http.StatusBadRequest || e.fileRows() != before {
			t.Fatalf("status %d, rows %d→%d: %s", r.Status, before, e.fileRows(), r.Body)
		}
	})
	t.Run("deleting removes row and object", func(t *testing.T) {
		r := e.do(call{method: "DELETE", path: "/api/v1/files/" + id, token: carl})
		if r.Status != http.StatusNoContent {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if _, _, err := store.Get(context.Background(), *f.StorageKey); err == nil {
			t.Fatal("object still in MinIO")
		}
	})
}

// TestUploadWithStorageDown: MinIO stopped → 503, no row, and the client is told why.
func TestUploadWithStorageDown(t *testing.T) {
	srv := storagetest.Start(t)
	store := srv.New(t)
	e := newEnvWith(t, store)
	carl := e.login("carl")
	acme := e.caseID("Acme strategy review")
	srv.Stop()
	r := e.upload(carl, acme, "notes.txt", "text/plain", []byte("notes"))
	if r.Status != http.StatusServiceUnavailable || r.errorCode() != "unavailable" {
		t.Fatalf("status %d: %s", r.Status, r.Body)
	}
	if e.fileRows() != 0 {
		t.Fatal("a row was written although the object was not stored")
	}
	var _ storage.Store = store
}
