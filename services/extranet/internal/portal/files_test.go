package portal_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
	"github.com/caseroom/caseroom/pkg/storage/storagetest"
)

// recordingStore remembers the keys the portal stored under, so that a test can prove an
// object is gone after a failed upload.
type recordingStore struct {
	storage.Store
	mu   sync.Mutex
	keys []string
}

func (r *recordingStore) Put(ctx context.Context, key string, body io.Reader, size int64, contentType string) error {
	r.mu.Lock()
	r.keys = append(r.keys, key)
	r.mu.Unlock()
	return r.Store.Put(ctx, key, body, size, contentType)
}

// mustBeGone fails unless no key the portal stored under holds an object.
func (r *recordingStore) mustBeGone(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.keys) == 0 {
		t.Fatal("nothing was sent to the store; the test proves nothing")
	}
	for _, k := range r.keys {
		rc, _, err := r.Store.Get(context.Background(), k)
		if err == nil {
			rc.Close()
			t.Fatalf("object %s is still in the store", k)
		}
		if !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("get %s: %v", k, err)
		}
	}
	r.keys = nil
}

func (e *env) upload(token string, caseID int64, name, contentType string, content []byte) response {
	e.t.Helper()
	body, ct := multipartBody(nil, name, contentType, content)
	return e.do(call{method: "POST", path: "/portal/v1/cases/" + id(caseID) + "/files", token: token, body: body, contentType: ct})
}

func (e *env) fileRows(caseID int64) int64 {
	return e.rowCount("files", "case_id = ?", caseID)
}

// rules EXT-2, EXT-7: with the Upload right a contact adds files; the content streams to a
// real MinIO under a key the server makes, the row names the contact, and the download is
// an attachment that is never sniffed.
func TestUploadAndDownload(t *testing.T) {
	store := storagetest.MinIO(t)
	e := newEnv(t, options{files: store})
	token := e.sharedWith(t)
	caseID, contact := e.caseID(strategy), e.contactID(aino)
	content := []byte("Minutes of the steering group.\n")

	r := e.upload(token, caseID, `..\..\secret/../Minutes "draft".txt`, "text/plain", content).must(t, http.StatusCreated)
	a := attrs(r.data())
	if a["name"] != `Minutes "draft".txt` || a["size"] != float64(len(content)) || a["mine"] != true ||
		!strings.HasPrefix(a["contentType"].(string), "text/plain") {
		t.Fatalf("answer %s", r.Body)
	}
	var f model.File
	if err := e.db.NewSelect().Model(&f).Where("id = ?", atoi(r.data()["id"].(string))).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if f.StorageKey == nil || !strings.HasPrefix(*f.StorageKey, "cases/"+id(caseID)+"/") || strings.Contains(*f.StorageKey, "Minutes") ||
		f.UploadedByContactID == nil || *f.UploadedByContactID != contact || f.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("row %+v", f)
	}
	if rec := e.lastChange("files", f.ID); rec.Action != "create" || rec.ActorContactID == nil || *rec.ActorContactID != contact {
		t.Fatalf("history %+v", rec)
	}
	t.Run("the object is in MinIO under the server's key", func(t *testing.T) {
		rc, info, err := store.Get(context.Background(), *f.StorageKey)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		got, _ := io.ReadAll(rc)
		if !bytes.Equal(got, content) || info.Size != int64(len(content)) {
			t.Fatalf("stored %q", got)
		}
	})
	t.Run("download is an attachment with nosniff", func(t *testing.T) {
		r := e.do(call{method: "GET", path: "/portal/v1/files/" + id(f.ID) + "/download", token: token}).must(t, http.StatusOK)
		if !bytes.Equal(r.Body, content) {
			t.Fatalf("body %q", r.Body)
		}
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "Minutes") {
			t.Fatalf("Content-Disposition %q", cd)
		}
		if r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("headers %v", r.Header)
		}
	})
	t.Run("the list shows it", func(t *testing.T) {
		list := e.do(call{method: "GET", path: "/portal/v1/cases/" + id(caseID) + "/files", token: token}).must(t, http.StatusOK).dataList()
		if len(list) != 1 || list[0]["meta"].(map[string]any)["download"] != "/portal/v1/files/"+id(f.ID)+"/download" {
			t.Fatalf("list %v", list)
		}
	})
}

// rules EXT-2, EXT-7: a download may instead be a short-lived link straight to MinIO,
// which still hands the file over as an attachment.
func TestPresignedDownload(t *testing.T) {
	e := newEnv(t, options{files: storagetest.MinIO(t), presign: true})
	token := e.sharedWith(t)
	r := e.upload(token, e.caseID(strategy), "plan.txt", "text/plain", []byte("the plan")).must(t, http.StatusCreated)
	d := e.do(call{method: "GET", path: "/portal/v1/files/" + r.data()["id"].(string) + "/download", token: token}).must(t, http.StatusSeeOther)
	resp, err := http.Get(d.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "the plan" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("MinIO answered %d %q, Content-Disposition %q", resp.StatusCode, body, resp.Header.Get("Content-Disposition"))
	}
}

