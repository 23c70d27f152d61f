package portal_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/caseroom/caseroom/pkg/model"
	"github.com/caseroom/caseroom/pkg/storage/storagetest"
)

// firstPendingHour returns a pending hour of the case that is not invoiced.
func (e *env) firstPendingHour(caseID int64) model.WorkHour {
	e.t.Helper()
	var h model.WorkHour
	if err := e.db.NewSelect().Model(&h).Where("case_id = ? AND approval_status = 'pending' AND invoice_id IS NULL", caseID).
		OrderExpr("id").Limit(1).Scan(context.Background()); err != nil {
		e.t.Fatal(err)
	}
	return h
}

// rules EXT-6, EXT-7: after each form the confirmation is where the contact acted: at the
// row of the hour, phase, comment or file, or at the section of a row that left the list,
// in the contact's language.
func TestFeedbackInPlace(t *testing.T) {
	store := storagetest.MinIO(t)
	e := newEnv(t, options{files: store})
	caseID := e.caseID(strategy)
	casePath := "/cases/" + id(caseID)
	b := e.sharedBrowser(t)
	csrf := b.csrf(b.get(casePath))

	for _, tc := range []struct{ lang, approved, rejected, status, comment, file, link string }{
		{"en", "The work hour is approved.", "The work hour is rejected.", "The status is changed.", "Your comment is posted.", "The file is uploaded.", "The link is added."},
		{"fi", "Työtunti on hyväksytty.", "Työtunti on hylätty.", "Tila on vaihdettu.", "Kommenttisi on lähetetty.", "Tiedosto on ladattu.", "Linkki on lisätty."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b.lang = tc.lang
			defer func() { b.lang = "" }()
			check := func(t *testing.T, r response, at, text string) {
				t.Helper()
				page := b.get(r.Header.Get("Location")).must(t, http.StatusOK)
				if got := noteRow(t, page); got != at || !strings.Contains(noteText(t, string(page.Body)), text) {
					t.Fatalf("the note %q is at %q, want %q at %q", noteText(t, string(page.Body)), got, text, at)
				}
				if !strings.HasSuffix(r.Header.Get("Location"), "#note") {
					t.Fatalf("the redirect %q does not lead to the note", r.Header.Get("Location"))
				}
			}
			h := e.firstPendingHour(caseID)
			t.Run("approve in the list of hours: at the row", func(t *testing.T) {
				r := b.post("/hours/"+id(h.ID)+"/approve", url.Values{"csrf": {csrf}, "version": {id(h.Version)}})
				check(t, r, "hour-"+id(h.ID), tc.approved)
			})
			h = e.firstPendingHour(caseID)
			t.Run("reject in the list of what waits: at that list, which it left", func(t *testing.T) {
				r := b.post("/hours/"+id(h.ID)+"/reject", url.Values{"csrf": {csrf}, "version": {id(h.Version)}, "from": {"waiting"},
					"comment": {"Not ours"}})
				check(t, r, "waiting", tc.rejected)
			})
			t.Run("status: at the status", func(t *testing.T) {
				var c model.Case
				if err := e.db.NewSelect().Model(&c).Where("id = ?", caseID).Scan(context.Background()); err != nil {
					t.Fatal(err)
				}
				next := map[string]string{"open": "in_progress"}[c.Status]
				if next == "" {
					next = "open"
				}
				r := b.post(casePath+"/status", url.Values{"csrf": {csrf}, "version": {id(c.Version)}, "status": {next}})
				check(t, r, "status", tc.status)
			})
			t.Run("comment: at the new comment", func(t *testing.T) {
				r := b.post(casePath+"/comments", url.Values{"csrf": {csrf}, "target": {"case"}, "body": {"Noted " + tc.lang}})
				at := strings.TrimSuffix(r.Header.Get("Location")[strings.Index(r.Header.Get("Location"), "at=")+3:], "#note")
				if !strings.HasPrefix(at, "comment-") {
					t.Fatalf("redirect %q", r.Header.Get("Location"))
				}
				check(t, r, at, tc.comment)
			})
			t.Run("upload: at the new file", func(t *testing.T) {
				body, ct := multipartBody(map[string]string{"csrf": csrf}, "notes-"+tc.lang+".txt", "text/plain", []byte("notes"))
				r := b.send("POST", casePath+"/files", body, ct)
				at := strings.TrimSuffix(r.Header.Get("Location")[strings.Index(r.Header.Get("Location"), "at=")+3:], "#note")
				check(t, r, at, tc.file)
			})
			t.Run("link: at the new link", func(t *testing.T) {
				r := b.post(casePath+"/links", url.Values{"csrf": {csrf}, "url": {"https://example.com/plan-" + tc.lang}})
				at := strings.TrimSuffix(r.Header.Get("Location")[strings.Index(r.Header.Get("Location"), "at=")+3:], "#note")
				check(t, r, at, tc.link)
			})
		})
	}
}

