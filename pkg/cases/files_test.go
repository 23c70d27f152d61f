package cases_test

import (
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/apperr"
	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/jsonapi"
)

// rule CASE-4: owner-like users add links and change files and links; members only view
// them (CASE-2); a contact with Upload adds links (EXT-2) but changes none (EXT-6).
func TestLinks(t *testing.T) {
	w := newPartsWorld(t)
	caseID := w.caseID(partsCase)
	carl, erik, kim := w.employee("carl"), w.employee("erik"), w.employee("kim")
	in := cases.FileInput{CaseID: &caseID, URL: partsPtr("https://example.com/plan")}
	aino := w.contact(partsAino, partsRights{upload: true})

	t.Run("create", func(t *testing.T) {
		_, err := w.svc.CreateLink(w.ctx, erik, in)
		partsCode(t, err, apperr.Forbidden)
		_, err = w.svc.CreateLink(w.ctx, kim, in)
		partsCode(t, err, apperr.NotFound)
		_, err = w.svc.CreateLink(w.ctx, carl, cases.FileInput{CaseID: &caseID, URL: partsPtr("javascript:alert(1)")})
		partsCode(t, err, apperr.Invalid)
		_, err = w.svc.CreateLink(w.ctx, carl, cases.FileInput{CaseID: &caseID, URL: in.URL, PhaseID: jsonapi.Nullable[int64]{Set: true, Null: true}})
		partsCode(t, err, apperr.Invalid)
	})
	link, err := w.svc.CreateLink(w.ctx, carl, in)
	partsCode(t, err, "")
	if link.Kind != cases.KindLink || link.Name != "example.com" || link.Version != 1 || !link.Mine {
		t.Fatalf("link %+v", link)
	}

	t.Run("view", func(t *testing.T) {
		_, err := w.svc.File(w.ctx, erik, link.ID)
		partsCode(t, err, "")
		_, err = w.svc.File(w.ctx, kim, link.ID)
		partsCode(t, err, apperr.NotFound)
		rows, err := w.svc.FilesByID(w.ctx, kim, []int64{link.ID})
		partsCode(t, err, "")
		if len(rows) != 0 {
			t.Fatalf("batch %+v", rows)
		}
	})
	t.Run("update", func(t *testing.T) {
		phase, other := w.phaseID(partsCase, "Discovery"), w.phaseID(partsOther, "Analysis")
		_, err := w.svc.UpdateFile(w.ctx, erik, link.ID, cases.FileInput{Name: partsPtr("Plan")}, domain.Version(1))
		partsCode(t, err, apperr.Forbidden)
		_, err = w.svc.UpdateFile(w.ctx, carl, link.ID, cases.FileInput{PhaseID: jsonapi.Nullable[int64]{Set: true, Value: other}}, domain.Version(1))
		partsCode(t, err, apperr.Invalid)
		_, err = w.svc.UpdateFile(w.ctx, carl, link.ID, cases.FileInput{Name: partsPtr("Plan")}, domain.Version(3))
		partsCode(t, err, apperr.Stale)
		f, err := w.svc.UpdateFile(w.ctx, carl, link.ID, cases.FileInput{Name: partsPtr(" Plan "), URL: partsPtr("https://example.org/"),
			PhaseID: jsonapi.Nullable[int64]{Set: true, Value: phase}}, domain.Version(1))
		partsCode(t, err, "")
		if f.Name != "Plan" || f.URL != "https://example.org/" || f.PhaseID == nil || *f.PhaseID != phase || f.Version != 2 {
			t.Fatalf("link %+v", f)
		}
	})
	t.Run("EXT-6: a contact changes no file", func(t *testing.T) {
		_, err := w.svc.UpdateFile(w.ctx, aino, link.ID, cases.FileInput{Name: partsPtr("Ours")}, domain.AnyVersion)
		partsCode(t, err, apperr.Forbidden)
		partsCode(t, w.files.DeleteFile(w.ctx, aino, link.ID), apperr.Forbidden)
	})
	t.Run("EXT-2, EXT-7: a contact with Upload adds a link, as their own", func(t *testing.T) {
		l, err := w.svc.CreateLink(w.ctx, aino, cases.FileInput{CaseID: &caseID, URL: partsPtr("https://customer.example/brief"), Name: partsPtr("Brief")})
		partsCode(t, err, "")
		if l.UploadedByContactID == nil || *l.UploadedByContactID != aino.Contact.ID || l.UploadedByUserID != nil || l.Name != "Brief" {
			t.Fatalf("link %+v", l)
		}
		if n := w.changes("files", l.ID); n != 1 {
			t.Fatalf("history entries of the contact's link: %d, want 1", n)
		}
		_, err = w.svc.CreateLink(w.ctx, aino, cases.FileInput{CaseID: &caseID, URL: partsPtr("javascript:alert(1)")})
		partsCode(t, err, apperr.Invalid)
		_, err = w.svc.CreateLink(w.ctx, aino, cases.FileInput{CaseID: &caseID, URL: partsPtr("https://x.example/" + strings.Repeat("a", 2000))})
		partsCode(t, err, apperr.Invalid)
		_, err = w.svc.CreateLink(w.ctx, aino, cases.FileInput{CaseID: &caseID, URL: in.URL, Name: partsPtr(strings.Repeat("n", 256))})
		partsCode(t, err, apperr.Invalid)
	})
	t.Run("EXT-2, EXT-8: a contact without Upload adds no link", func(t *testing.T) {
		mikko := w.contact(partsMikko, partsRights{comment: true})
		_, err := w.svc.CreateLink(w.ctx, mikko, cases.FileInput{CaseID: &caseID, URL: partsPtr("https://customer.example/")})
		partsCode(t, err, apperr.Forbidden)
		w.sections(true, false) // without the Other section, files do not exist for them
		defer w.sections(true, true)
		_, err = w.svc.CreateLink(w.ctx, mikko, cases.FileInput{CaseID: &caseID, URL: partsPtr("https://customer.example/")})
		partsCode(t, err, apperr.NotFound)
	})
	t.Run("delete", func(t *testing.T) {
		partsCode(t, w.files.DeleteFile(w.ctx, erik, link.ID), apperr.Forbidden)
		partsCode(t, w.files.DeleteFile(w.ctx, carl, link.ID), "")
		_, err := w.svc.File(w.ctx, carl, link.ID)
		partsCode(t, err, apperr.NotFound)
	})
}