// rule EXT-2: an upload and its row succeed or fail together; a refused or failed upload
// leaves neither a row nor an object.
func TestUploadFailuresLeaveNothing(t *testing.T) {
	store := &recordingStore{Store: storagetest.MinIO(t)}
	e := newEnv(t, options{files: store, maxUpload: 1024})
	token := e.sharedWith(t)
	caseID := e.caseID(strategy)

	t.Run("larger than the limit is a 413", func(t *testing.T) {
		r := e.upload(token, caseID, "big.bin", "application/octet-stream", bytes.Repeat([]byte("x"), 1025)).must(t, http.StatusRequestEntityTooLarge)
		_ = r
		if e.fileRows(caseID) != 0 {
			t.Fatal("a row was written")
		}
		store.mustBeGone(t)
	})
	t.Run("a body announcing more than the limit is refused before it is read", func(t *testing.T) {
		e.upload(token, caseID, "big.bin", "application/octet-stream", bytes.Repeat([]byte("x"), 1024+70<<10)).
			must(t, http.StatusRequestEntityTooLarge)
		if e.fileRows(caseID) != 0 {
			t.Fatal("a row was written")
		}
	})
	t.Run("content that does not match its type is a 400", func(t *testing.T) {
		e.upload(token, caseID, "cat.png", "image/png", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")).
			must(t, http.StatusBadRequest)
		if e.fileRows(caseID) != 0 {
			t.Fatal("a row was written")
		}
	})
	t.Run("an empty file is a 400", func(t *testing.T) {
		e.upload(token, caseID, "empty.txt", "text/plain", nil).must(t, http.StatusBadRequest)
	})
	t.Run("no file part is a 400", func(t *testing.T) {
		e.do(call{method: "POST", path: "/portal/v1/cases/" + id(caseID) + "/files", token: token, lax: true,
			body: "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--\r\n", contentType: "multipart/form-data; boundary=b"}).
			must(t, http.StatusBadRequest)
	})
	t.Run("not multipart is a 415", func(t *testing.T) {
		e.do(call{method: "POST", path: "/portal/v1/cases/" + id(caseID) + "/files", token: token, lax: true,
			body: "hello", contentType: "text/plain"}).must(t, http.StatusUnsupportedMediaType)
	})
	t.Run("a database failure after the object was stored deletes the object", func(t *testing.T) {
		failFileInserts(t, e)
		e.upload(token, caseID, "notes.txt", "text/plain", []byte("notes")).must(t, http.StatusInternalServerError)
		if e.fileRows(caseID) != 0 {
			t.Fatal("a row was written")
		}
		store.mustBeGone(t)
	})
}

// failFileInserts makes every insert into files fail, as a database error would.
func failFileInserts(t *testing.T, e *env) {
	t.Helper()
	stmts := []string{"CREATE TRIGGER files_fail BEFORE INSERT ON files BEGIN SELECT RAISE(ABORT, 'injected failure'); END"}
	if dbtest.IsPostgres() {
		stmts = []string{
			"CREATE FUNCTION files_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
			"CREATE TRIGGER files_fail BEFORE INSERT ON files FOR EACH ROW EXECUTE FUNCTION files_fail()",
		}
	}
	for _, s := range stmts {
		if _, err := e.db.ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rule EXT-2: when MinIO is down an upload is a 503 and nothing is saved. The replica stays
// ready (/readyz checks the database only): it still serves everything but file content, so a
// store outage must not take every replica out of the balancer.
func TestUploadWithStorageDown(t *testing.T) {
	srv := storagetest.Start(t)
	store := srv.New(t)
	e := newEnv(t, options{files: store})
	token := e.sharedWith(t)
	caseID := e.caseID(strategy)
	e.upload(token, caseID, "before.txt", "text/plain", []byte("up")).must(t, http.StatusCreated)
	srv.Stop()
	r := e.upload(token, caseID, "after.txt", "text/plain", []byte("down")).must(t, http.StatusServiceUnavailable)
	if r.errorCode() != "unavailable" {
		t.Fatalf("code %s: %s", r.errorCode(), r.Body)
	}
	if n := e.fileRows(caseID); n != 1 {
		t.Fatalf("%d rows, want only the first upload's", n)
	}
	e.do(call{method: "GET", path: "/readyz"}).must(t, http.StatusOK)
	e.do(call{method: "GET", path: "/portal/v1/cases/" + id(caseID), token: token}).must(t, http.StatusOK)
}