// rules EXT-2, EXT-6, EXT-8, WHA-8: a refused form is shown in words in the case page where
// the form was, with the refusal's status: never a bare status page. A case that is not
// shared stays a 404 page, in the reader's language, with a way back.
func TestFormErrorsInPage(t *testing.T) {
	e := newEnv(t, options{maxUpload: 1024})
	e.invite(e.share(strategy, allSections), aino, allRights, nil)
	e.invite(e.share(migration, sections{other: true}), aino, rights{}, nil)
	e.credential(aino, password, false)
	caseID := e.caseID(strategy)
	casePath := "/cases/" + id(caseID)
	b := e.signIn(t, aino)
	csrf := b.csrf(b.get(casePath))
	inPage := func(t *testing.T, r response, status int, at, text string) {
		t.Helper()
		r.must(t, status)
		if got := noteRow(t, r); got != at || !strings.Contains(string(r.Body), text) || !strings.Contains(string(r.Body), `id="case-name"`) {
			t.Fatalf("the note is at %q (want %q), or lacks %q: %s", got, at, text, noteText(t, string(r.Body)))
		}
		if !strings.Contains(noteText(t, string(r.Body)), "autofocus") {
			t.Fatal("the note of a re-rendered page does not take the focus")
		}
	}
	h := e.firstPendingHour(caseID)
	t.Run("412: changed meanwhile, in English and Finnish", func(t *testing.T) {
		inPage(t, b.post("/hours/"+id(h.ID)+"/approve", url.Values{"csrf": {csrf}, "version": {"99"}}), http.StatusPreconditionFailed,
			"hour-"+id(h.ID), "Someone changed this hour after you opened the page. Here it is as it is now; decide again.")
		b.lang = "fi"
		defer func() { b.lang = "" }()
		inPage(t, b.post("/hours/"+id(h.ID)+"/approve", url.Values{"csrf": {csrf}, "version": {"99"}}), http.StatusPreconditionFailed,
			"hour-"+id(h.ID), "Joku muutti tätä työtuntia sivun avaamisen jälkeen.")
	})
	t.Run("412: a reason typed stays in its field", func(t *testing.T) {
		r := b.post("/hours/"+id(h.ID)+"/reject", url.Values{"csrf": {csrf}, "version": {"99"}, "comment": {"Too many hours"}, "from": {"waiting"}})
		inPage(t, r, http.StatusPreconditionFailed, "wait-hour-"+id(h.ID), "Someone changed this hour")
		if !strings.Contains(string(r.Body), `id="reason-wait-hour-`+id(h.ID)+`" maxlength="2000" required placeholder="Why do you reject it?" value="Too many hours"`) {
			t.Fatal("the reason typed is lost")
		}
	})
	t.Run("409: an invoiced hour", func(t *testing.T) {
		var inv model.WorkHour
		if err := e.db.NewSelect().Model(&inv).Where("case_id = ? AND invoice_id IS NOT NULL", caseID).Limit(1).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		inPage(t, b.post("/hours/"+id(inv.ID)+"/reject", url.Values{"csrf": {csrf}, "version": {id(inv.Version)}, "comment": {"No"}}),
			http.StatusConflict, "hour-"+id(inv.ID), "This hour is already on an invoice")
	})
	t.Run("400: a rejection without a reason", func(t *testing.T) {
		inPage(t, b.post("/hours/"+id(h.ID)+"/reject", url.Values{"csrf": {csrf}, "version": {id(h.Version)}}),
			http.StatusBadRequest, "hour-"+id(h.ID), "Say why you reject it")
	})
	t.Run("400: an empty comment keeps what it was about", func(t *testing.T) {
		phase := id(e.firstID("phases", caseID))
		r := b.post(casePath+"/comments", url.Values{"csrf": {csrf}, "target": {"phase-" + phase}, "body": {"  "}})
		inPage(t, r, http.StatusBadRequest, "comment-form", "Write a comment of 1 to 5,000 characters.")
		if !strings.Contains(string(r.Body), `<option value="phase-`+phase+`" selected>`) {
			t.Fatal("the chosen target is lost")
		}
	})
	t.Run("412: the status changed meanwhile", func(t *testing.T) {
		inPage(t, b.post(casePath+"/status", url.Values{"csrf": {csrf}, "version": {"99"}, "status": {"closed"}}),
			http.StatusPreconditionFailed, "status", "Someone changed the case after you opened the page.")
	})
	t.Run("403: rule EXT-2, no Approve right", func(t *testing.T) {
		mid := e.caseID(migration)
		other := e.firstPendingHour(mid)
		inPage(t, b.post("/hours/"+id(other.ID)+"/approve", url.Values{"csrf": {csrf}, "version": {id(other.Version)}}),
			http.StatusForbidden, "hour-"+id(other.ID), "You may not approve or reject work hours of this case.")
	})
	t.Run("503: the file storage is down", func(t *testing.T) {
		body, ct := multipartBody(map[string]string{"csrf": csrf}, "a.txt", "text/plain", []byte("abc"))
		inPage(t, b.send("POST", casePath+"/files", body, ct), http.StatusServiceUnavailable, "upload-form",
			"The file storage is not available right now. Nothing was saved")
	})
	t.Run("404: rule EXT-8, a case not shared is a translated page with a way back", func(t *testing.T) {
		b.lang = "fi"
		defer func() { b.lang = "" }()
		body, r := b.page("/cases/"+id(e.caseID(pricing)), http.StatusNotFound)
		if !strings.Contains(body, "<h1>Ei löytynyt</h1>") || !strings.Contains(body, `id="back"`) || !strings.Contains(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("page: %s", body)
		}
		b.page("/cases/not-a-number", http.StatusNotFound)
	})
}

