package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/caseroom/caseroom/pkg/cases"
	"github.com/caseroom/caseroom/pkg/crm"
	"github.com/caseroom/caseroom/pkg/domain"
	"github.com/caseroom/caseroom/pkg/domain/domaintest"
)

// rules EXT-2, EXT-3: a contact who opted in hears of work hours waiting for them only
// with the Approve right, and of new files and links only when they see files; in their
// own language, with what is still true when the mail is written.
func TestOptInMails(t *testing.T) {
	w := newWorld(t)
	who := w.share("carl", map[string]domaintest.Rights{aino: {Approve: true}, mikko: {Comment: true}})
	_, err := w.crm.SetPreferences(w.ctx, who[aino], crm.PreferencesInput{Locale: ptr("fi"), NotifyPendingHours: ptr(true), NotifyNewFiles: ptr(true)})
	mustOK(t, err)
	_, err = w.crm.SetPreferences(w.ctx, who[mikko], crm.PreferencesInput{NotifyPendingHours: ptr(true), NotifyNewFiles: ptr(true)})
	mustOK(t, err)
	carl := domaintest.Employee(t, w.env.DB, "carl")
	caseID := w.caseID(strategy)

	hours := w.hours(3)
	_, err = w.cases.CreateLink(w.ctx, carl, cases.FileInput{CaseID: &caseID, URL: ptr("https://northwind.example/report"), Name: ptr("Final report")})
	mustOK(t, err)
	// Aino decides one of the hours before the mail leaves: it no longer waits for her.
	_, err = w.work.DecideHour(w.ctx, who[aino], hours[0], true, "", domain.AnyVersion)
	mustOK(t, err)
	w.clock.Add(15 * time.Minute)
	if n := w.deliver(); n != 3 {
		t.Fatalf("%d digests, want 3: aino, mikko and carl (who hears of aino's approval)", n)
	}

	t.Run("the contact with the Approve right hears of hours and files, in Finnish", func(t *testing.T) {
		m := w.only(aino)
		if m.Subject != "Caseroom: 3 päivitystä asioissasi" {
			t.Errorf("subject %q", m.Subject)
		}
		mustContain(t, m.Text, "Hei Aino,", "- 2 tuntikirjausta (3,00 h) odottaa hyväksyntääsi asiassa Acme strategy review",
			"- Uusi linkki asiassa Acme strategy review: Final report",
			"Avaa portaali: "+portal+"/cases/", portal+"/preferences")
		stopLink(t, m, "Lopeta nämä viestit")
		mustContain(t, m.HTML, `<html lang="fi">`, "odottaa hyväksyntääsi")
	})
	t.Run("the contact without the Approve right hears of files only", func(t *testing.T) {
		m := w.only(mikko)
		mustContain(t, m.Text, "Hello Mikko,", "- A new link on Acme strategy review: Final report")
		if strings.Contains(m.Text, "approval") {
			t.Errorf("mikko may not approve, yet hears of hours:\n%s", m.Text)
		}
	})
	t.Run("a contact who did not opt in hears nothing", func(t *testing.T) {
		_, err := w.crm.SetPreferences(w.ctx, who[mikko], crm.PreferencesInput{NotifyNewFiles: ptr(false)})
		mustOK(t, err)
		w.hours(1)
		_, err = w.cases.CreateLink(w.ctx, carl, cases.FileInput{CaseID: &caseID, URL: ptr("https://northwind.example/annex")})
		mustOK(t, err)
		w.clock.Add(15 * time.Minute)
		if n := w.deliver(); n != 1 {
			t.Fatalf("%d digests, want aino's only", n)
		}
		if got := w.box.To(mikko); len(got) != 1 {
			t.Fatalf("%d mails to mikko", len(got))
		}
	})
	t.Run("a contact hears nothing of their own actions", func(t *testing.T) {
		_, err := w.cases.CreateLink(w.ctx, domaintest.Contact(t, w.env.DB, mikko, "Acme platform migration",
			domaintest.Sections{Other: true}, domaintest.Rights{Upload: true}), cases.FileInput{CaseID: ptr(w.caseID("Acme platform migration")),
			URL: ptr("https://acme.example/x")})
		mustOK(t, err)
		n, err := w.env.DB.NewSelect().Table("news_items").Where("recipient_contact_id IS NOT NULL AND sent_at IS NULL").Count(w.ctx)
		mustOK(t, err)
		if n != 0 {
			t.Fatalf("%d news items for contacts", n)
		}
	})
}

// rule EXT-5: news for a contact whose share expired before the mail is written is dropped,
// not sent.
func TestOptInMailsFollowTheShare(t *testing.T) {
	w := newWorld(t)
	who := w.share("carl", map[string]domaintest.Rights{aino: {Approve: true}})
	_, err := w.crm.SetPreferences(w.ctx, who[aino], crm.PreferencesInput{NotifyPendingHours: ptr(true)})
	mustOK(t, err)
	w.hours(2)
	_, err = w.env.DB.NewUpdate().Table("share_contacts").Set("expires_at = ?", w.clock.Now().Add(time.Minute)).
		Where("contact_id = ?", w.contactID(aino)).Exec(w.ctx)
	mustOK(t, err)
	w.clock.Add(15 * time.Minute)
	if n := w.deliver(); n != 0 {
		t.Fatalf("%d digests after the share expired", n)
	}
	w.none(aino)
	n, err := w.env.DB.NewSelect().Table("news_items").Where("sent_at IS NULL").Count(w.ctx)
	mustOK(t, err)
	if n != 0 {
		t.Fatalf("%d news items left waiting", n)
	}
}
