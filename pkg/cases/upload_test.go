package cases_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/db/dbtest"
	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage"
)

func partsUpload(caseID int64, name, content string) cases.Upload {
	return cases.Upload{CaseID: caseID, Name: name, DeclaredType: "text/plain", Body: strings.NewReader(content)}
}

// rules CASE-4, EXT-2, EXT-6, EXT-7: one AddFile for owner-like employees and for contacts
// with the Upload right; the content goes to the store under the server's key, comes back
// through Open, and leaves with DeleteFile.
func TestAddFile(t *testing.T) {
	w := newPartsWorld(t)
	caseID, phase := w.caseID(partsCase), w.phaseID(partsCase, "Discovery")
	carl, erik, kim := w.employee("carl"), w.employee("erik"), w.employee("kim")
	aino := w.contact(partsAino, partsRights{upload: true})
	mikko := w.contact(partsMikko, partsRights{comment: true})

	t.Run("access is decided before the body is read", func(t *testing.T) {
		partsCode(t, w.files.CheckUpload(w.ctx, carl, caseID), "")
		partsCode(t, w.files.CheckUpload(w.ctx, erik, caseID), apperr.Forbidden)
		partsCode(t, w.files.CheckUpload(w.ctx, kim, caseID), apperr.NotFound)
		partsCode(t, w.files.CheckUpload(w.ctx, aino, caseID), "")
		partsCode(t, w.files.CheckUpload(w.ctx, mikko, caseID), apperr.Forbidden)
		partsCode(t, w.svc.WithFiles(nil, 0).CheckUpload(w.ctx, carl, caseID), apperr.Unavailable)
	})
	t.Run("refused content stores nothing", func(t *testing.T) {
		_, err := w.files.AddFile(w.ctx, carl, partsUpload(caseID, "empty.txt", ""))
		partsCode(t, err, apperr.Invalid)
		_, err = w.files.AddFile(w.ctx, carl, partsUpload(caseID, "big.txt", strings.Repeat("x", 1025)))
		partsCode(t, err, apperr.TooLarge)
		_, err = w.files.AddFile(w.ctx, carl, partsUpload(caseID, "../", "x"))
		partsCode(t, err, apperr.Invalid)
		up := partsUpload(caseID, "plan.txt", "x")
		up.PhaseID = partsPtr(w.phaseID(partsOther, "Analysis"))
		_, err = w.files.AddFile(w.ctx, carl, up)
		partsCode(t, err, apperr.Invalid)
		if n, _ := w.db.NewSelect().Model((*model.File)(nil)).Where("case_id = ?", caseID).Count(w.ctx); n != 0 {
			t.Fatalf("%d rows", n)
		}
	})
	t.Run("EXT-7: a contact's upload is theirs", func(t *testing.T) {
		f, err := w.files.AddFile(w.ctx, aino, partsUpload(caseID, `..\..\Minutes.txt`, "Minutes"))
		partsCode(t, err, "")
		if f.Name != "Minutes.txt" || f.UploadedByContactID == nil || *f.UploadedByContactID != aino.Contact.ID || !f.Mine ||
			!strings.HasPrefix(*f.StorageKey, "cases/") || strings.Contains(*f.StorageKey, "Minutes") {
			t.Fatalf("file %+v", f)
		}
		if rec := w.lastChange("files", f.ID); rec.ActorContactID == nil || *rec.ActorContactID != aino.Contact.ID {
			t.Fatalf("history %+v", rec)
		}
	})
	up := partsUpload(caseID, "plan.txt", "The plan")
	up.PhaseID = &phase
	f, err := w.files.AddFile(w.ctx, carl, up)
	partsCode(t, err, "")
	if f.PhaseID == nil || *f.PhaseID != phase || f.SizeBytes != 8 {
		t.Fatalf("file %+v", f)
	}
	t.Run("CASE-2: a member downloads it; an outsider cannot", func(t *testing.T) {
		got, rc, _, err := w.files.Open(w.ctx, erik, f.ID)
		partsCode(t, err, "")
		content, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(content, []byte("The plan")) || got.Name != "plan.txt" {
			t.Fatalf("content %q", content)
		}
		_, _, _, err = w.files.Open(w.ctx, kim, f.ID)
		partsCode(t, err, apperr.NotFound)
		_, ok, err := w.files.PresignDownload(w.ctx, erik, f.ID, 0)
		if err != nil || ok {
			t.Fatalf("a disk store signs no links: %v %v", ok, err)
		}
	})
	t.Run("a link has no content", func(t *testing.T) {
		link, err := w.svc.CreateLink(w.ctx, carl, cases.FileInput{CaseID: &caseID, URL: partsPtr("https://example.com/")})
		partsCode(t, err, "")
		_, _, _, err = w.files.Open(w.ctx, carl, link.ID)
		partsCode(t, err, apperr.NotFound)
	})
	t.Run("CASE-4: deleting removes the row and the object", func(t *testing.T) {
		partsCode(t, w.files.DeleteFile(w.ctx, erik, f.ID), apperr.Forbidden)
		partsCode(t, w.files.DeleteFile(w.ctx, carl, f.ID), "")
		if _, _, err := w.store.Get(context.Background(), *f.StorageKey); !errors.Is(err, apperr.ErrNotFound) {
			t.Fatalf("object: %v", err)
		}
	})
}

// rule EXT-2: an upload and its row succeed or fail together: when the row cannot be written
// the object goes too.
func TestAddFileFailureLeavesNoObject(t *testing.T) {
	w := newPartsWorld(t)
	caseID := w.caseID(partsCase)
	store := &partsRecordingStore{Store: w.store}
	stmts := []string{"CREATE TRIGGER files_fail BEFORE INSERT ON files BEGIN SELECT RAISE(ABORT, 'injected failure'); END"}
	if dbtest.IsPostgres() {
		stmts = []string{
			"CREATE FUNCTION files_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$",
			"CREATE TRIGGER files_fail BEFORE INSERT ON files FOR EACH ROW EXECUTE FUNCTION files_fail()",
		}
	}
	for _, s := range stmts {
		if _, err := w.db.ExecContext(w.ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	_, err := w.svc.WithFiles(store, 1024).AddFile(w.ctx, w.employee("carl"), partsUpload(caseID, "notes.txt", "notes"))
	if err == nil || apperr.CodeOf(err) != apperr.Internal {
		t.Fatalf("error %v, want an internal one", err)
	}
	if len(store.keys) != 1 {
		t.Fatalf("stored under %v; the test proves nothing", store.keys)
	}
	if _, _, err := w.store.Get(w.ctx, store.keys[0]); !errors.Is(err, apperr.ErrNotFound) {
		t.Fatalf("object %s: %v", store.keys[0], err)
	}
}

// partsRecordingStore remembers the keys stored under.
type partsRecordingStore struct {
	storage.Store
	keys []string
}

func (r *partsRecordingStore) Put(ctx context.Context, key string, body io.Reader, size int64, contentType string) error {
	r.keys = append(r.keys, key)
	return r.Store.Put(ctx, key, body, size, contentType)
}