// A file larger than the limit is refused where the upload form is: before the session is
// looked at when the request says so (a redirect back with the message), or while it
// streams (the page with a 413).
func TestUploadTooLargeInPage(t *testing.T) {
	store := storagetest.MinIO(t)
	e := newEnv(t, options{files: store, maxUpload: 1024})
	casePath := "/cases/" + id(e.caseID(strategy))
	b := e.sharedBrowser(t)
	csrf := b.csrf(b.get(casePath))
	t.Run("declared too large", func(t *testing.T) {
		body, ct := multipartBody(map[string]string{"csrf": csrf}, "big.bin", "application/octet-stream", bytes.Repeat([]byte("x"), 200<<10))
		r := b.send("POST", casePath+"/files", body, ct)
		mustRedirect(t, r, casePath+"?failed=too-large&at=upload-form#note")
		page := b.get(r.Header.Get("Location")).must(t, http.StatusOK)
		if at := noteRow(t, page); at != "upload-form" || !strings.Contains(string(page.Body), "The file is larger than 1.00 KiB.") {
			t.Fatalf("the note is at %q: %s", at, noteText(t, string(page.Body)))
		}
	})
	t.Run("found too large while streaming", func(t *testing.T) {
		body, ct := multipartBody(map[string]string{"csrf": csrf}, "big.txt", "text/plain", bytes.Repeat([]byte("x"), 10<<10))
		r := b.send("POST", casePath+"/files", body, ct).must(t, http.StatusRequestEntityTooLarge)
		if at := noteRow(t, r); at != "upload-form" {
			t.Fatalf("the note is at %q", at)
		}
	})
}