// rules EXT-2, EXT-3, EXT-8: a contact sees files with the Other section or the Upload right.
func TestCaseFiles(t *testing.T) {
	w := newPartsWorld(t)
	caseID := w.caseID(partsCase)
	link, err := w.svc.CreateLink(w.ctx, w.employee("carl"), cases.FileInput{CaseID: &caseID, URL: partsPtr("https://example.com/")})
	partsCode(t, err, "")
	aino := w.contact(partsAino, partsRights{})
	mikko := w.contact(partsMikko, partsRights{upload: true})
	w.sections(true, false)

	t.Run("EXT-3: without Other a contact has no files", func(t *testing.T) {
		_, _, err := w.svc.CaseFiles(w.ctx, aino, caseID, domain.Window{Limit: 10})
		partsCode(t, err, apperr.NotFound)
		_, err = w.svc.File(w.ctx, aino, link.ID)
		partsCode(t, err, apperr.NotFound)
	})
	t.Run("EXT-2: the Upload right shows them", func(t *testing.T) {
		rows, n, err := w.svc.CaseFiles(w.ctx, mikko, caseID, domain.Window{Limit: 10})
		partsCode(t, err, "")
		if n != 1 || rows[0].ID != link.ID || rows[0].Mine || rows[0].UploaderName != "Carl Consulting-Lead" {
			t.Fatalf("%d: %+v", n, rows)
		}
	})
}