var linkAnchor = regexp.MustCompile(`<a href="https://example\.com/brief" rel="noopener noreferrer" class="link">The brief</a>`)

// rule EXT-2: contacts with the Upload right add links beside files; without it a case
// that shows files refuses (403, in the page), and one that shows none is a 404.
func TestLinkForm(t *testing.T) {
	e := newEnv(t)
	e.invite(e.share(strategy, allSections), aino, rights{upload: true}, nil)
	e.invite(e.share(migration, sections{other: true}), aino, rights{comment: true}, nil)
	e.invite(e.share(pricing, allSections), sven, allRights, nil)
	e.credential(aino, password, false)
	caseID := e.caseID(strategy)
	casePath := "/cases/" + id(caseID)
	b := e.signIn(t, aino)
	csrf := b.csrf(b.get(casePath))

	t.Run("rule EXT-2: with Upload, a link is added and opens without the portal as referrer", func(t *testing.T) {
		body, _ := b.page(casePath, http.StatusOK)
		if !strings.Contains(body, `id="link-form"`) || !strings.Contains(body, `<label for="link-url">`) {
			t.Fatal("no link form")
		}
		r := b.post(casePath+"/links", url.Values{"csrf": {csrf}, "url": {"https://example.com/brief"}, "name": {"The brief"}})
		if !linkAnchor.MatchString(b.follow(r)) {
			t.Fatal("the link is not listed with rel=noopener noreferrer")
		}
		var f model.File
		if err := e.db.NewSelect().Model(&f).Where("case_id = ? AND kind = 'link'", caseID).Scan(context.Background()); err != nil {
			t.Fatal(err)
		}
		if f.UploadedByContactID == nil || *f.UploadedByContactID != e.contactID(aino) {
			t.Fatalf("link %+v", f)
		}
	})
	t.Run("an address that is not http(s) is refused in place, kept in the field", func(t *testing.T) {
		r := b.post(casePath+"/links", url.Values{"csrf": {csrf}, "url": {"javascript:alert(1)"}}).must(t, http.StatusBadRequest)
		if at := noteRow(t, r); at != "link-form" || !strings.Contains(string(r.Body), `value="javascript:alert(1)"`) {
			t.Fatalf("the note is at %q", at)
		}
	})
	t.Run("rule EXT-2: without Upload on a case that shows files, 403 in the page", func(t *testing.T) {
		mid := "/cases/" + id(e.caseID(migration))
		body, _ := b.page(mid, http.StatusOK)
		if strings.Contains(body, `id="link-form"`) {
			t.Fatal("a link form without the Upload right")
		}
		r := b.post(mid+"/links", url.Values{"csrf": {csrf}, "url": {"https://example.com/x"}}).must(t, http.StatusForbidden)
		if at := noteRow(t, r); at != "files" || !strings.Contains(string(r.Body), "You may not add links to this case.") {
			t.Fatalf("the note is at %q", at)
		}
	})
	t.Run("rule EXT-8: a case of another account is a 404", func(t *testing.T) {
		b.post("/cases/"+id(e.caseID(pricing))+"/links", url.Values{"csrf": {csrf}, "url": {"https://example.com/x"}}).must(t, http.StatusNotFound)
	})
	t.Run("rule EXT-3: without the Other section and without Upload, files do not exist: 404", func(t *testing.T) {
		if _, err := e.db.NewUpdate().Table("extranet_shares").Set("show_other = ?", false).Where("case_id = ?", e.caseID(migration)).
			Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		b.post("/cases/"+id(e.caseID(migration))+"/links", url.Values{"csrf": {csrf}, "url": {"https://example.com/x"}}).
			must(t, http.StatusNotFound)
	})
}

// The pages speak the contact's language: Finnish words, dates, hours and money with
// Accept-Language: fi.
func TestCasePageInFinnish(t *testing.T) {
	e := newEnv(t)
	b := e.sharedBrowser(t)
	b.lang = "fi"
	body, _ := b.page("/cases/"+id(e.caseID(strategy)), http.StatusOK)
	for _, want := range []string{`<html lang="fi">`, "<h2 id=\"hours-h\">Työtunnit</h2>", "Odottaa hyväksyntääsi", ",00 h</td>",
		" €</span>", "Hyväksy kaikki 6 odottavaa", `<option value="fi" lang="fi" selected>Suomi</option>`, "Siirry pääsisältöön"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Finnish page lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<td class="date" data-label="Päivä">\d{1,2}\.\d{1,2}\.2026</td>`).MatchString(body) {
		t.Error("no Finnish date in the hours")
	}
	for _, english := range []string{"Work hours", "Approve selected", "Waiting for your approval", "Log out"} {
		if strings.Contains(body, english) {
			t.Errorf("the Finnish page says %q", english)
		}
	}
}

// An error no form of the page words is said by the catalogue in the reader's language,
// never in the English of the API: a comment larger than a form may be, a form or an
// address that is not text.
func TestErrorPagesInTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	casePath := "/cases/" + id(e.caseID(strategy))
	b := e.sharedBrowser(t)
	english := []string{"larger than the limit of", "bytes", "without NUL", "Query parameters", "Form fields"}
	for _, tc := range []struct{ lang, tooLarge, large, bad, notText string }{
		{"fi", "Liian suuri", "Lähetetty on suurempi kuin portaalin hyväksymä 1,00 Mt.", "Pyyntöä ei ymmärretty",
			"Lähetetyssä oli merkkejä, jotka eivät ole tekstiä."},
		{"en", "Too large", "What was sent is larger than the 1.00 MiB the portal accepts.", "The request was not understood",
			"What was sent held characters that are not text."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			b.lang = tc.lang
			defer func() { b.lang = "" }()
			csrf := b.csrf(b.get(casePath))
			check := func(t *testing.T, r response, status int, words ...string) {
				t.Helper()
				r.must(t, status)
				mustShow(t, r, append([]string{`<html lang="` + tc.lang + `">`}, words...)...)
				for _, w := range english {
					if strings.Contains(string(r.Body), w) {
						t.Errorf("the page says %q", w)
					}
				}
			}
			t.Run("a comment over 1 MiB", func(t *testing.T) {
				r := b.post(casePath+"/comments", url.Values{"csrf": {csrf}, "target": {"case"}, "body": {strings.Repeat("x", 1<<20)}})
				check(t, r, http.StatusRequestEntityTooLarge, "<h1>"+tc.tooLarge+"</h1>", tc.large)
			})
			t.Run("a form that is not text", func(t *testing.T) {
				r := b.post(casePath+"/comments", url.Values{"csrf": {csrf}, "target": {"case"}, "body": {"a\x00b"}})
				check(t, r, http.StatusBadRequest, "<h1>"+tc.bad+"</h1>", tc.notText)
			})
			t.Run("an address that is not text", func(t *testing.T) {
				check(t, b.get(casePath+"?hours=%00"), http.StatusBadRequest, "<h1>"+tc.bad+"</h1>", tc.notText)
			})
		})
	}
}
